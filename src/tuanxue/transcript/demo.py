"""The transcript's part of ``tuanxue demo``: the school's requirements and a few issued
transcripts (the demo student, the delegate, a union member, the executive chair), so that the
pages and the verification page have something real to show. Kept small."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from tuanxue.core.models import School
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
    students = Student.objects.filter(school=school, user__in=users).select_related(
        "school", "college", "major", "class_group"
    )
    for student in students.order_by("student_no"):
        transcript_issue(actor=league, student=student, check_access=False)
