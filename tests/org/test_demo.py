"""The demo school: built once per module, checked against the seed's figures and the charter."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tuanxue.core.audit import verify_chain
from tuanxue.core.chain.sealer import seal_school
from tuanxue.core.models import AuditEvent, School
from tuanxue.demo import org_data as data
from tuanxue.demo import remove_living_demo
from tuanxue.demo.org import build_demo
from tuanxue.org.access import build_viewer
from tuanxue.org.models import (
    AcademicRecord,
    ClassGroup,
    LeagueBranch,
    Membership,
    PoliticalStatus,
    Role,
    RoleGrant,
    Society,
    StaffPerson,
    Student,
    Title,
    Union,
)
from tuanxue.org.selectors import school_union, union_structure

FORBIDDEN_REMIT_WORDS = ["宿舍", "纠察", "安全保卫", "保卫"]
AFTER_CONGRESS = dt.date(2020, 9, 15)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        result = build_demo()
        yield result
        # ``test_demo_command_prints_logins_and_figures`` builds the whole living demo.
        remove_living_demo()


@pytest.fixture
def school(demo, db) -> School:
    return School.objects.get(code=data.SCHOOL_CODE)


def _qualified(student: Student) -> bool:
    record = AcademicRecord.objects.get(student=student, semester__code=data.RECORD_SEMESTER)
    return (
        record.study_rank / record.major_size <= 0.30
        and record.assessment_rank / record.major_size <= 0.30
        and record.failed_courses == 0
    )


def _snapshot(school: School) -> dict:
    return {
        "students": list(
            Student.objects.filter(school=school)
            .order_by("student_no")
            .values_list("student_no", "name", "gender", "political_status", "phone")
        ),
        "classes": list(
            ClassGroup.objects.filter(school=school).order_by("name").values_list("name", "grade")
        ),
        "posts": sorted(
            Membership.objects.filter(school=school).values_list(
                "student__student_no", "union__name", "body__name", "title", "start", "end"
            )
        ),
        "records": sorted(
            AcademicRecord.objects.filter(school=school).values_list(
                "student__student_no", "study_rank", "assessment_rank", "failed_courses"
            )
        ),
    }


def _counts() -> dict:
    return {
        "schools": School.objects.count(),
        "students": Student.objects.count(),
        "memberships": Membership.objects.count(),
        "records": AcademicRecord.objects.count(),
        "grants": RoleGrant.objects.count(),
        "staff": StaffPerson.objects.count(),
        "users": get_user_model().objects.count(),
        "societies": Society.objects.count(),
        "unions": Union.objects.count(),
        "events": AuditEvent.objects.count(),
    }


# -- the seed's figures ----------------------------------------------------------------------


@pytest.mark.parametrize("day", [None, AFTER_CONGRESS])
def test_school_union_matches_the_seed(school, day):
    structure = union_structure(school_union(school), day)
    assert structure.staff_total == 31
    assert structure.presidium_size == 5
    assert structure.department_count == 6
    assert structure.from_college_unions == 21
    assert structure.from_college_unions_ratio == 0.6774
    assert [d.body.name for d in structure.departments] == [
        name for name, _remit in data.SCHOOL_DEPARTMENTS
    ]
    titles = Counter(m.title for m in structure.presidium.members)
    assert titles == {Title.EXECUTIVE_CHAIR: 1, Title.PRESIDIUM_MEMBER: 4}
    assert structure.executive_chair is not None
    for department in structure.departments:
        assert 1 <= len(department.heads) <= 3
        assert 2 <= len(department.staff) <= 6
        assert department.body.remit
        assert not any(word in department.body.remit for word in FORBIDDEN_REMIT_WORDS)
    assert all(m.start == data.CONGRESS_DAY and m.end is None for m in structure.members)


def test_school_union_members_are_league_members_meeting_the_academic_rule(school):
    structure = union_structure(school_union(school))
    for membership in structure.members:
        student = membership.student
        assert student.political_status == PoliticalStatus.LEAGUE_MEMBER
        assert _qualified(student), student


def test_earlier_posts_are_ended_posts_in_the_members_own_college_union(school):
    structure = union_structure(school_union(school))
    members = {m.student_id for m in structure.members}
    earlier = Membership.objects.filter(student__in=members, union__college__isnull=False)
    assert earlier.count() == 21
    for post in earlier.select_related("union", "student"):
        assert post.union.college_id == post.student.college_id
        assert post.end == data.EARLIER_POST_END
        assert post.end_reason == "transfer"
        assert post.start < data.CONGRESS_DAY


def test_college_unions_keep_the_charter_limits(school):
    unions = Union.objects.filter(school=school, college__isnull=False)
    assert unions.count() == len(data.COLLEGES)
    for union in unions:
        structure = union_structure(union)
        assert 20 <= structure.staff_total <= 30, union
        assert 2 <= structure.presidium_size <= 3, union
        assert 4 <= structure.department_count <= 6, union
        assert sum(m.title == Title.EXECUTIVE_CHAIR for m in structure.presidium.members) == 1
        for department in structure.departments:
            assert department.body.name.endswith("部")
            assert 2 <= len(department.heads) <= 3, department.body
            assert len(department.staff) <= 6, department.body
            assert not any(word in department.body.remit for word in FORBIDDEN_REMIT_WORDS)
        for membership in structure.members:
            student = membership.student
            assert student.college_id == union.college_id
            assert student.political_status == PoliticalStatus.LEAGUE_MEMBER
            assert _qualified(student)
            assert membership.start == data.COLLEGE_TERM_START and membership.end is None


# -- the roster ---------------------------------------------------------------------------------


def test_roster_size_and_shape(school):
    students = Student.objects.filter(school=school)
    assert 5000 <= students.count() <= 7000
    assert 6 <= school.colleges.count() <= 10
    numbers = list(students.values_list("student_no", "grade", "phone", "campus"))
    assert len({n for n, *_ in numbers}) == len(numbers)
    for number, grade, phone, campus in numbers:
        assert re.fullmatch(r"\d{10}", number) and number.startswith(str(grade))
        assert re.fullmatch(r"1[3-9]\d{9}", phone)
        assert campus in data.CAMPUSES
    statuses = Counter(students.values_list("political_status", flat=True))
    assert statuses.most_common(1)[0][0] == PoliticalStatus.LEAGUE_MEMBER
    assert all(statuses[s] > 0 for s in PoliticalStatus.values)
    for group in ClassGroup.objects.filter(school=school).select_related("major"):
        assert re.fullmatch(rf".+{group.grade % 100:02d}\d\d", group.name)


def test_records_rank_each_cohort(school):
    records = AcademicRecord.objects.filter(school=school, semester__code=data.RECORD_SEMESTER)
    with_record = Student.objects.filter(school=school, grade__in=data.RECORD_GRADES)
    assert records.count() == with_record.count()
    cohorts = defaultdict(list)
    for major, grade, size, study, assessment in records.values_list(
        "student__major", "student__grade", "major_size", "study_rank", "assessment_rank"
    ):
        cohorts[(major, grade)].append((size, study, assessment))
    for rows in cohorts.values():
        n = len(rows)
        assert {size for size, _s, _a in rows} == {n}
        assert sorted(s for _n, s, _a in rows) == list(range(1, n + 1))
        assert sorted(a for _n, _s, a in rows) == list(range(1, n + 1))
    failed = Counter(records.values_list("failed_courses", flat=True))
    assert failed[0] > failed[1] > failed[2] > 0


def test_every_branch_has_a_secretary_from_its_class(school):
    branches = LeagueBranch.objects.filter(class_group__school=school).select_related("secretary")
    assert branches.count() == ClassGroup.objects.filter(school=school).count()
    for branch in branches:
        assert branch.secretary is not None
        assert branch.secretary.class_group_id == branch.class_group_id
        assert branch.secretary.political_status == PoliticalStatus.LEAGUE_MEMBER


def test_societies(school):
    societies = Society.objects.filter(school=school)
    assert 8 <= societies.count() <= 12
    assert 3 <= societies.filter(is_major=True).count() <= 4


# -- logins -------------------------------------------------------------------------------------

EXPECTED_ROLES = {
    "tuanwei": Role.SCHOOL_LEAGUE,
    "mishuzhang": Role.SCHOOL_LEAGUE,
    "xuegong": Role.STUDENT_AFFAIRS,
    "dangwei": Role.SCHOOL_PARTY,
    "xytw": Role.COLLEGE_LEAGUE,
    "xydzz": Role.COLLEGE_PARTY,
    "jiaowu": Role.SCHOOL_DEPARTMENT,
    "xuelian": Role.FEDERATION,
    "zhixing": Role.EXECUTIVE_CHAIR,
    "zhuxituan": Role.PRESIDIUM_MEMBER,
    "buzhang": Role.DEPARTMENT_HEAD,
    "ganshi": Role.UNION_MEMBER,
    "tuanzhishu": Role.LEAGUE_BRANCH,
    "daibiao": Role.DELEGATE,
    "xuesheng": Role.STUDENT,
}


def _roles(user) -> set[str]:
    return build_viewer(user).roles


def test_one_login_per_role(school):
    assert set(EXPECTED_ROLES) == set(data.DEMO_USERNAMES)
    users = get_user_model().objects.filter(username__in=data.DEMO_USERNAMES)
    assert users.count() == len(data.DEMO_USERNAMES)
    for user in users:
        assert user.check_password(data.PASSWORD)
        roles = _roles(user)
        assert EXPECTED_ROLES[user.username] in roles, (user.username, roles)
    plain = users.get(username="xuesheng")
    assert _roles(plain) == {Role.STUDENT}
    assert _roles(users.get(username="ganshi")) == {Role.STUDENT, Role.UNION_MEMBER}
    secretary = users.get(username="tuanzhishu")
    branch = LeagueBranch.objects.get(class_group=secretary.student.class_group)
    assert branch.secretary_id == secretary.student.pk
    for username in ("tuanwei", "xuegong", "xytw", "jiaowu"):
        assert users.get(username=username).staff_person.school == school
    federation = RoleGrant.objects.get(user__username="xuelian")
    assert federation.school is None


def test_audit_chain_is_intact(school):
    assert verify_chain(school) == []
    built = AuditEvent.objects.get(school=school, action="org.demo.built")
    assert built.new["students"] == Student.objects.filter(school=school).count()
    assert AuditEvent.objects.filter(school=school, action="org.membership.created").count() == (
        Membership.objects.filter(school=school).count()
    )


# -- rebuilding -----------------------------------------------------------------------------------


def test_rebuild_is_identical_and_does_not_duplicate(school):
    before = _snapshot(school)
    counts = _counts()
    build_demo()
    rebuilt = School.objects.get(code=data.SCHOOL_CODE)
    assert _snapshot(rebuilt) == before
    assert _counts() == counts
    # inside the test's transaction no commit hook seals; seal as the server would after commit
    # (the sealing delay itself is tested in tests/core)
    seal_school(rebuilt.pk)
    assert verify_chain(rebuilt) == []


def test_rebuild_leaves_another_school_untouched(school, other_kit):
    student = other_kit.student(name="别校学生")
    other_kit.user("other-teacher", role=Role.SCHOOL_LEAGUE)
    other_kit.post(student, other_kit.department(), Title.STAFF)
    other = other_kit.school
    events = list(AuditEvent.objects.filter(school=other).values_list("seq", "hash"))
    students = list(Student.objects.filter(school=other).values_list("pk", "name"))
    grants = list(RoleGrant.objects.filter(school=other).values_list("pk", "user__username"))
    posts = list(Membership.objects.filter(school=other).values_list("pk", "end"))
    build_demo()
    assert list(AuditEvent.objects.filter(school=other).values_list("seq", "hash")) == events
    assert list(Student.objects.filter(school=other).values_list("pk", "name")) == students
    assert list(RoleGrant.objects.filter(school=other).values_list("pk", "user__username")) == (
        grants
    )
    assert list(Membership.objects.filter(school=other).values_list("pk", "end")) == posts
    assert get_user_model().objects.filter(username="other-teacher").exists()
    seal_school(other.pk)
    assert verify_chain(other) == []


def test_demo_command_prints_logins_and_figures(school):
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    for username in data.DEMO_USERNAMES:
        assert username in text
    assert data.PASSWORD in text
    assert data.URL in text
    assert "31" in text and "67.74%" in text
    assert "执行主席" in text and "Executive chair" in text
