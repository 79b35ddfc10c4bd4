"""The League committee's student-voice settings: departments and their staff, categories and
deadlines, the calendar of holidays and make-up days, voice officers. The school offices may read
it; only the League committee changes it (403 for the others, 404 outside the school)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.forms import refuse_form
from tuanxue.org.access import get_school_for_viewer
from tuanxue.org.models import StaffPerson
from tuanxue.org.views import login_required_page
from tuanxue.voice import selectors
from tuanxue.voice.access import require, rights_for
from tuanxue.voice.models import AnsweringDepartment, CalendarDay, VoiceOfficer
from tuanxue.voice.setup import services as setup
from tuanxue.voice.setup.forms import (
    CalendarForm,
    CategoryForm,
    DepartmentForm,
    NewCategoryForm,
    OfficerForm,
    StaffForm,
)


def _forms(school, data=None, action=""):
    departments = list(AnsweringDepartment.objects.filter(school=school, active=True))
    categories = selectors.categories(school)

    def bound(name):
        return data if action == name else None

    return {
        "department": DepartmentForm(bound("department"), prefix="department"),
        "staff": StaffForm(bound("staff"), prefix="staff", departments=departments),
        "category": CategoryForm(
            bound("category"), prefix="category", categories=categories, departments=departments
        ),
        "new_category": NewCategoryForm(bound("new_category"), prefix="new_category"),
        "calendar": CalendarForm(bound("calendar"), prefix="calendar"),
        "officer": OfficerForm(bound("officer"), prefix="officer"),
    }


def _run(request, school, action: str, form) -> None:
    data = form.cleaned_data
    actor = request.user
    if action == "department":
        setup.department_create(actor=actor, school=school, name=data["name"], kind=data["kind"])
    elif action == "staff":
        staff = StaffPerson.objects.filter(school=school, staff_no=data["staff_no"].strip()).first()
        if staff is None:
            raise DomainError(
                _("No staff member of this school has this number."), field="staff_no"
            )
        setup.department_staff_add(actor=actor, department=data["department"], staff=staff)
    elif action == "category":
        setup.category_update(
            actor=actor,
            category=data["category"],
            deadline_days=data["deadline_days"],
            default_department=data["department"],
        )
    elif action == "new_category":
        setup.category_create(
            actor=actor,
            school=school,
            code=data["code"],
            name=data["name"],
            deadline_days=data["deadline_days"],
        )
    elif action == "calendar":
        setup.calendar_day_set(
            actor=actor, school=school, date=data["date"], kind=data["kind"], name=data["name"]
        )
    elif action == "officer":
        user = get_user_model().objects.filter(username=data["username"].strip()).first()
        if user is None:
            raise DomainError(_("No account has this username."), field="username")
        setup.officer_appoint(actor=actor, school=school, user=user)


@login_required_page
def voice_settings(request, school: str):
    school_obj = get_school_for_viewer(school, request.viewer)
    rights = rights_for(request.viewer, school_obj)
    require(rights.sees_all)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(school_obj, request.POST or None, action)
    if request.method == "POST":
        if not rights.may_configure:
            raise PermissionDenied
        if action == "setup":
            setup.voice_setup(actor=request.user, school=school_obj)
            messages.success(request, _("Saved."))
            return redirect("voice:settings", school=school_obj.code)
        form = forms.get(action)
        if form is not None and form.is_valid():
            try:
                _run(request, school_obj, action, form)
            except DomainError as exc:
                refuse_form(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("voice:settings", school=school_obj.code)
    departments = list(
        AnsweringDepartment.objects.filter(school=school_obj).prefetch_related("staff_links__staff")
    )
    return render(
        request,
        "voice/settings.html",
        {
            "school": school_obj,
            "rights": rights,
            "forms": forms,
            "departments": departments,
            "categories": selectors.categories(school_obj),
            "days": list(
                CalendarDay.objects.filter(
                    school=school_obj, date__gte=timezone.localdate().replace(month=1, day=1)
                )
            ),
            "officers": list(VoiceOfficer.objects.filter(school=school_obj).select_related("user")),
            "policy": setup.policy_for(school_obj),
        },
        status=400 if request.method == "POST" else 200,
    )
