"""The setup checklist: what a new school still has to do before Tuanxue can vouch for it.

``setup_checklist`` reads everything in a fixed number of queries, however many colleges or
students the school has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.academic import RecordBook, academic_verdict
from tuanxue.charter.models import Guidance
from tuanxue.charter.rules import CharterRules
from tuanxue.charter.services import charter_in_force
from tuanxue.core.models import AcademicYear, School, Semester
from tuanxue.org.models import (
    AcademicRecord,
    College,
    Membership,
    Role,
    RoleGrant,
    StaffPerson,
    Student,
)

SCHOOL_ROLES = (Role.SCHOOL_LEAGUE, Role.STUDENT_AFFAIRS)


@dataclass
class SetupItem:
    key: str
    label: str
    done: bool
    detail: str
    url: str | None
    why: str = ""


@dataclass
class SetupChecklist:
    school: School
    day: dt.date
    items: list[SetupItem]

    @property
    def open_items(self) -> list[SetupItem]:
        return [i for i in self.items if not i.done]

    @property
    def complete(self) -> bool:
        return not self.open_items


def _charter(school: School, day: dt.date, charter) -> SetupItem:
    return SetupItem(
        "charter",
        _("A charter is in force"),
        charter is not None,
        (
            _("%(name)s (%(version)s), in force since %(day)s")
            % {
                "name": charter.name,
                "version": charter.version_label,
                "day": charter.effective_from.isoformat(),
            }
            if charter
            else _("No charter has been adopted; nothing is checked against one.")
        ),
        reverse("charter:versions" if charter else "charter:adopt", args=[school.code]),
    )


def _roles(school: School) -> SetupItem:
    grants = set(
        RoleGrant.objects.filter(school=school, revoked_at__isnull=True)
        .filter(Q(role__in=SCHOOL_ROLES) | Q(role=Role.COLLEGE_LEAGUE))
        .values_list("role", "college_id")
    )
    roles = {role for role, _college in grants}
    covered = {college for role, college in grants if role == Role.COLLEGE_LEAGUE}
    missing = [str(Role(r).label) for r in SCHOOL_ROLES if r not in roles]
    colleges = list(
        College.objects.filter(school=school).order_by("order", "name").values_list("pk", "name")
    )
    without = [name for pk, name in colleges if pk not in covered]
    parts = []
    if missing:
        parts.append(_("no one holds: %(roles)s") % {"roles": "、".join(missing)})
    if without:
        parts.append(
            _("colleges without a League committee: %(names)s") % {"names": "、".join(without)}
        )
    return SetupItem(
        "roles",
        _("Roles are given"),
        not parts,
        "；".join(parts)
        or _(
            "The League committee, Student Affairs and every college's League committee hold their roles."
        ),
        reverse("people:roles", args=[school.code]),
    )


def _accounts(school: School) -> SetupItem:
    students = Student.objects.filter(school=school).aggregate(
        total=Count("pk"), with_account=Count("pk", filter=Q(user__isnull=False))
    )
    staff = StaffPerson.objects.filter(school=school).aggregate(
        total=Count("pk"), with_account=Count("pk", filter=Q(user__isnull=False))
    )
    share = students["with_account"] / students["total"] if students["total"] else 0.0
    done = (
        students["total"] > 0
        and students["with_account"] == students["total"]
        and staff["with_account"] == staff["total"]
    )
    detail = _(
        "%(with)s of %(total)s students have an account (%(share)s); "
        "%(staff_with)s of %(staff_total)s staff."
    ) % {
        "with": students["with_account"],
        "total": students["total"],
        "share": f"{share * 100:.1f}%",
        "staff_with": staff["with_account"],
        "staff_total": staff["total"],
    }
    if not students["total"]:
        detail = _("No student has been imported yet.")
    return SetupItem(
        "accounts",
        _("Students and staff have accounts"),
        done,
        detail,
        reverse("people:accounts", args=[school.code])
        if students["total"]
        else reverse("org:imports", args=[school.code]),
    )


def _records(school: School, day: dt.date, charter) -> SetupItem:
    """Done when no current union member is "cannot be decided" for want of the records of the
    semester(s) before their term, and records exist for the last semester that ended."""
    semester = Semester.objects.filter(school=school, end__lt=day).order_by("-end").first()
    count = (
        AcademicRecord.objects.filter(school=school, semester=semester).count() if semester else 0
    )
    posts = list(
        Membership.objects.filter(school=school, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("student")
        .order_by("student__student_no")
    )
    undecided = []
    if posts:
        rules = charter.parsed if charter else CharterRules()
        book = RecordBook(school.pk, {m.student_id for m in posts})
        seen = set()
        for m in posts:
            if m.student_id in seen:
                continue
            seen.add(m.student_id)
            verdict = academic_verdict(m.student, m.start, rules, book)
            if verdict.eligible is None:
                undecided.append((m.student.name, verdict.semesters or verdict.reasons))
    if semester is None:
        detail = _("No finished semester is in the calendar, so there are no records to judge by.")
    elif undecided:
        shown = "；".join(f"{name}（{'、'.join(what)}）" for name, what in undecided[:5])
        detail = _("%(n)s union members cannot be decided for want of records: %(who)s") % {
            "n": len(undecided),
            "who": shown + ("……" if len(undecided) > 5 else ""),
        }
    elif count:
        detail = _("%(n)s students have records for %(semester)s.") % {
            "n": count,
            "semester": semester.code,
        }
    else:
        detail = _("No academic records for %(semester)s have been imported.") % {
            "semester": semester.code
        }
    return SetupItem(
        "records",
        _("Academic records of the semester before posts start"),
        count > 0 and not undecided,
        detail,
        reverse("org:imports", args=[school.code]),
        _(
            "The charter judges each member of a union on the semester before their term starts "
            "(study rank, assessment rank, failed courses). Without those records every member "
            "is “cannot be decided” and checklist item 6 cannot pass."
        ),
    )


def _guidance(school: School) -> SetupItem:
    guidance = (
        Guidance.objects.filter(union__school=school, union__college__isnull=True)
        .select_related("advisor", "secretary_general")
        .first()
    )
    missing = []
    if guidance is None or guidance.advisor is None:
        missing.append(_("advisor teacher"))
    if guidance is None or guidance.secretary_general is None:
        missing.append(_("secretary-general teacher"))
    return SetupItem(
        "guidance",
        _("The school union's guidance is recorded"),
        not missing,
        (_("not recorded: %(what)s") % {"what": "、".join(str(m) for m in missing)})
        if missing
        else _("Advisor %(a)s, secretary-general %(s)s")
        % {"a": guidance.advisor.name, "s": guidance.secretary_general.name},
        reverse("records:guidance", args=[school.code]),
    )


def _calendar(school: School, day: dt.date) -> SetupItem:
    year = (
        AcademicYear.objects.filter(school=school, start__lte=day, end__gte=day)
        .order_by("start")
        .first()
    )
    return SetupItem(
        "calendar",
        _("The academic calendar covers today"),
        year is not None,
        (
            _("Academic year %(code)s, %(start)s to %(end)s")
            % {"code": year.code, "start": year.start.isoformat(), "end": year.end.isoformat()}
            if year
            else _("No academic year in the calendar contains %(day)s.") % {"day": day.isoformat()}
        ),
        reverse("calendar:index", args=[school.code]),
    )


def setup_checklist(school: School, day: dt.date | None = None) -> SetupChecklist:
    day = day or timezone.localdate()
    charter = charter_in_force(school, day)
    return SetupChecklist(
        school,
        day,
        [
            _charter(school, day, charter),
            _roles(school),
            _accounts(school),
            _records(school, day, charter),
            _guidance(school),
            _calendar(school, day),
        ],
    )
