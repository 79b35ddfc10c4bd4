"""Volunteer projects and sign-up, through the services: first come with a waiting list and
automatic promotion, deadlines, overlapping shifts, requirements, the lottery, review, closing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders.activities import VolunteerKit, role_of, shift
from tuanxue.activities.models import (
    ProjectStatus,
    Signup,
    SignupMode,
    SignupStatus,
)
from tuanxue.activities.volunteer import signup as svc
from tuanxue.core.audit import verify_chain
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent, Notification
from tuanxue.org import services as org_services
from tuanxue.org.models import Major, Title


@pytest.fixture
def vk(kit) -> VolunteerKit:
    return VolunteerKit(kit)


# -- creating ------------------------------------------------------------------------------


def test_project_create_is_audited_and_checked(vk):
    project = vk.project(roles=[vk.role_spec("引导员", 3), vk.role_spec("检票员", 2, start_h=1)])
    assert project.status == ProjectStatus.RECRUITING
    assert sorted(project.roles.values_list("name", "slots", "taken")) == [
        ("引导员", 3, 0),
        ("检票员", 2, 0),
    ]
    assert AuditEvent.objects.filter(action="volunteer.project.created").count() == 1
    with pytest.raises(DomainError) as exc:
        vk.project(roles=[vk.role_spec("坏", 0)])
    assert exc.value.field == "roles"
    with pytest.raises(DomainError):
        vk.project(closes_at=vk.now - dt.timedelta(hours=2))
    with pytest.raises(DomainError):
        vk.project(roles=[])


def test_only_organisers_create(vk):
    student_user = vk.student_user()
    with pytest.raises(DomainError) as exc:
        svc.project_create(
            actor=student_user,
            activity=vk.activity,
            title="x",
            mode=SignupMode.FIRST_COME,
            opens_at=vk.now,
            closes_at=vk.now + dt.timedelta(days=1),
            withdraw_until=vk.now + dt.timedelta(hours=1),
            roles=[vk.role_spec()],
            from_classes=[],
            from_societies=[],
        )
    assert exc.value.code == "forbidden"
    # the minister of the organising department may
    minister = vk.kit.user()
    vk.kit.post(vk.kit.student(user=minister, grade=2019), vk.body, Title.MINISTER)
    project = svc.project_create(
        actor=minister,
        activity=vk.activity,
        title="部门项目",
        mode=SignupMode.FIRST_COME,
        opens_at=vk.now,
        closes_at=vk.now + dt.timedelta(days=1),
        withdraw_until=vk.now + dt.timedelta(hours=1),
        roles=[vk.role_spec()],
        from_classes=[],
        from_societies=[],
    )
    assert project.created_by == minister


# -- first come ----------------------------------------------------------------------------


def test_first_come_confirms_then_waits_in_order(vk):
    project = vk.project()
    role = role_of(project)
    users = [vk.student_user() for _ in range(5)]
    results = [svc.signup(actor=u, project=project, role=role) for u in users]
    statuses = [(s.status, pos) for s, pos in results]
    assert statuses == [
        (SignupStatus.CONFIRMED, None),
        (SignupStatus.CONFIRMED, None),
        (SignupStatus.WAITING, 1),
        (SignupStatus.WAITING, 2),
        (SignupStatus.WAITING, 3),
    ]
    role.refresh_from_db()
    assert role.taken == 2
    queue = [s.queue_no for s, _ in results[2:]]
    assert queue == sorted(queue) and len(set(queue)) == 3
    assert AuditEvent.objects.filter(action="volunteer.signup.created").count() == 5
    assert verify_chain(vk.school) == []


def test_duplicate_is_refused(vk):
    project = vk.project()
    role = role_of(project)
    user = vk.student_user()
    svc.signup(actor=user, project=project, role=role)
    with pytest.raises(DomainError) as exc:
        svc.signup(actor=user, project=project, role=role)
    assert exc.value.code == "duplicate"
    assert Signup.objects.filter(project=project).count() == 1


def test_withdraw_promotes_the_first_waiting_and_tells_them(vk):
    project = vk.project()
    role = role_of(project)
    users = [vk.student_user() for _ in range(4)]
    rows = [svc.signup(actor=u, project=project, role=role)[0] for u in users]
    withdrawn = svc.signup_withdraw(actor=users[0], signup=rows[0])
    assert withdrawn.status == SignupStatus.WITHDRAWN
    assert withdrawn.promoted.pk == rows[2].pk
    statuses = dict(Signup.objects.filter(project=project).values_list("pk", "status"))
    assert statuses == {
        rows[0].pk: SignupStatus.WITHDRAWN,
        rows[1].pk: SignupStatus.CONFIRMED,
        rows[2].pk: SignupStatus.CONFIRMED,
        rows[3].pk: SignupStatus.WAITING,
    }
    rows[3].refresh_from_db()
    assert svc.waiting_position(rows[3]) == 1
    role.refresh_from_db()
    assert role.taken == 2
    assert Notification.objects.filter(user=users[2]).count() == 1
    # a waiting student withdrawing frees nothing; then a confirmed one frees a place
    svc.signup_withdraw(actor=users[3], signup=rows[3])
    svc.signup_withdraw(actor=users[1], signup=rows[1])
    role.refresh_from_db()
    assert role.taken == 1
    assert verify_chain(vk.school) == []


def test_withdraw_after_the_deadline_is_refused(vk):
    project = vk.project()
    user = vk.student_user()
    row, _ = svc.signup(actor=user, project=project, role=role_of(project))
    shift(project, withdraw_until=vk.now - dt.timedelta(minutes=1))
    row.project = project
    with pytest.raises(DomainError) as exc:
        svc.signup_withdraw(actor=user, signup=row)
    assert exc.value.code == "closed"
    assert "Withdrawals closed" in exc.value.message or "退出" in exc.value.message
    row.refresh_from_db()
    assert row.status == SignupStatus.CONFIRMED


def test_only_the_student_withdraws(vk):
    project = vk.project()
    user, other = vk.student_user(), vk.student_user()
    row, _ = svc.signup(actor=user, project=project, role=role_of(project))
    with pytest.raises(DomainError) as exc:
        svc.signup_withdraw(actor=other, signup=row)
    assert exc.value.code == "forbidden"


def test_window_is_enforced(vk):
    project = vk.project(
        opens_at=vk.now + dt.timedelta(hours=1), closes_at=vk.now + dt.timedelta(days=1)
    )
    with pytest.raises(DomainError) as exc:
        svc.signup(actor=vk.student_user(), project=project, role=role_of(project))
    assert exc.value.code == "closed"
    shift(project, opens_at=vk.now - dt.timedelta(days=2), closes_at=vk.now - dt.timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        svc.signup(actor=vk.student_user(), project=project, role=role_of(project))
    assert exc.value.code == "closed"


def test_staff_without_student_record_cannot_sign_up(vk):
    project = vk.project()
    with pytest.raises(DomainError) as exc:
        svc.signup(actor=vk.league, project=project, role=role_of(project))
    assert exc.value.code == "not_eligible"


def test_overlapping_shift_is_refused(vk):
    first = vk.project(roles=[vk.role_spec("引导员", 5, start_h=0, hours=2)])
    second = vk.project(
        title="另一个项目",
        roles=[
            vk.role_spec("检票员", 5, start_h=1, hours=2),
            vk.role_spec("收尾", 5, start_h=2, hours=1),
        ],
    )
    user = vk.student_user()
    svc.signup(actor=user, project=first, role=role_of(first))
    with pytest.raises(DomainError) as exc:
        svc.signup(actor=user, project=second, role=role_of(second, "检票员"))
    assert exc.value.code == "overlap"
    # a shift starting when the other ends does not overlap
    row, _ = svc.signup(actor=user, project=second, role=role_of(second, "收尾"))
    assert row.status == SignupStatus.CONFIRMED


def test_requirements(vk):
    kit = vk.kit
    college2 = org_services.college_create(actor=None, school=kit.school, name="机电学院")
    major2 = Major.objects.create(school=kit.school, college=college2, name="机电一体化")
    class2 = org_services.class_group_create(
        actor=None, school=kit.school, college=college2, major=major2, name="机电2101", grade=2021
    )
    project = vk.project(
        roles=[
            vk.role_spec("信息岗", 5, colleges=[kit.college]),
            vk.role_spec("新生岗", 5, start_h=3, grades=[2021]),
            vk.role_spec("班级岗", 5, start_h=6, classes=[class2.pk]),
        ]
    )
    mine = vk.student_user()  # 信息学院, 2020, 软件2001
    other = vk.student_user(college=college2, major=major2, class_group=class2, grade=2021)
    assert svc.signup(actor=mine, project=project, role=role_of(project, "信息岗"))[0]
    for role_name in ("新生岗", "班级岗"):
        with pytest.raises(DomainError) as exc:
            svc.signup(actor=vk.student_user(), project=project, role=role_of(project, role_name))
        assert exc.value.code == "not_eligible"
    with pytest.raises(DomainError) as exc:
        svc.signup(actor=other, project=project, role=role_of(project, "信息岗"))
    assert exc.value.code == "not_eligible"
    assert svc.signup(actor=other, project=project, role=role_of(project, "班级岗"))[0]
    # recruiting from certain classes only
    restricted = vk.project(
        title="限定班级", from_classes=[class2], roles=[vk.role_spec(start_h=9)]
    )
    with pytest.raises(DomainError) as exc:
        svc.signup(actor=vk.student_user(), project=restricted, role=role_of(restricted))
    assert exc.value.code == "not_eligible"


# -- lottery and review --------------------------------------------------------------------


def _lottery(vk, n=6, slots=2):
    project = vk.project(mode=SignupMode.LOTTERY, roles=[vk.role_spec("抽签岗", slots)])
    role = role_of(project)
    users = [vk.student_user() for _ in range(n)]
    rows = [svc.signup(actor=u, project=project, role=role)[0] for u in users]
    assert {r.status for r in rows} == {SignupStatus.PENDING}
    return project, role, rows


def test_lottery_is_drawn_after_the_window_and_deterministic(vk):
    project, role, rows = _lottery(vk)
    with pytest.raises(DomainError) as exc:
        svc.lottery_draw(actor=vk.league, project=project, seed=7)
    assert exc.value.code == "closed"
    shift(project, closes_at=vk.now - dt.timedelta(minutes=1))
    result = svc.lottery_draw(actor=vk.league, project=project, seed=7)
    assert (result.seed, result.confirmed, result.waiting) == (7, 2, 4)
    # the same seed over the same sign-ups gives the same draw
    import random

    expected = sorted(rows, key=lambda r: r.pk)
    random.Random(7).shuffle(expected)
    confirmed = set(
        Signup.objects.filter(project=project, status=SignupStatus.CONFIRMED).values_list(
            "pk", flat=True
        )
    )
    assert confirmed == {r.pk for r in expected[:2]}
    waiting = list(
        Signup.objects.filter(project=project, status=SignupStatus.WAITING)
        .order_by("queue_no")
        .values_list("pk", flat=True)
    )
    assert waiting == [r.pk for r in expected[2:]]
    role.refresh_from_db()
    assert role.taken == 2
    event = AuditEvent.objects.get(action="volunteer.lottery.drawn")
    assert event.new["seed"] == 7
    assert Notification.objects.filter(school=vk.school).count() == 6
    with pytest.raises(DomainError):  # nothing left to draw
        svc.lottery_draw(actor=vk.league, project=project, seed=7)


def test_lottery_seed_is_recorded_when_not_given(vk):
    project, _role, _rows = _lottery(vk, n=3, slots=5)
    shift(project, closes_at=vk.now - dt.timedelta(minutes=1))
    result = svc.lottery_draw(actor=vk.league, project=project)
    assert result.confirmed == 3
    assert AuditEvent.objects.get(action="volunteer.lottery.drawn").new["seed"] == result.seed


def test_review_accepts_while_places_are_free(vk):
    project = vk.project(mode=SignupMode.REVIEW, roles=[vk.role_spec("审核岗", 1)])
    role = role_of(project)
    users = [vk.student_user() for _ in range(3)]
    rows = [svc.signup(actor=u, project=project, role=role)[0] for u in users]
    assert svc.signup_review(actor=vk.league, signup=rows[0], accept=True).status == (
        SignupStatus.CONFIRMED
    )
    with pytest.raises(DomainError) as exc:
        svc.signup_review(actor=vk.league, signup=rows[1], accept=True)
    assert exc.value.code == "full"
    assert svc.signup_review(actor=vk.league, signup=rows[1], accept=False).status == (
        SignupStatus.REJECTED
    )
    with pytest.raises(DomainError) as exc:
        svc.signup_review(actor=users[2], signup=rows[2], accept=True)
    assert exc.value.code == "forbidden"
    role.refresh_from_db()
    assert role.taken == 1
    assert Notification.objects.filter(user=users[1]).count() == 1


# -- closing -------------------------------------------------------------------------------


def test_close_releases_everyone(vk):
    project = vk.project()
    role = role_of(project)
    users = [vk.student_user() for _ in range(3)]
    rows = [svc.signup(actor=u, project=project, role=role)[0] for u in users]
    svc.signup_withdraw(actor=users[2], signup=rows[2])
    svc.project_close(actor=vk.league, project=project)
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED and project.closed_at is not None
    statuses = sorted(Signup.objects.filter(project=project).values_list("status", flat=True))
    assert statuses == [SignupStatus.RELEASED, SignupStatus.RELEASED, SignupStatus.WITHDRAWN]
    event = AuditEvent.objects.get(action="volunteer.project.closed")
    assert event.old["signups"] == {"confirmed": 2}
    assert event.new["released"] == 2
    with pytest.raises(DomainError) as exc:
        svc.signup(actor=vk.student_user(), project=project, role=role)
    assert exc.value.code == "closed"
    with pytest.raises(DomainError):
        svc.project_close(actor=vk.league, project=project)
    assert verify_chain(vk.school) == []
