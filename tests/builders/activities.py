"""Builders the activities tests share: one place, so no test module imports another."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from tests.conftest import SchoolKit
from tuanxue.activities import qr, services
from tuanxue.activities.attendance import services as attendance
from tuanxue.activities.models import (
    Activity,
    ActivityStatus,
    CheckMethod,
    SignupMode,
    VolunteerProject,
    VolunteerRole,
)
from tuanxue.activities.proposals import services as proposals
from tuanxue.activities.volunteer import signup as svc
from tuanxue.core.api.tokens import token_create
from tuanxue.org.models import Role, Title


def scan_in(kit, user, at=None):
    at = at or kit.now
    return attendance.check_in(
        actor=user,
        activity=kit.activity,
        student=user.student,
        method=CheckMethod.QR,
        token=qr.make_token(kit.activity.pk, now=at),
        at=at,
    )


def build_world(kit) -> SimpleNamespace:
    """A department with a minister, the League committee, a read-only office and students."""
    w = SimpleNamespace(kit=kit, school=kit.school)
    w.dept = kit.department("文艺部", "组织文艺活动")
    w.league = kit.user(f"{kit.school.code}-league", role=Role.SCHOOL_LEAGUE)
    w.party = kit.user(f"{kit.school.code}-party", role=Role.SCHOOL_PARTY)
    w.minister_user = kit.user(f"{kit.school.code}-minister")
    w.minister = kit.student(name="部长", user=w.minister_user)
    kit.post(w.minister, w.dept, Title.MINISTER)
    w.student_user = kit.user(f"{kit.school.code}-stu")
    w.student = kit.student(name="学生甲", user=w.student_user)
    w.start = timezone.now() + dt.timedelta(days=10)
    return w


def make_activity(w, *, capacity=50, external="", actor=None, **extra) -> Activity:
    fields = {
        "title": "校园歌手大赛",
        "description": "面向全校的歌唱比赛。",
        "area": "aesthetics",
        "brands": ["school_brand"],
        "starts_at": w.start,
        "ends_at": w.start + dt.timedelta(hours=3),
        "place": "大学生活动中心",
        "capacity": capacity,
        "audience_colleges": [],
        "audience_grades": [],
        "credit": 2,
        "credit_unit": "hours",
        "external_contact": external,
    }
    fields.update(extra)
    return services.activity_create(
        actor=actor or w.minister_user, school=w.school, organiser_body=w.dept, **fields
    )


def make_proposal(w, *, actor=None, until=None):
    return proposals.proposal_create(
        actor=actor or w.student_user,
        body=w.dept,
        title="周末草地音乐会",
        goal="在草地上举办轻松的音乐会，丰富周末生活。",
        audience="全校同学",
        budget="800",
        organisers="音乐爱好者若干",
        support_until=until or timezone.now() + dt.timedelta(days=7),
    )


def supporters(w, n):
    return [w.kit.user(f"sup{w.school.pk}-{i}", student=True) for i in range(n)]


class VolunteerKit:
    """A published activity of the school union's volunteer department, run by a League
    committee user, and helpers for projects and students."""

    def __init__(self, kit: SchoolKit):
        self.kit = kit
        self.school = kit.school
        self.body = kit.department("青年志愿者协会", "志愿服务")
        self.league = kit.user(role=Role.SCHOOL_LEAGUE)
        self.now = timezone.now()
        self.day = self.now + dt.timedelta(days=3)
        self.activity = Activity.objects.create(
            school=kit.school,
            title="新生文艺汇演",
            description="迎新晚会",
            area="culture_sports",
            starts_at=self.day,
            ends_at=self.day + dt.timedelta(hours=4),
            place="大礼堂",
            organiser_body=self.body,
            status=ActivityStatus.PUBLISHED,
        )

    def project(self, *, mode=SignupMode.FIRST_COME, roles=None, **extra) -> VolunteerProject:
        fields = {
            "title": "文艺汇演志愿者",
            "description": "引导、检票",
            "opens_at": self.now - dt.timedelta(hours=1),
            "closes_at": self.now + dt.timedelta(days=1),
            "withdraw_until": self.now + dt.timedelta(hours=12),
            "from_classes": [],
            "from_societies": [],
        }
        fields.update(extra)
        roles = [self.role_spec("引导员", 2)] if roles is None else roles
        return svc.project_create(
            actor=self.league, activity=self.activity, mode=mode, roles=roles, **fields
        )

    def role_spec(self, name="引导员", slots=2, start_h=0, hours=2, **extra) -> dict:
        start = self.day + dt.timedelta(hours=start_h)
        return {
            "name": name,
            "slots": slots,
            "shift_starts_at": start,
            "shift_ends_at": start + dt.timedelta(hours=hours),
            **extra,
        }

    def student_user(self, **extra):
        user = self.kit.user()
        self.kit.student(user=user, **extra)
        return user


def role_of(project, name=None) -> VolunteerRole:
    roles = project.roles.all()
    return roles.get(name=name) if name else roles.get()


def shift(project: VolunteerProject, **delta) -> None:
    """Move the project's times relative to now (as if time had passed)."""
    VolunteerProject.objects.filter(pk=project.pk).update(**delta)
    project.refresh_from_db()


API = "/api/v1"


def bearer(user) -> dict:
    _, key = token_create(actor=user, user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_signup(client, project, role, user, **headers):
    return client.post(
        f"{API}/volunteer-projects/{project.pk}/signups",
        {"role": role.pk},
        content_type="application/json",
        **(headers or bearer(user)),
    )
