"""Charter versions: every version of a school's charter, which is in force, and adopting a new
one (school League committee only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.compliance import limit_text
from tuanxue.charter.models import Charter
from tuanxue.charter.rules import CharterRules
from tuanxue.charter.services import charter_adopt, charter_in_force
from tuanxue.charter.versions.forms import LEVELS, PERIOD_LABELS, CharterForm
from tuanxue.core.errors import DomainError
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.models import PoliticalStatus, Title
from tuanxue.org.views import login_required_page


def limit_cells(limits) -> list[str]:
    """One level's caps as the table shows them: "≤ 60", "20–30", "≥ 2" or "no limit"."""

    def cell(low, high) -> str:
        text = limit_text(low, high)
        return str(_("no limit")) if text == "—" else text

    return [
        cell(limits.staff_min, limits.staff_max),
        cell(None, limits.presidium_max),
        cell(None, limits.departments_max),
        cell(limits.heads_min, limits.heads_max),
        cell(None, limits.dept_staff_max),
    ]


def _may_adopt(viewer, school) -> bool:
    return viewer.is_league_committee(school)


@login_required_page
def versions(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    today = timezone.localdate()
    in_force = charter_in_force(school_obj, today)
    rows = []
    for charter in Charter.objects.filter(school=school_obj).order_by("-effective_from"):
        rules = charter.parsed
        rows.append(
            {
                "charter": charter,
                "rules": rules,
                "in_force": in_force is not None and charter.pk == in_force.pk,
                "titles": "、".join(str(Title(t).label) for t in rules.allowed_titles),
                "statuses": "、".join(
                    str(PoliticalStatus(s).label) for s in rules.political_statuses
                ),
                "period": PERIOD_LABELS[rules.academic_period],
                "levels": [(LEVELS[k], limit_cells(getattr(rules, k))) for k in LEVELS],
            }
        )
    return render(
        request,
        "charter/versions.html",
        {
            "school": school_obj,
            "rows": rows,
            "today": today,
            "may_adopt": _may_adopt(request.viewer, school_obj),
        },
    )


@login_required_page
def adopt(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    if not _may_adopt(request.viewer, school_obj):
        raise PermissionDenied
    current = charter_in_force(school_obj, timezone.localdate())
    base = current.parsed if current else CharterRules()
    initial = {"name": current.name} if current else {"name": f"{school_obj.name}学生会章程"}
    form = CharterForm(request.POST or None, base=base, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            charter = charter_adopt(
                actor=request.user,
                school=school_obj,
                name=data["name"],
                version_label=data["version_label"],
                effective_from=data["effective_from"],
                adopted_by=data["adopted_by"],
                rules=form.rules_json(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Charter %(version)s adopted; in force from %(day)s.")
                % {"version": charter.version_label, "day": charter.effective_from.isoformat()},
            )
            return redirect("charter:versions", school=school_obj.code)
    return render(
        request,
        "charter/adopt.html",
        {"school": school_obj, "form": form},
    )
