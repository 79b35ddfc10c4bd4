"""Leaving a post: resignation, removal, the end of a term and the semester check; services and
pages (allowed role, read-only role, outsider)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent, Notification
from tuanxue.org import services as org_services
from tuanxue.org.access import build_viewer
from tuanxue.org.models import (
    AcademicRecord,
    EndReason,
    Membership,
    PoliticalStatus,
    Role,
    Title,
)
from tuanxue.selection.eligibility import eligibility
from tuanxue.selection.exits import services as exits
from tuanxue.selection.models import ExitRequestStatus, ResignationRequest


@pytest.fixture
def union(chartered):
    kit = chartered
    kit.dept = kit.department()
    kit.chair = kit.post(
        kit.good_student("主席甲", user=kit.user("chair")), kit.presidium, Title.PRESIDIUM_MEMBER
    )
    kit.vice = kit.post(
        kit.good_student("主席乙", user=kit.user("vice")), kit.presidium, Title.PRESIDIUM_MEMBER
    )
    kit.head = kit.post(kit.good_student("部长", user=kit.user("head")), kit.dept, Title.MINISTER)
    kit.staff = kit.post(kit.good_student("干事", user=kit.user("staff")), kit.dept, Title.STAFF)
    kit.league = kit.user("league", role=Role.SCHOOL_LEAGUE)
    kit.plain = kit.user("plain", student=True)
    return kit


def user_of(membership):
    return membership.student.user


def ask(kit, membership=None, reason="学业压力较大，希望专心学习。"):
    membership = membership or kit.head
    return exits.resignation_request(
        actor=user_of(membership), membership=membership, reason=reason
    )


# -- resignation ----------------------------------------------------------------------------


def test_member_asks_to_resign_and_the_presidium_is_told(union):
    kit = union
    request = ask(kit)
    assert request.status == ExitRequestStatus.PENDING
    assert AuditEvent.objects.filter(
        action="selection.resignation.requested", target_id=str(request.pk)
    ).exists()
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"chair", "vice"}


def test_only_the_holder_asks_once_with_a_reason(union):
    kit = union
    for actor in (kit.plain, user_of(kit.chair), kit.league):
        with pytest.raises(DomainError) as exc:
            exits.resignation_request(actor=actor, membership=kit.head, reason="理由")
        assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc:
        ask(kit, reason="  ")
    assert exc.value.field == "reason"
    ask(kit)
    with pytest.raises(DomainError) as exc:
        ask(kit)
    assert exc.value.code == "duplicate"
    assert ResignationRequest.objects.count() == 1


def test_confirmed_resignation_ends_the_post_and_the_roles_at_once(union):
    kit = union
    assert Role.DEPARTMENT_HEAD in build_viewer(user_of(kit.head)).roles
    request = ask(kit)
    exits.resignation_decide(actor=user_of(kit.chair), request=request, confirm=True, comment="")
    kit.head.refresh_from_db()
    assert kit.head.end == timezone.localdate()
    assert kit.head.end_reason == EndReason.RESIGNATION
    request.refresh_from_db()
    assert request.status == ExitRequestStatus.CONFIRMED
    assert request.decided_by == user_of(kit.chair)
    roles = build_viewer(user_of(kit.head)).roles
    assert Role.DEPARTMENT_HEAD not in roles and Role.UNION_MEMBER not in roles
    assert AuditEvent.objects.filter(action="selection.resignation.confirmed").count() == 1
    assert Notification.objects.filter(user=user_of(kit.head)).exists()


def test_a_double_confirmation_acts_once(union):
    kit = union
    request = ask(kit)
    exits.resignation_decide(actor=user_of(kit.chair), request=request, confirm=True)
    with pytest.raises(DomainError) as exc:
        exits.resignation_decide(actor=user_of(kit.vice), request=request, confirm=True)
    assert exc.value.code == "stale"
    assert AuditEvent.objects.filter(action="org.membership.ended").count() == 1
    assert AuditEvent.objects.filter(action="selection.resignation.confirmed").count() == 1


def test_declining_needs_a_comment_and_keeps_the_post(union):
    kit = union
    request = ask(kit)
    with pytest.raises(DomainError) as exc:
        exits.resignation_decide(actor=kit.league, request=request, confirm=False, comment="")
    assert exc.value.field == "comment"
    exits.resignation_decide(actor=kit.league, request=request, confirm=False, comment="请再考虑")
    kit.head.refresh_from_db()
    assert kit.head.end is None
    request.refresh_from_db()
    assert request.status == ExitRequestStatus.DECLINED
    assert ask(kit).status == ExitRequestStatus.PENDING  # a new request may follow


def test_who_may_decide(union):
    kit = union
    request = ask(kit, kit.chair)
    college_body = kit.college.union.bodies.get(kind="presidium")
    college_presidium = kit.post(
        kit.good_student(user=kit.user("cp")), college_body, Title.PRESIDIUM_MEMBER
    )
    for actor in (
        kit.plain,
        user_of(kit.staff),
        user_of(kit.head),
        user_of(college_presidium),
        kit.user(role=Role.STUDENT_AFFAIRS),
        kit.user(role=Role.COLLEGE_LEAGUE),
        user_of(kit.chair),  # not on one's own request
    ):
        with pytest.raises(DomainError) as exc:
            exits.resignation_decide(actor=actor, request=request, confirm=True)
        assert exc.value.code == "forbidden", actor
    exits.resignation_decide(actor=user_of(kit.vice), request=request, confirm=True)
    kit.chair.refresh_from_db()
    assert kit.chair.end is not None
    assert Role.PRESIDIUM_MEMBER not in build_viewer(user_of(kit.chair)).roles


def test_withdrawing_a_request(union):
    kit = union
    request = ask(kit)
    with pytest.raises(DomainError):
        exits.resignation_withdraw(actor=user_of(kit.chair), request=request)
    exits.resignation_withdraw(actor=user_of(kit.head), request=request)
    request.refresh_from_db()
    assert request.status == ExitRequestStatus.WITHDRAWN
    with pytest.raises(DomainError) as exc:
        exits.resignation_decide(actor=user_of(kit.chair), request=request, confirm=True)
    assert exc.value.code == "stale"


# -- removal and the end of the term ---------------------------------------------------------


def test_removal_needs_a_reason_and_a_basis_and_is_audited(union):
    kit = union
    with pytest.raises(DomainError) as exc:
        exits.member_remove(actor=kit.league, membership=kit.staff, reason=" ", basis="academic")
    assert exc.value.field == "reason"
    with pytest.raises(DomainError) as exc:
        exits.member_remove(actor=kit.league, membership=kit.staff, reason="挂科", basis="whim")
    assert exc.value.field == "basis"
    kit.staff.refresh_from_db()
    assert kit.staff.end is None
    exits.member_remove(
        actor=kit.league, membership=kit.staff, reason="学期检查：有不及格课程", basis="academic"
    )
    kit.staff.refresh_from_db()
    assert kit.staff.end_reason == EndReason.REMOVAL and kit.staff.end == timezone.localdate()
    event = AuditEvent.objects.get(action="selection.member.removed")
    assert event.new["basis"] == "academic"
    assert event.new["reason"] == "学期检查：有不及格课程"
    assert Role.UNION_MEMBER not in build_viewer(user_of(kit.staff)).roles


def test_only_the_league_committee_removes(union):
    kit = union
    for actor in (user_of(kit.chair), kit.user(role=Role.STUDENT_AFFAIRS), kit.plain):
        with pytest.raises(DomainError) as exc:
            exits.member_remove(
                actor=actor, membership=kit.staff, reason="处分", basis="discipline"
            )
        assert exc.value.code == "forbidden"
    college_league = kit.user(role=Role.COLLEGE_LEAGUE)
    with pytest.raises(DomainError):
        exits.member_remove(
            actor=college_league, membership=kit.staff, reason="处分", basis="discipline"
        )
    college_body = kit.college.union.bodies.get(kind="presidium")
    college_member = kit.post(kit.good_student(), college_body, Title.PRESIDIUM_MEMBER)
    exits.member_remove(
        actor=college_league, membership=college_member, reason="处分", basis="discipline"
    )


def test_term_end_ends_every_open_post_and_every_derived_role(union):
    kit = union
    users = [user_of(m) for m in (kit.chair, kit.vice, kit.head, kit.staff)]
    with pytest.raises(DomainError):
        exits.term_end(actor=user_of(kit.chair), union=kit.school_union, day=timezone.localdate())
    with pytest.raises(DomainError) as exc:
        exits.term_end(
            actor=kit.league,
            union=kit.school_union,
            day=timezone.localdate() + dt.timedelta(days=1),
        )
    assert exc.value.field == "day"
    ended = exits.term_end(actor=kit.league, union=kit.school_union, day=dt.date(2021, 7, 1))
    assert len(ended) == 4
    assert not Membership.objects.filter(union=kit.school_union, end__isnull=True).exists()
    assert set(Membership.objects.values_list("end_reason", flat=True)) == {EndReason.TERM_END}
    for user in users:
        roles = build_viewer(user).roles
        assert not roles & {Role.UNION_MEMBER, Role.PRESIDIUM_MEMBER, Role.DEPARTMENT_HEAD}
    assert AuditEvent.objects.filter(action="selection.term.ended").count() == 1
    with pytest.raises(DomainError):
        exits.term_end(actor=kit.league, union=kit.school_union, day=dt.date(2021, 7, 1))


# -- the semester check ------------------------------------------------------------------------


@pytest.fixture
def checked(union):
    """The autumn semester 2020 with records: the four members of ``union`` pass, and four more
    fail in four different ways."""
    kit = union
    kit.autumn = org_services.semester_ensure(actor=None, school=kit.school, code="2020-2021-1")

    def record(membership, study=3, assessment=3, failed=0):
        AcademicRecord.objects.create(
            school=kit.school,
            student=membership.student,
            semester=kit.autumn,
            study_rank=study,
            assessment_rank=assessment,
            major_size=40,
            failed_courses=failed,
        )

    for m in (kit.chair, kit.vice, kit.head, kit.staff):
        record(m)
    kit.low_rank = kit.post(kit.good_student("排名靠后"), kit.dept, Title.STAFF)
    record(kit.low_rank, study=13)
    kit.failed = kit.post(kit.good_student("挂科"), kit.dept, Title.STAFF)
    record(kit.failed, failed=1)
    kit.missing = kit.post(kit.good_student("无成绩"), kit.dept, Title.STAFF)
    kit.masses = kit.post(kit.good_student("群众"), kit.dept, Title.STAFF)
    record(kit.masses)
    kit.masses.student.political_status = PoliticalStatus.MASSES
    kit.masses.student.save(update_fields=["political_status"])
    kit.exact = kit.post(kit.good_student("恰好30%"), kit.dept, Title.STAFF)
    record(kit.exact, study=12, assessment=12)
    return kit


def test_the_semester_check_lists_exactly_the_failing_members(checked):
    kit = checked
    failing = exits.members_failing_rule(kit.school_union, kit.autumn)
    by_id = {f.membership.pk: f for f in failing}
    assert set(by_id) == {kit.low_rank.pk, kit.failed.pk, kit.missing.pk, kit.masses.pk}
    assert by_id[kit.missing.pk].eligible is None
    assert any("2020-2021-1" in r for r in by_id[kit.missing.pk].reasons)
    assert by_id[kit.low_rank.pk].eligible is False
    assert any("13/40" in r for r in by_id[kit.low_rank.pk].reasons)
    assert by_id[kit.failed.pk].eligible is False


def test_the_check_agrees_with_the_eligibility_engine(checked):
    kit = checked
    day = exits.check_day(kit.autumn)
    posts = list(Membership.objects.filter(union=kit.school_union, end__isnull=True))
    judged = exits.verdicts([p.student for p in posts], day)
    for post in posts:
        expected = eligibility(post.student, day)
        assert judged[post.student_id]["eligible"] == expected["eligible"]
        assert judged[post.student_id]["reasons"] == expected["reasons"]


def test_the_check_costs_the_same_queries_for_more_members(checked):
    kit = checked
    with CaptureQueriesContext(connection) as few:
        exits.members_failing_rule(kit.school_union, kit.autumn)
    other = kit.department("宣传部", "宣传与新媒体")
    for _ in range(4):
        kit.post(kit.good_student(), other, Title.STAFF)
    with CaptureQueriesContext(connection) as more:
        exits.members_failing_rule(kit.school_union, kit.autumn)
    # one of the seven reads the sanctions (review app) for all members at once
    assert len(more) == len(few) <= 7


# -- pages ----------------------------------------------------------------------------------


def test_my_posts_page(client, union, other_kit):
    kit = union
    url = reverse("exits:my_posts", args=[kit.school.code])
    client.force_login(user_of(kit.head))
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["posts"][0]["m"].pk == kit.head.pk
    assert reverse("exits:resign", args=[kit.school.code, kit.head.pk]) in response.content.decode()
    client.force_login(kit.plain)
    response = client.get(url)
    assert response.status_code == 200 and response.context["posts"] == []
    client.force_login(other_kit.user(student=True))
    assert client.get(url).status_code == 404


def test_resign_page(client, union, other_kit):
    kit = union
    url = reverse("exits:resign", args=[kit.school.code, kit.head.pk])
    client.force_login(user_of(kit.head))
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"reason": "准备考研"})
    assert response.status_code == 302
    assert ResignationRequest.objects.get().membership_id == kit.head.pk
    response = client.post(url, {"reason": "准备考研"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    for user in (kit.plain, user_of(kit.chair), kit.league):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(url).status_code == 404


def test_withdraw_page(client, union):
    kit = union
    request = ask(kit)
    url = reverse("exits:withdraw", args=[kit.school.code, request.pk])
    client.force_login(user_of(kit.chair))
    assert client.post(url).status_code == 403
    client.force_login(user_of(kit.head))
    assert client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.status == ExitRequestStatus.WITHDRAWN


def test_resignation_queue_page(client, union, other_kit):
    kit = union
    request = ask(kit)
    url = reverse("exits:resignations", args=[kit.school.code])
    for user in (user_of(kit.chair), kit.league):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert [r.pk for r in response.context["rows"]] == [request.pk]
    for user in (kit.plain, user_of(kit.staff), kit.user(role=Role.STUDENT_AFFAIRS)):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(url).status_code == 404


def test_decide_page_confirms_once(client, union, other_kit):
    kit = union
    request = ask(kit)
    url = reverse("exits:decide", args=[kit.school.code, request.pk])
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.post(url, {"decision": "confirm"}).status_code == 404
    for user in (kit.plain, user_of(kit.staff)):
        client.force_login(user)
        assert client.post(url, {"decision": "confirm"}).status_code == 403
    client.force_login(user_of(kit.chair))
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "confirm", "comment": ""})
    assert response.status_code == 302
    kit.head.refresh_from_db()
    assert kit.head.end_reason == EndReason.RESIGNATION
    response = client.post(url, {"decision": "confirm", "comment": ""})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert AuditEvent.objects.filter(action="org.membership.ended").count() == 1


def test_decline_on_the_page_needs_a_comment(client, union):
    kit = union
    request = ask(kit)
    url = reverse("exits:decide", args=[kit.school.code, request.pk])
    client.force_login(kit.league)
    response = client.post(url, {"decision": "decline", "comment": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    request.refresh_from_db()
    assert request.status == ExitRequestStatus.PENDING


def test_union_exits_page_shows_the_semester_check(client, checked, other_kit):
    kit = checked
    url = reverse("exits:union", args=[kit.school.code, kit.school_union.pk])
    client.force_login(kit.league)
    response = client.get(url, {"semester": kit.autumn.pk})
    assert response.status_code == 200
    shown = {f.membership.pk for f in response.context["failing"]}
    assert shown == {kit.low_rank.pk, kit.failed.pk, kit.missing.pk, kit.masses.pk}
    html = response.content.decode()
    assert reverse("exits:remove", args=[kit.school.code, kit.failed.pk]) in html
    assert "13/40" in html
    assert client.get(url).context["chosen"] == kit.autumn  # the latest ended semester
    for user in (user_of(kit.chair), kit.plain, kit.user(role=Role.STUDENT_AFFAIRS)):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(url).status_code == 404


def test_remove_page_asks_for_a_reason_and_a_confirmation(client, checked, other_kit):
    kit = checked
    url = reverse("exits:remove", args=[kit.school.code, kit.failed.pk])
    client.force_login(kit.league)
    assert client.get(url + "?basis=academic").status_code == 200
    events = AuditEvent.objects.count()
    response = client.post(url, {"basis": "academic", "reason": "", "confirm": "on"})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    response = client.post(url, {"basis": "academic", "reason": "有不及格课程"})
    assert response.status_code == 200 and response.context["form"].errors["confirm"]
    assert AuditEvent.objects.count() == events
    kit.failed.refresh_from_db()
    assert kit.failed.end is None
    response = client.post(url, {"basis": "academic", "reason": "有不及格课程", "confirm": "on"})
    assert response.status_code == 302
    kit.failed.refresh_from_db()
    assert kit.failed.end_reason == EndReason.REMOVAL
    for user in (user_of(kit.chair), kit.plain):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(url).status_code == 404


def test_term_end_page_needs_a_confirmation(client, union, other_kit):
    kit = union
    url = reverse("exits:term_end", args=[kit.school.code, kit.school_union.pk])
    for user in (user_of(kit.chair), kit.plain):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"day": "2021-07-01", "confirm": "on"}).status_code == 403
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(url).status_code == 404
    client.force_login(kit.league)
    assert client.get(url).status_code == 200
    response = client.post(url, {"day": "2021-07-01"})
    assert response.status_code == 200
    assert Membership.objects.filter(union=kit.school_union, end__isnull=True).count() == 4
    response = client.post(url, {"day": "2021-07-01", "confirm": "on"})
    assert response.status_code == 302
    assert not Membership.objects.filter(union=kit.school_union, end__isnull=True).exists()
