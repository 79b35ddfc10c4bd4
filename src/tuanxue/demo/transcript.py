"""The transcript's part of ``tuanxue demo``: a few issued transcripts (the demo student, the
delegate, a union staff member, the executive chair, and two students with certified volunteer
credit), so that the pages and the verification page have something real to show. Kept small."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from tuanxue.core.models import School
from tuanxue.ledger.models import CreditCategory, CreditEntry
from tuanxue.org.models import Role, RoleGrant, Student
from tuanxue.transcript.services import transcript_issue

DEMO_STUDENT_LOGINS = ["xuesheng", "daibiao", "ganshi", "zhixing"]


def build_demo_step(school: School) -> None:
    grant = (
        RoleGrant.objects.filter(school=school, role=Role.SCHOOL_LEAGUE, revoked_at__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    league = grant.user if grant is not None else None
    users = get_user_model().objects.filter(username__in=DEMO_STUDENT_LOGINS)
    credited = (
        CreditEntry.objects.filter(
            school=school,
            certification__isnull=False,
            category__in=[CreditCategory.VOLUNTEER, CreditCategory.ACTIVITY],
        )
        .order_by("student__student_no")
        .values_list("student_id", flat=True)
        .distinct()[:2]
    )
    students = Student.objects.filter(school=school).filter(
        Q(user__in=users) | Q(pk__in=list(credited))
    )
    students = students.select_related("school", "college", "major", "class_group")
    for student in students.order_by("student_no"):
        transcript_issue(actor=league, student=student, check_access=False)
