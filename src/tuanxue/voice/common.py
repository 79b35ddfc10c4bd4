"""What the student-voice services share: text limits and the plain-text check, who is told
(department staff, the League committee, voice officers, the students behind a demand), the
demand's steps and links. The services that submit, handle, tick and moderate all use these."""

from __future__ import annotations

import re
import unicodedata

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org.models import Role, RoleGrant
from tuanxue.voice.access import VoiceRights, rights_for_user
from tuanxue.voice.models import (
    AnsweringDepartment,
    Demand,
    DemandStep,
    DepartmentKind,
    DepartmentStaff,
    Supporter,
    VoiceOfficer,
)

TITLE_MIN = 4
TEXT_MIN = 10
ANSWER_MAX = 2000
REASON_MAX = 300
# Markup is refused rather than escaped: a demand is plain text.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&[a-zA-Z]+;|&#\d+;")


# -- helpers ---------------------------------------------------------------------------------


def demand_url(demand: Demand) -> str:
    return reverse("voice:demand", args=[demand.school.code, demand.pk])


def plain_text(value: str, *, field: str, label: str, low: int, high: int) -> str:
    """Trimmed text without control characters or markup, within ``low``..``high`` characters."""
    value = (value or "").replace("\r\n", "\n").strip()
    value = "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    if len(value) < low:
        raise DomainError(
            _("%(field)s needs at least %(n)d characters.") % {"field": label, "n": low},
            field=field,
        )
    if len(value) > high:
        raise DomainError(
            _("%(field)s may have at most %(n)d characters.") % {"field": label, "n": high},
            field=field,
        )
    if MARKUP.search(value):
        raise DomainError(
            _("%(field)s must be plain text, without HTML.") % {"field": label}, field=field
        )
    return value


def clean_reason(value: str, field: str = "reason") -> str:
    return plain_text(value, field=field, label=_("The reason"), low=2, high=REASON_MAX)


def staff_users(*departments: AnsweringDepartment | None) -> list:
    ids = [d.pk for d in departments if d is not None]
    links = DepartmentStaff.objects.filter(
        department_id__in=ids, staff__user__isnull=False
    ).select_related("staff__user")
    return [link.staff.user for link in links]


def escalation_department(school: School, level: int) -> AnsweringDepartment | None:
    kind = DepartmentKind.STUDENT_AFFAIRS if level == 1 else DepartmentKind.LEADER
    return AnsweringDepartment.objects.filter(school=school, kind=kind, active=True).first()


def league_users(school: School) -> list:
    grants = RoleGrant.objects.filter(
        school=school, role=Role.SCHOOL_LEAGUE, revoked_at__isnull=True
    ).select_related("user")
    return [g.user for g in grants]


def officer_users(school: School) -> list:
    return [o.user for o in VoiceOfficer.objects.filter(school=school).select_related("user")]


def student_users(demand: Demand) -> list:
    """The demand's student and every supporter who has an account."""
    users = []
    if demand.student_id and demand.student.user_id:
        users.append(demand.student.user)
    rows = Supporter.objects.filter(demand=demand, student__user__isnull=False).select_related(
        "student__user"
    )
    users += [row.student.user for row in rows]
    return users


def _student_actor(actor, demand: Demand):
    """The actor written into the audit log for a student's own action: nobody on a
    confidential demand (the log is read by offices that must not learn who it was)."""
    return None if demand.confidential else actor


def step_add(demand: Demand, kind: str, *, department=None, text: str = "", at=None) -> DemandStep:
    return DemandStep.objects.create(
        demand=demand, kind=kind, department=department, text=text, at=at or timezone.now()
    )


def actor_rights(actor, school: School) -> VoiceRights | None:
    return None if actor is None else rights_for_user(actor, school)
