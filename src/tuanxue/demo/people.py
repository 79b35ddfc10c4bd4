"""The demo school's people: students, academic records and login accounts.

Students and records are bulk-created (thousands of rows); the build summarises them in one audit
event. Everything is drawn from one seeded ``random.Random`` so every build is identical.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from tuanxue.core.errors import DomainError
from tuanxue.core.models import School, Semester
from tuanxue.demo import org_data as data
from tuanxue.org import services
from tuanxue.org.models import (
    AcademicRecord,
    ClassGroup,
    College,
    Gender,
    LeagueBranch,
    Major,
    PoliticalStatus,
    Role,
    StaffPerson,
    Student,
    Union,
)

TOP_SHARE = 0.30


@dataclass
class Cohort:
    """The students of one major who entered in one year: the unit that ranks are taken in."""

    major: Major
    grade: int
    students: list[Student] = field(default_factory=list)

    @property
    def top_places(self) -> int:
        """How many ranks fall within the top 30% (rank / size <= 0.30)."""
        return math.floor(len(self.students) * TOP_SHARE + 1e-9)


@dataclass
class Roster:
    students: list[Student] = field(default_factory=list)
    by_class: dict[int, list[Student]] = field(default_factory=dict)
    cohorts: dict[tuple[int, int], Cohort] = field(default_factory=dict)

    def cohort_of(self, student: Student) -> Cohort:
        return self.cohorts[(student.major_id, student.grade)]


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    values = [v for v, _w in table]
    weights = [w for _v, w in table]
    return rng.choices(values, weights=weights)[0]


def person_name(rng: random.Random, *, male: bool) -> str:
    surname = _weighted(rng, data.SURNAMES)
    pool = data.GIVEN_MALE if male else data.GIVEN_FEMALE
    length = 2 if rng.random() < 0.7 else 1
    given = "".join(rng.choice(pool) for _ in range(length))
    return surname + given


def phone_number(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def create_students(
    rng: random.Random,
    *,
    school: School,
    colleges: list[tuple[College, str, float]],
    classes: list[ClassGroup],
) -> Roster:
    """Fill every class with students; returns them grouped by class and by cohort."""
    college_info = {c.pk: (index, campus, male) for index, (c, campus, male) in enumerate(colleges)}
    statuses = data.POLITICAL_WEIGHTS
    students: list[Student] = []
    # Numbers: entry year, college (2 digits), major (1), class (1), seat (2): 2020010203.
    per_college_major: dict[int, list[int]] = {}
    for group in classes:
        majors = per_college_major.setdefault(group.college_id, [])
        if group.major_id not in majors:
            majors.append(group.major_id)
    for group in classes:
        college_no, campus, male_share = college_info[group.college_id]
        major_no = per_college_major[group.college_id].index(group.major_id) + 1
        class_no = int(group.name[-2:])
        size = rng.randint(*data.CLASS_SIZE)
        for seat in range(1, size + 1):
            male = rng.random() < male_share
            students.append(
                Student(
                    school=school,
                    student_no=f"{group.grade}{college_no + 1:02d}{major_no}{class_no}{seat:02d}",
                    name=person_name(rng, male=male),
                    gender=Gender.MALE if male else Gender.FEMALE,
                    college_id=group.college_id,
                    major_id=group.major_id,
                    class_group=group,
                    grade=group.grade,
                    political_status=_weighted(rng, statuses),
                    campus=campus,
                    phone=phone_number(rng),
                )
            )
    Student.objects.bulk_create(students, batch_size=1000)
    ids = dict(Student.objects.filter(school=school).values_list("student_no", "pk"))
    roster = Roster(students=students)
    majors = {m.pk: m for m in Major.objects.filter(school=school)}
    for student in students:
        student.pk = ids[student.student_no]
        roster.by_class.setdefault(student.class_group_id, []).append(student)
        key = (student.major_id, student.grade)
        if key not in roster.cohorts:
            roster.cohorts[key] = Cohort(major=majors[student.major_id], grade=student.grade)
        roster.cohorts[key].students.append(student)
    return roster


def set_branch_secretaries(
    rng: random.Random, *, roster: Roster, classes: list[ClassGroup], avoid: set[int]
) -> dict[int, Student]:
    """Each class's League branch gets a secretary and a deputy (the class monitor)."""
    secretaries: dict[int, Student] = {}
    branches = {b.class_group_id: b for b in LeagueBranch.objects.filter(class_group__in=classes)}
    for group in classes:
        members = [
            s
            for s in roster.by_class[group.pk]
            if s.political_status == PoliticalStatus.LEAGUE_MEMBER and s.pk not in avoid
        ]
        secretary, deputy = rng.sample(members, 2)
        branch = branches[group.pk]
        branch.secretary_id = secretary.pk
        branch.deputy_secretary_id = deputy.pk
        secretaries[group.pk] = secretary
    LeagueBranch.objects.bulk_update(list(branches.values()), ["secretary", "deputy_secretary"])
    return secretaries


