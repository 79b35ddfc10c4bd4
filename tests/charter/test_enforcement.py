"""Every write that would breach the charter is refused, naming the rule, and changes nothing."""

import contextlib
import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tuanxue.charter.compliance import union_rules
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.org import selectors, services
from tuanxue.org.models import Department, Membership, PoliticalStatus, Title

START = dt.date(2020, 9, 1)
_machines = itertools.count()
_posts_seen: list[int] = []


def refused(fn, *, contains: str):
    before = (Membership.objects.count(), Department.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        fn()
    after = (Membership.objects.count(), Department.objects.count(), AuditEvent.objects.count())
    assert before == after
    assert contains in exc.value.message
    assert "2020年修改版" in exc.value.message or "charter" not in contains
    return exc.value


def test_sixth_presidium_member_is_refused(chartered):
    for _ in range(5):
        chartered.post(chartered.good_student(), chartered.presidium, Title.PRESIDIUM_MEMBER, START)
    err = refused(
        lambda: chartered.post(
            chartered.good_student(), chartered.presidium, Title.PRESIDIUM_MEMBER, START
        ),
        contains="5",
    )
    assert "already 5" in err.message or "已有5" in err.message or "5" in err.message


def test_seventh_department_is_refused(chartered):
    for i in range(6):
        chartered.department(name=f"部门{i}部", remit="服务同学")
    refused(lambda: chartered.department(name="第七部", remit="服务同学"), contains="6")


def test_fourth_head_is_refused(chartered):
    dept = chartered.department()
    chartered.post(chartered.good_student(), dept, Title.MINISTER, START)
    chartered.post(chartered.good_student(), dept, Title.VICE_MINISTER, START)
    chartered.post(chartered.good_student(), dept, Title.VICE_MINISTER, START)
    refused(
        lambda: chartered.post(chartered.good_student(), dept, Title.VICE_MINISTER, START),
        contains="3",
    )


def test_seventh_staff_member_is_refused(chartered):
    dept = chartered.department()
    for _ in range(6):
        chartered.post(chartered.good_student(), dept, Title.STAFF, START)
    refused(
        lambda: chartered.post(chartered.good_student(), dept, Title.STAFF, START), contains="6"
    )


def test_title_outside_the_list_is_refused(chartered):
    # The seed charter rotates the chair, so "chair" is not an allowed title.
    refused(
        lambda: chartered.post(chartered.good_student(), chartered.presidium, Title.CHAIR, START),
        contains="2020年修改版",
    )


def test_non_member_is_refused(chartered):
    student = chartered.good_student(political_status=PoliticalStatus.MASSES)
    dept = chartered.department()
    refused(lambda: chartered.post(student, dept, Title.STAFF, START), contains=student.name)


def test_failing_the_academic_rule_is_refused(chartered):
    student = chartered.good_student(study=20, size=40)
    dept = chartered.department()
    err = refused(lambda: chartered.post(student, dept, Title.STAFF, START), contains="20/40")
    assert err.field == "student"


def test_missing_records_are_refused_not_passed(chartered):
    student = chartered.student(grade=2018)
    dept = chartered.department()
    refused(lambda: chartered.post(student, dept, Title.STAFF, START), contains="2019-2020-2")


@pytest.mark.parametrize("remit", ["负责宿舍管理", "校园文明纠察", "协助安全保卫"])
def test_forbidden_remit_is_refused_on_create_and_on_change(chartered, remit):
    refused(lambda: chartered.department(name="生活部", remit=remit), contains="生活部")
    dept = chartered.department(name="生活部", remit="服务同学生活")
    refused(
        lambda: services.department_update_remit(actor=None, department=dept, remit=remit),
        contains="生活部",
    )
    dept.refresh_from_db()
    assert dept.remit == "服务同学生活"


def test_ended_posts_free_their_place(chartered):
    dept = chartered.department()
    posts = [chartered.post(chartered.good_student(), dept, Title.STAFF, START) for _ in range(6)]
    services.membership_end(
        actor=None, membership=posts[0], end=dt.date(2020, 10, 1), reason="resignation"
    )
    chartered.post(chartered.good_student(), dept, Title.STAFF, dt.date(2020, 10, 1))


def test_legacy_loads_bypass_the_charter_and_show_on_compliance(chartered):
    dept = chartered.department()
    for _ in range(7):
        services.membership_create(
            actor=None,
            body=dept,
            student=chartered.student(grade=2018),
            title=Title.STAFF,
            start=START,
            enforce_charter=False,
        )
    s = selectors.union_structure(chartered.school_union, dt.date(2020, 9, 2))
    rows = [r for r in union_rules(s, chartered.charter.parsed) if not r.ok]
    assert any(r.actual == 7 for r in rows)


class MembershipMachine(RuleBasedStateMachine):
    """Random sequences of posts taken and left through the services never end in a breach."""

    def __init__(self):
        super().__init__()
        from tests.conftest import SchoolKit

        self.kit = SchoolKit(code=f"h{next(_machines)}")
        self.kit.semester = services.semester_ensure(
            actor=None, school=self.kit.school, code="2019-2020-2"
        )
        from tuanxue.charter import services as cs
        from tuanxue.charter.rules import SEED_2020

        cs.charter_adopt(
            actor=None,
            school=self.kit.school,
            name="章程",
            version_label="2020年修改版",
            effective_from=dt.date(2020, 8, 1),
            rules=SEED_2020.to_json(),
        )
        self.presidium = self.kit.school_union.bodies.get(kind="presidium")
        self.departments = [self.presidium]
        self.day = START

    def _student(self, rank):
        from tuanxue.org.models import AcademicRecord

        s = self.kit.student(grade=2018)
        AcademicRecord.objects.create(
            school=self.kit.school,
            student=s,
            semester=self.kit.semester,
            study_rank=rank,
            assessment_rank=rank,
            major_size=40,
            failed_courses=0,
        )
        return s

    @rule(
        name=st.sampled_from(["秘书部", "文艺部", "宣传部", "体育部", "纪检部", "学习部", "实践部"])
    )
    def add_department(self, name):
        with contextlib.suppress(DomainError):
            self.departments.append(self.kit.department(name=name, remit="服务同学"))

    @rule(
        which=st.integers(0, 7),
        title=st.sampled_from(list(Title.values)),
        rank=st.sampled_from([1, 5, 12, 13]),
    )
    def take_post(self, which, title, rank):
        body = self.departments[which % len(self.departments)]
        with contextlib.suppress(DomainError):
            services.membership_create(
                actor=None, body=body, student=self._student(rank), title=title, start=self.day
            )

    @rule(which=st.integers(0, 100))
    def leave_post(self, which):
        open_posts = list(
            Membership.objects.filter(union__school=self.kit.school, end__isnull=True)
        )
        if open_posts:
            self.day += dt.timedelta(days=1)
            services.membership_end(
                actor=None,
                membership=open_posts[which % len(open_posts)],
                end=self.day,
                reason="resignation",
            )

    def teardown(self):
        _posts_seen.append(Membership.objects.filter(union__school=self.kit.school).count())

    @invariant()
    def charter_holds(self):
        from tuanxue.charter.services import charter_in_force

        rules = charter_in_force(self.kit.school, self.day).parsed
        s = selectors.union_structure(self.kit.school_union, self.day)
        # Staff-minimum and heads-minimum are goals to reach, not caps a write can breach.
        breaches = [
            r
            for r in union_rules(s, rules)
            if not r.ok and not (r.key == "cap" and r.limit.startswith(("≥", "2–")))
        ]
        assert breaches == [], [(r.rule, r.actual, r.limit) for r in breaches]


def test_no_sequence_of_service_calls_ends_in_a_breach(db):
    run_state_machine_as_test(
        MembershipMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    # The machine did take posts, not only get refused.
    assert max(_posts_seen) >= 3
