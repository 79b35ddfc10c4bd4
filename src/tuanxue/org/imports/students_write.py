"""Writing a checked student roster: new colleges (through the service, with their unions),
majors and classes (in bulk, each class audited as the service would), then the students in
batches with bulk_create / bulk_update.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuanxue.core.audit import audit_record
from tuanxue.core.models import School
from tuanxue.org import services
from tuanxue.org.imports.common import BATCH, Progress
from tuanxue.org.models import ClassGroup, College, LeagueBranch, Major, Student


@dataclass
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
    students: dict[str, Student]

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
        students = {s.student_no: s for s in Student.objects.filter(school=school)}
        return cls(colleges=colleges, majors=majors, classes=classes, students=students)


def changes_for(student: Student, item: StudentRow, registry: Registry) -> dict:
    """Field -> new value for what differs from the registry."""
    group = registry.classes.get(item.class_name)
    if group is None:
        # A class that is only created by this import: the student certainly moves.
        return {"class_group": item.class_name}
    wanted = {
        "name": item.name,
        "gender": item.gender,
        "college_id": group.college_id,
        "major_id": group.major_id,
        "class_group_id": group.pk,
        "grade": item.grade,
        "political_status": item.political_status,
    }
    # A blank optional cell keeps what the registry has.
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
    for group in groups:
        registry.classes[group.name] = group
        audit_record(
            school=school,
            actor=actor,
            action="org.class.created",
            target=group,
            new={
                "name": group.name,
                "college": group.college.name,
                "major": group.major.name,
                "grade": group.grade,
            },
        )
    total = len(creates) + len(updates)
    done = 0
    for start in range(0, len(creates), BATCH):
        batch = [_new_student(school, item, registry) for item in creates[start : start + BATCH]]
        Student.objects.bulk_create(batch)
        done += len(batch)
        if progress is not None:
            progress("write", done, total)
    changed_fields: set[str] = set()
    changed: list[Student] = []
    for item in updates:
        student = registry.students[item.student_no]
        changes = changes_for(student, item, registry)
        for name, value in changes.items():
            setattr(student, name, value)
        changed_fields.update(n.removesuffix("_id") for n in changes)
        changed.append(student)
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        Student.objects.bulk_update(batch, sorted(changed_fields))
        done += len(batch)
        if progress is not None:
            progress("write", done, total)


def _new_student(school: School, item: StudentRow, registry: Registry) -> Student:
    group = registry.classes[item.class_name]
    return Student(
        school=school,
        student_no=item.student_no,
        name=item.name,
        gender=item.gender,
        college_id=group.college_id,
        major_id=group.major_id,
        class_group_id=group.pk,
        grade=item.grade,
        political_status=item.political_status,
        campus=item.campus,
        phone=item.phone,
    )