def create_records(
    rng: random.Random, *, school: School, semester: Semester, roster: Roster, qualified: set[int]
) -> int:
    """One record per student with a past semester: ranks are permutations within the cohort.

    Students in ``qualified`` (union staff) are moved into the top 30% of both rankings by
    swapping ranks with classmates in the cohort, and have no failed course.
    """
    records: list[AcademicRecord] = []
    for key in sorted(roster.cohorts):
        cohort = roster.cohorts[key]
        if cohort.grade not in data.RECORD_GRADES:
            continue
        size = len(cohort.students)
        study = _ranks_with_top(rng, cohort, qualified)
        assessment = _ranks_with_top(rng, cohort, qualified)
        for student in cohort.students:
            if student.pk in qualified:
                failed = 0
            else:
                failed = rng.choices([0, 1, 2], weights=[86, 10, 4])[0]
            records.append(
                AcademicRecord(
                    school=school,
                    student_id=student.pk,
                    semester=semester,
                    study_rank=study[student.pk],
                    assessment_rank=assessment[student.pk],
                    major_size=size,
                    failed_courses=failed,
                )
            )
    AcademicRecord.objects.bulk_create(records, batch_size=1000)
    return len(records)


def _ranks_with_top(rng: random.Random, cohort: Cohort, qualified: set[int]) -> dict[int, int]:
    students = cohort.students
    ranks = list(range(1, len(students) + 1))
    rng.shuffle(ranks)
    by_student = {s.pk: r for s, r in zip(students, ranks, strict=True)}
    top = cohort.top_places
    free_top = [s.pk for s in students if s.pk not in qualified and by_student[s.pk] <= top]
    for student in students:
        if student.pk in qualified and by_student[student.pk] > top:
            other = free_top.pop(0)
            by_student[student.pk], by_student[other] = by_student[other], by_student[student.pk]
    return by_student


# -- login accounts ---------------------------------------------------------------------------


@dataclass
class DemoStudents:
    """The students who get a login, chosen by the union build."""

    executive_chair: Student
    presidium_member: Student
    minister: Student
    staff_member: Student
    branch_secretary: Student
    delegate: Student
    plain: Student


def create_users(
    *,
    school: School,
    first_college: College,
    school_union: Union,
    people: DemoStudents,
) -> int:
    """One login per role, all with the demo password. Returns the number of users."""
    User = get_user_model()
    taken = list(User.objects.filter(username__in=data.DEMO_USERNAMES).values_list("username"))
    if taken:
        raise DomainError(
            "Demo user names are taken by accounts outside the demo school: "
            + ", ".join(name for (name,) in taken)
        )
    # One hash for all demo accounts: hashing is deliberately slow, and they share a password.
    password = make_password(data.PASSWORD)

    def user(username: str, name: str):
        return User.objects.create(username=username, password=password, first_name=name)

    count = 0
    for number, (username, name, unit, position, role, in_college) in enumerate(
        data.STAFF_LOGINS, start=1
    ):
        account = user(username, name)
        college = first_college if in_college else None
        StaffPerson.objects.create(
            school=school,
            staff_no=f"T{number:04d}",
            name=name,
            unit=unit,
            position=position,
            college=college,
            user=account,
        )
        services.role_grant_create(
            actor=None, user=account, role=role, school=school, college=college
        )
        count += 1
    username, name = data.FEDERATION_LOGIN
    account = user(username, name)
    services.role_grant_create(actor=None, user=account, role=Role.FEDERATION, school=None)
    count += 1
    students = [
        ("zhixing", people.executive_chair, None),
        ("zhuxituan", people.presidium_member, None),
        ("buzhang", people.minister, None),
        ("ganshi", people.staff_member, None),
        ("tuanzhishu", people.branch_secretary, Role.LEAGUE_BRANCH),
        ("daibiao", people.delegate, Role.DELEGATE),
        ("xuesheng", people.plain, None),
    ]
    for username, student, role in students:
        account = user(username, student.name)
        Student.objects.filter(pk=student.pk).update(user=account)
        if role == Role.LEAGUE_BRANCH:
            services.role_grant_create(
                actor=None,
                user=account,
                role=role,
                school=school,
                class_group=student.class_group,
            )
        elif role == Role.DELEGATE:
            services.role_grant_create(
                actor=None, user=account, role=role, school=school, union=school_union
            )
        count += 1
    return count
