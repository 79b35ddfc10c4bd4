"""Executive chair rotation: the fair schedule, its editing, the role and the structure that
follow it, and the page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tuanxue.core.errors import DomainError
from tuanxue.core.models import AcademicYear, AuditEvent, Semester
from tuanxue.org import services
from tuanxue.org.access import build_viewer
from tuanxue.org.models import EndReason, Role, RotationSlot, Title
from tuanxue.org.rotation import services as rotation
from tuanxue.org.selectors import union_structure

# -- the fairness property, on the pure schedule ---------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda n: st.tuples(
            st.integers(min_value=1, max_value=8),
            # the index of the first semester each member no longer serves (9 = never leaves)
            st.lists(st.integers(min_value=1, max_value=9), min_size=n, max_size=n),
        )
    )
)
def test_every_prefix_is_fair_among_those_still_serving(case):
    """Members all serve from the first semester and only leave. For every k: the chair of
    semester k serves then, and after k semesters the chair counts of the members serving at
    semester k differ by at most 1 (so each chairs once before anyone chairs twice)."""
    semester_count, leaves = case
    members = list(range(len(leaves)))
    serving = [{m for m in members if leaves[m] > k} for k in range(semester_count)]
    chairs = rotation.fair_schedule(members, serving)
    counts = dict.fromkeys(members, 0)
    for k, chair in enumerate(chairs):
        if not serving[k]:
            assert chair is None
            continue
        assert chair in serving[k]
        counts[chair] += 1
        serving_counts = [counts[m] for m in serving[k]]
        assert max(serving_counts) - min(serving_counts) <= 1
        if max(serving_counts) >= 2:
            assert min(serving_counts) >= 1


def test_fixed_order_cycles_and_skips_a_member_who_left():
    chairs = rotation.fair_schedule("ABCDE", [set("ABCDE"), set("ACDE"), set("ACDE"), set("ACDE")])
    assert chairs == list("ACDE")
    chairs = rotation.fair_schedule("ABC", [set("ABC")] * 7)
    assert chairs == list("ABCABCA")


def test_a_member_who_joins_midway_takes_a_turn_first():
    chairs = rotation.fair_schedule("ABC", [set("AB"), set("AB"), set("ABC"), set("ABC")])
    assert chairs == list("ABCA")


# -- the services ---------------------------------------------------------------------------


@pytest.fixture
def presidium(chartered):
    kit = chartered
    kit.members = [
        kit.post(
            kit.good_student(f"主席团{i}", user=kit.user(f"p{i}")),
            kit.presidium,
            Title.PRESIDIUM_MEMBER,
        )
        for i in range(5)
    ]
    kit.semesters = [
        services.semester_ensure(actor=None, school=kit.school, code=code)
        for code in ("2020-2021-1", "2020-2021-2", "2021-2022-1", "2021-2022-2")
    ]
    kit.league = kit.user("league", role=Role.SCHOOL_LEAGUE)
    return kit


def schedule(union):
    return [(s.semester.code, s.membership_id) for s in rotation.rotation_slots(union)]


def test_four_semesters_five_members_one_leaving_is_fair(presidium):
    kit = presidium
    a, b, c, d, e = kit.members
    services.membership_end(
        actor=None, membership=b, end=dt.date(2021, 1, 10), reason=EndReason.RESIGNATION
    )
    rotation.rotation_generate(actor=kit.league, union=kit.school_union, semesters=kit.semesters)
    assert schedule(kit.school_union) == [
        ("2020-2021-1", a.pk),
        ("2020-2021-2", c.pk),
        ("2021-2022-1", d.pk),
        ("2021-2022-2", e.pk),
    ]
    event = AuditEvent.objects.get(action="org.rotation.generated")
    assert [t["semester"] for t in event.new["schedule"]] == [s.code for s in kit.semesters]
    assert event.new["schedule"][1]["student"] == c.student.student_no


def test_fixed_order_is_earliest_term_start_then_student_number(presidium):
    kit = presidium
    later_start, earlier_start = kit.members[1], kit.members[3]
    later_start.start = dt.date(2020, 9, 2)
    later_start.save(update_fields=["start"])
    earlier_start.start = dt.date(2020, 8, 20)
    earlier_start.save(update_fields=["start"])
    plan = rotation.rotation_plan(kit.school_union, kit.semesters)
    assert [t.membership.pk for t in plan] == [
        kit.members[3].pk,
        kit.members[0].pk,
        kit.members[2].pk,
        kit.members[4].pk,
    ]


def test_generating_again_replaces_and_later_semesters_continue_the_cycle(presidium):
    kit = presidium
    union = kit.school_union
    rotation.rotation_generate(actor=kit.league, union=union, semesters=kit.semesters[:2])
    rotation.rotation_generate(actor=kit.league, union=union, semesters=kit.semesters[2:])
    ids = [m.pk for m in kit.members]
    assert [m for _code, m in schedule(union)] == ids[:4]
    rotation.rotation_set(
        actor=kit.league, union=union, semester=kit.semesters[0], membership=kit.members[4]
    )
    rotation.rotation_generate(actor=kit.league, union=union, semesters=kit.semesters[:2])
    assert RotationSlot.objects.filter(union=union).count() == 4
    assert [m for _code, m in schedule(union)][:2] == ids[:2]


def test_only_the_league_committee_generates_or_edits(presidium):
    kit = presidium
    union = kit.school_union
    for user in (
        kit.user(role=Role.STUDENT_AFFAIRS),
        kit.user(role=Role.COLLEGE_LEAGUE),
        kit.members[0].student.user,
    ):
        with pytest.raises(DomainError) as exc:
            rotation.rotation_generate(actor=user, union=union, semesters=kit.semesters)
        assert exc.value.code == "forbidden"
        with pytest.raises(DomainError):
            rotation.rotation_set(
                actor=user, union=union, semester=kit.semesters[0], membership=kit.members[0]
            )
    assert not RotationSlot.objects.exists()


def test_the_college_league_committee_runs_its_college_union(presidium):
    kit = presidium
    union = kit.college.union
    body = union.bodies.get(kind="presidium")
    member = kit.post(kit.good_student(), body, Title.PRESIDIUM_MEMBER)
    college_league = kit.user(role=Role.COLLEGE_LEAGUE)
    rotation.rotation_generate(actor=college_league, union=union, semesters=kit.semesters[:1])
    assert schedule(union) == [("2020-2021-1", member.pk)]


def test_set_needs_a_presidium_post_held_on_the_first_day(presidium):
    kit = presidium
    union = kit.school_union
    gone = kit.members[2]
    services.membership_end(
        actor=None, membership=gone, end=dt.date(2021, 1, 10), reason=EndReason.RESIGNATION
    )
    dept = kit.department()
    staff = kit.post(kit.good_student(), dept, Title.STAFF)
    for membership in (gone, staff):
        with pytest.raises(DomainError) as exc:
            rotation.rotation_set(
                actor=kit.league, union=union, semester=kit.semesters[1], membership=membership
            )
        assert exc.value.field == "membership"
    slot = rotation.rotation_set(
        actor=kit.league, union=union, semester=kit.semesters[0], membership=gone
    )
    assert slot.membership_id == gone.pk
    event = AuditEvent.objects.get(action="org.rotation.set")
    assert event.old is None and event.new["student"] == gone.student.student_no


def test_a_semester_without_presidium_is_refused_and_nothing_is_written(chartered):
    semester = services.semester_ensure(actor=None, school=chartered.school, code="2020-2021-1")
    with pytest.raises(DomainError):
        rotation.rotation_generate(actor=None, union=chartered.school_union, semesters=[semester])
    assert not RotationSlot.objects.exists()
    assert not AuditEvent.objects.filter(action="org.rotation.generated").exists()


# -- the role and the structure follow the rotation -----------------------------------------


@pytest.fixture
def around_today(presidium):
    """A semester that ended yesterday and one that starts today (its first day)."""
    kit = presidium
    today = timezone.localdate()
    year = AcademicYear.objects.create(
        school=kit.school,
        code="2098-2099",
        start=today - dt.timedelta(days=200),
        end=today + dt.timedelta(days=200),
    )
    kit.previous = Semester.objects.create(
        school=kit.school,
        academic_year=year,
        code="2098-2099-1",
        number=1,
        start=today - dt.timedelta(days=150),
        end=today - dt.timedelta(days=1),
    )
    kit.current = Semester.objects.create(
        school=kit.school,
        academic_year=year,
        code="2098-2099-2",
        number=2,
        start=today,
        end=today + dt.timedelta(days=150),
    )
    kit.today = today
    return kit


def test_the_role_changes_hands_on_the_semesters_first_day(around_today):
    kit = around_today
    union = kit.school_union
    old_chair, new_chair = kit.members[0], kit.members[1]
    rotation.rotation_set(
        actor=kit.league, union=union, semester=kit.previous, membership=old_chair
    )
    rotation.rotation_set(actor=kit.league, union=union, semester=kit.current, membership=new_chair)
    assert Role.EXECUTIVE_CHAIR in build_viewer(new_chair.student.user).roles
    old_roles = build_viewer(old_chair.student.user).roles
    assert Role.EXECUTIVE_CHAIR not in old_roles
    assert Role.PRESIDIUM_MEMBER in old_roles
    assert union_structure(union).executive_chair.pk == new_chair.pk
    yesterday = kit.today - dt.timedelta(days=1)
    assert union_structure(union, yesterday).executive_chair.pk == old_chair.pk


def test_the_title_gives_the_role_only_in_a_union_without_rotation(around_today):
    kit = around_today
    union = kit.school_union
    services.membership_end(
        actor=None, membership=kit.members[4], end=dt.date(2021, 1, 1), reason=EndReason.TRANSFER
    )
    titled = kit.post(
        kit.good_student("执行主席", user=kit.user("titled")),
        kit.presidium,
        Title.EXECUTIVE_CHAIR,
        dt.date(2021, 1, 2),
    )
    assert Role.EXECUTIVE_CHAIR in build_viewer(titled.student.user).roles
    assert union_structure(union).executive_chair.pk == titled.pk
    rotation.rotation_set(
        actor=kit.league, union=union, semester=kit.current, membership=kit.members[0]
    )
    assert Role.EXECUTIVE_CHAIR not in build_viewer(titled.student.user).roles
    assert Role.EXECUTIVE_CHAIR in build_viewer(kit.members[0].student.user).roles
    assert union_structure(union).executive_chair.pk == kit.members[0].pk


def test_the_chair_role_ends_with_the_post(around_today):
    kit = around_today
    chair = kit.members[2]
    rotation.rotation_set(
        actor=kit.league, union=kit.school_union, semester=kit.current, membership=chair
    )
    services.membership_end(
        actor=None, membership=chair, end=kit.today, reason=EndReason.RESIGNATION
    )
    roles = build_viewer(chair.student.user).roles
    assert Role.EXECUTIVE_CHAIR not in roles and Role.PRESIDIUM_MEMBER not in roles
    assert union_structure(kit.school_union).executive_chair is None


# -- the page -------------------------------------------------------------------------------


def page(kit, union=None):
    union = union or kit.school_union
    return reverse("org:rotation", args=[kit.school.code, union.pk])


def test_everyone_of_the_school_reads_the_schedule_with_the_current_one_marked(
    client, around_today
):
    kit = around_today
    rotation.rotation_set(
        actor=kit.league, union=kit.school_union, semester=kit.current, membership=kit.members[3]
    )
    client.force_login(kit.user(student=True))
    response = client.get(page(kit))
    assert response.status_code == 200
    html = response.content.decode()
    assert kit.members[3].student.name in html
    assert 'aria-current="true"' in html
    assert 'name="action" value="generate"' not in html
    assert response.context["rows"][0]["current"] is True


def test_the_union_page_links_to_the_rotation(client, presidium):
    client.force_login(presidium.user(student=True))
    response = client.get(
        reverse("org:union", args=[presidium.school.code, presidium.school_union.pk])
    )
    assert page(presidium) in response.content.decode()


def test_structure_page_shows_the_chair_from_the_rotation(client, around_today):
    kit = around_today
    rotation.rotation_set(
        actor=kit.league, union=kit.school_union, semester=kit.current, membership=kit.members[1]
    )
    client.force_login(kit.user(student=True))
    response = client.get(reverse("org:structure", args=[kit.school.code]))
    assert response.context["s"].executive_chair.pk == kit.members[1].pk
    assert kit.members[1].student.name in response.content.decode()


def test_league_committee_generates_and_edits_on_the_page(client, around_today):
    kit = around_today
    client.force_login(kit.league)
    response = client.get(page(kit))
    assert response.status_code == 200
    choices = list(response.context["generate_form"].fields["semesters"].queryset)
    assert choices == [kit.current]
    response = client.get(page(kit) + "?all=1")
    assert kit.semesters[0] in list(response.context["generate_form"].fields["semesters"].queryset)
    response = client.post(
        page(kit),
        {"action": "generate", "semesters": [kit.previous.pk, kit.current.pk], "all": "1"},
    )
    assert response.status_code == 302
    assert schedule(kit.school_union) == [
        ("2098-2099-1", kit.members[0].pk),
        ("2098-2099-2", kit.members[1].pk),
    ]
    response = client.post(
        page(kit),
        {"action": "set", "semester": kit.current.pk, "membership": kit.members[4].pk},
    )
    assert response.status_code == 302
    assert RotationSlot.objects.get(semester=kit.current).membership_id == kit.members[4].pk


def test_a_refused_edit_shows_the_reason_and_writes_nothing(client, around_today):
    kit = around_today
    dept = kit.department()
    staff = kit.post(kit.good_student(), dept, Title.STAFF)
    client.force_login(kit.league)
    events = AuditEvent.objects.count()
    response = client.post(
        page(kit), {"action": "set", "semester": kit.current.pk, "membership": staff.pk}
    )
    assert response.status_code == 200
    assert response.context["set_form"].errors
    assert AuditEvent.objects.count() == events
    response = client.post(page(kit), {"action": "generate"})
    assert response.status_code == 200
    assert response.context["generate_form"].errors["semesters"]


@pytest.mark.parametrize("role", [None, Role.STUDENT_AFFAIRS, Role.SCHOOL_PARTY])
def test_read_only_roles_may_not_post(client, around_today, role):
    kit = around_today
    client.force_login(kit.user(role=role) if role else kit.members[0].student.user)
    assert client.get(page(kit)).status_code == 200
    response = client.post(page(kit), {"action": "generate", "semesters": [kit.current.pk]})
    assert response.status_code == 403
    assert not RotationSlot.objects.exists()


def test_outsiders_get_404(client, presidium, other_kit):
    client.force_login(other_kit.user(role=Role.SCHOOL_LEAGUE))
    assert client.get(page(presidium)).status_code == 404
    assert client.post(page(presidium), {"action": "generate"}).status_code == 404
