"""Writing a checked student roster: new colleges (through the service, with their unions),
majors, classes and League branches in bulk, then the students with COPY (PostgreSQL) or batched
executemany. The caller writes the one audit event, which names every new class and every change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from tuanxue.core.models import School
from tuanxue.org import services
from tuanxue.org.imports.bulk import insert_rows, update_rows
from tuanxue.org.imports.common import BATCH, Progress
from tuanxue.org.models import ClassGroup, College, LeagueBranch, Major, Student


@dataclass(slots=True)
class StudentRow:
    row: int
    student_no: str
    name: str
    gender: str
    college: str
    major: str
    class_name: str
    grade: int
    political_status: str
    campus: str
    phone: str


@dataclass
class Registry:
    """The school's colleges, majors, classes and students, fetched once."""

    colleges: dict[str, College]
    majors: dict[tuple[str, str], Major]
    classes: dict[str, ClassGroup]
    students: dict[str, Existing]

    @classmethod
    def load(cls, school: School) -> Registry:
        colleges = {c.name: c for c in College.objects.filter(school=school)}
        by_id = {c.pk: c for c in colleges.values()}
        majors = {}
        for major in Major.objects.filter(school=school):
            major.college = by_id[major.college_id]
            majors[(major.college.name, major.name)] = major
        majors_by_id = {m.pk: m for m in majors.values()}
        classes = {}
        for group in ClassGroup.objects.filter(school=school):
            group.college = by_id[group.college_id]
            group.major = majors_by_id[group.major_id]
            classes[group.name] = group
        students = {
            s.student_no: s for s in Student.objects.filter(school=school).only(*STUDENT_FIELDS)
        }
        return cls(colleges=colleges, majors=majors, classes=classes, students=students)

    @cached_property
    def class_names(self) -> dict[int, ClassGroup]:
        return {g.pk: g for g in self.classes.values()}


@dataclass(slots=True)
class Existing:
    """A registry student as the import needs it: plain values, no model instance."""

    pk: int
    student_no: str
    name: str
    gender: str
    college_id: int
    major_id: int
    class_group_id: int
    grade: int
    political_status: str
    campus: str
    phone: str


STUDENT_FIELDS = (
    "id",
    "student_no",
    "name",
    "gender",
    "college_id",
    "major_id",
    "class_group_id",
    "grade",
    "political_status",
    "campus",
    "phone",
)
GENDER_TEXT = {"M": "男", "F": "女"}
POLITICAL_TEXT = {
    "party": "中共党员",
    "party_probationary": "中共预备党员",
    "league": "共青团员",
    "masses": "群众",
}


def _as_written(student: Existing, registry: Registry) -> dict:
    """A registry student in the spreadsheet's own terms (names and words, not ids or codes)."""
    group = registry.class_names.get(student.class_group_id)
    return {
        "姓名": student.name,
        "性别": GENDER_TEXT.get(student.gender, student.gender),
        "学院": group.college.name if group else "",
        "专业": group.major.name if group else "",
        "班级": group.name if group else "",
        "年级": student.grade,
        "政治面貌": POLITICAL_TEXT.get(student.political_status, student.political_status),
        "校区": student.campus,
        "手机": student.phone,
    }


def differences(student: Existing, item: StudentRow, registry: Registry) -> dict[str, list]:
    """Column -> [before, after] for what the row changes (in the spreadsheet's own terms)."""
    group = registry.classes.get(item.class_name)
    if (
        group is not None
        and student.class_group_id == group.pk
        and student.name == item.name
        and student.gender == item.gender
        and student.grade == item.grade
        and student.political_status == item.political_status
        and student.college_id == group.college_id
        and student.major_id == group.major_id
        and (not item.campus or item.campus == student.campus)
        and (not item.phone or item.phone == student.phone)
    ):
        return {}  # the common case on a re-import, decided without building anything
    before = _as_written(student, registry)
    after = {
        "姓名": item.name,
        "性别": GENDER_TEXT[item.gender],
        "学院": item.college,
        "专业": item.major,
        "班级": item.class_name,
        "年级": item.grade,
        "政治面貌": POLITICAL_TEXT[item.political_status],
        # A blank optional cell keeps what the registry has.
        "校区": item.campus or student.campus,
        "手机": item.phone or student.phone,
    }
    return {name: [before[name], value] for name, value in after.items() if before[name] != value}


def changes_for(student: Existing, item: StudentRow, registry: Registry) -> dict:
    """Field -> new value for what differs from the registry (classes must exist by now)."""
    group = registry.classes[item.class_name]
    wanted = {
        "name": item.name,
        "gender": item.gender,
        "college_id": group.college_id,
        "major_id": group.major_id,
        "class_group_id": group.pk,
        "grade": item.grade,
        "political_status": item.political_status,
    }
    if item.campus:
        wanted["campus"] = item.campus
    if item.phone:
        wanted["phone"] = item.phone
    return {name: value for name, value in wanted.items() if getattr(student, name) != value}


def write_students(
    *,
    school: School,
    actor,
    registry: Registry,
    new_colleges: list[str],
    new_majors: list[tuple[str, str]],
    new_classes: dict[str, tuple[str, str, int]],
    creates: list[StudentRow],
    updates: list[StudentRow],
    progress: Progress | None,
) -> None:
    for name in new_colleges:
        registry.colleges[name] = services.college_create(actor=actor, school=school, name=name)
    majors = [
        Major(school=school, college=registry.colleges[college], name=name)
        for college, name in new_majors
    ]
    for major in Major.objects.bulk_create(majors, batch_size=BATCH):
        registry.majors[(major.college.name, major.name)] = major
    groups = [
        ClassGroup(
            school=school,
            college=registry.colleges[college],
            major=registry.majors[(college, major)],
            name=name,
            grade=grade,
        )
        for name, (college, major, grade) in new_classes.items()
    ]
    ClassGroup.objects.bulk_create(groups, batch_size=BATCH)
    LeagueBranch.objects.bulk_create(
        [LeagueBranch(class_group=g) for g in groups], batch_size=BATCH
    )
    # The new classes are recorded in the import's one audit event (name, college, major,
    # grade), which keeps the number of statements independent of how many classes a file adds.
    for group in groups:
        registry.classes[group.name] = group
    total = len(creates) + len(updates)

    def report(done: int) -> None:
        if progress is not None:
            progress("write", done, total)

    insert_rows(
        Student,
        NEW_STUDENT_FIELDS,
        (_new_student(school, item, registry) for item in creates),
        done=report,
    )
    # One UPDATE shape for all: every field an import may set, current values where unchanged.
    changed = []
    for item in updates:
        student = registry.students[item.student_no]
        for name, value in changes_for(student, item, registry).items():
            setattr(student, name, value)
        changed.append((student.pk, *(getattr(student, name) for name in UPDATED_FIELDS)))
    update_rows(Student, UPDATED_FIELDS, changed, done=lambda n: report(len(creates) + n))


UPDATED_FIELDS = (
    "name",
    "gender",
    "college_id",
    "major_id",
    "class_group_id",
    "grade",
    "political_status",
    "campus",
    "phone",
)
NEW_STUDENT_FIELDS = ("school_id", "student_no", *UPDATED_FIELDS, "postgraduate")


def _new_student(school: School, item: StudentRow, registry: Registry) -> tuple:
    """A new student's values in the order of NEW_STUDENT_FIELDS."""
    group = registry.classes[item.class_name]
    return (
        school.pk,
        item.student_no,
        item.name,
        item.gender,
        group.college_id,
        group.major_id,
        group.pk,
        item.grade,
        item.political_status,
        item.campus,
        item.phone,
        False,
    )
