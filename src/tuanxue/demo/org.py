"""The demo school, 广东工贸职业技术学院 (code ``gdgm``), as its self-assessment report describes it.

``build_demo`` removes any existing ``gdgm`` school completely and builds it again, identically on
every run: the structure goes through the services (so the audit chain records it), while the
thousands of students and academic records are bulk-created and summarised in one audit event.
Nothing outside the demo school is touched.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError

from tuanxue.core.audit import audit_record
from tuanxue.core.models import AuditEvent, School
from tuanxue.demo import org_data as data
from tuanxue.demo.people import (
    create_records,
    create_students,
    create_users,
    set_branch_secretaries,
)
from tuanxue.demo.unions import UnionPlan, login_students
from tuanxue.org import services
from tuanxue.org.models import (
    AcademicRecord,
    ClassGroup,
    College,
    LeagueBranch,
    Major,
    Membership,
    RoleGrant,
    Society,
    StaffPerson,
    Student,
)
from tuanxue.org.selectors import UnionStructure, school_union, union_structure

BUILT_ACTION = "org.demo.built"


@dataclass
class DemoResult:
    school: School
    students: int
    colleges: int
    classes: int
    structure: UnionStructure
    logins: list[tuple[str, str, str]] = field(default_factory=lambda: list(data.LOGINS))
    password: str = data.PASSWORD
    url: str = data.URL


# -- removing the old demo school --------------------------------------------------------------


def _purge(queryset: QuerySet, depth: int = 0) -> None:
    """Delete ``queryset``; rows that protect it (PROTECT / RESTRICT) are deleted first."""
    for _attempt in range(50):
        try:
            queryset.delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            if depth > 10:
                raise
            blockers = getattr(exc, "protected_objects", None) or exc.restricted_objects
            by_model: dict[type, set] = defaultdict(set)
            for obj in blockers:
                by_model[type(obj)].add(obj.pk)
            for model, pks in by_model.items():
                if model is AuditEvent:
                    AuditEvent.objects.filter(pk__in=pks).delete()
                else:
                    _purge(model._base_manager.filter(pk__in=pks), depth + 1)
    raise RuntimeError(f"could not delete {queryset.model.__name__} rows")


def _demo_user_ids(school: School) -> set[int]:
    """Accounts that belong to the demo school only: they go with it."""
    User = get_user_model()
    built = AuditEvent.objects.filter(school=school, action=BUILT_ACTION).order_by("-id").first()
    names = (built.new or {}).get("users", []) if built is not None else []
    ids = set(
        Student.objects.filter(school=school, user__isnull=False).values_list("user", flat=True)
    )
    ids |= set(
        StaffPerson.objects.filter(school=school, user__isnull=False).values_list("user", flat=True)
    )
    ids |= set(User.objects.filter(username__in=names).values_list("pk", flat=True))
    elsewhere = set(
        RoleGrant.objects.filter(user__in=ids, school__isnull=False)
        .exclude(school=school)
        .values_list("user", flat=True)
    )
    elsewhere |= set(
        Student.objects.filter(user__in=ids).exclude(school=school).values_list("user", flat=True)
    )
    elsewhere |= set(
        StaffPerson.objects.filter(user__in=ids)
        .exclude(school=school)
        .values_list("user", flat=True)
    )
    elsewhere |= set(
        User.objects.filter(pk__in=ids, is_superuser=True).values_list("pk", flat=True)
    )
    return ids - elsewhere


def remove_demo_school(code: str = data.SCHOOL_CODE) -> bool:
    """Remove the school ``code`` with everything in it, its audit log and its own accounts."""
    school = School.objects.filter(code=code).first()
    if school is None:
        return False
    with transaction.atomic():
        user_ids = _demo_user_ids(school)
        # The log is append-only for the application; removing a whole school removes its chain.
        AuditEvent.objects.filter(school=school).delete()
        for queryset in (
            Membership.objects.filter(school=school),
            AcademicRecord.objects.filter(school=school),
            RoleGrant.objects.filter(school=school),
            LeagueBranch.objects.filter(class_group__school=school),
            Student.objects.filter(school=school),
            ClassGroup.objects.filter(school=school),
            Major.objects.filter(school=school),
            School.objects.filter(pk=school.pk),
            get_user_model().objects.filter(pk__in=user_ids),
        ):
            _purge(queryset)
    return True


# -- the build ---------------------------------------------------------------------------------


# Apps above ``org`` add their part of the demo here (``org`` cannot import them): a step runs
# either before the union posts are appointed ("before_posts", e.g. adopting the charter the posts
# are checked against) or at the end ("after"). Each step takes the school.
_steps: dict[str, list] = {"before_posts": [], "after": []}


def register_step(stage: str, step) -> None:
    if step not in _steps[stage]:
        _steps[stage].append(step)


def build_demo() -> DemoResult:
    """Build (or rebuild) the demo school. Same content on every run."""
    rng = random.Random(data.SEED)
    with transaction.atomic():
        remove_demo_school()
        school = services.school_add(actor=None, code=data.SCHOOL_CODE, name=data.SCHOOL_NAME)
        semesters = {
            code: services.semester_ensure(actor=None, school=school, code=code)
            for code in data.SEMESTERS
        }
        colleges, classes = _build_colleges(rng, school)
        roster = create_students(
            rng,
            school=school,
            colleges=[
                (c, campus, male)
                for c, (_n, campus, male, _m) in zip(colleges, data.COLLEGES, strict=True)
            ],
            classes=classes,
        )
        societies = _build_societies(school, colleges)
        union = school_union(school)
        plan = UnionPlan(rng, roster)
        plan.plan_school_union(colleges)
        for college in colleges:
            plan.plan_college_union(college)
        record_count = create_records(
            rng,
            school=school,
            semester=semesters[data.RECORD_SEMESTER],
            roster=roster,
            qualified=plan.chosen,
        )
        refresh_statistics()
        record_count += _carry_records(
            school, semesters[data.RECORD_SEMESTER], semesters[data.LATEST_SEMESTER]
        )
        secretaries = set_branch_secretaries(rng, roster=roster, classes=classes, avoid=plan.chosen)
        for step in _steps["before_posts"]:
            step(school)
        plan.appoint(union)
        people = login_students(roster, plan, classes, secretaries, colleges)
        user_count = create_users(
            school=school, first_college=colleges[0], school_union=union, people=people
        )
        refresh_statistics()
        for step in _steps["after"]:
            step(school)
            refresh_statistics()
        audit_record(
            school=school,
            actor=None,
            action=BUILT_ACTION,
            target=school,
            new={
                "seed": data.SEED,
                "students": len(roster.students),
                "majors": Major.objects.filter(school=school).count(),
                "academic_records": record_count,
                "league_branch_secretaries": len(secretaries),
                "societies": societies,
                "staff_people": len(data.STAFF_LOGINS),
                "users": data.DEMO_USERNAMES,
                "user_count": user_count,
            },
        )
    return DemoResult(
        school=school,
        students=len(roster.students),
        colleges=len(colleges),
        classes=len(classes),
        structure=union_structure(union),
    )


def refresh_statistics() -> None:
    """On PostgreSQL, let the planner see the rows this transaction has just bulk-inserted.

    The demo is built in one transaction; without fresh statistics the planner takes its tables
    for empty and joins thousands of new rows by nested loops (minutes instead of milliseconds).
    ANALYZE inside the transaction counts the transaction's own new rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _carry_records(school: School, source, target) -> int:
    """The latest semester's records: the same standing as the recorded one, so that pages
    judging "the last semester" today have real records to judge."""
    rows = [
        AcademicRecord(
            school=school,
            student_id=r.student_id,
            semester=target,
            study_rank=r.study_rank,
            assessment_rank=r.assessment_rank,
            major_size=r.major_size,
            failed_courses=r.failed_courses,
        )
        for r in AcademicRecord.objects.filter(semester=source).order_by()
    ]
    AcademicRecord.objects.bulk_create(rows, batch_size=100)
    return len(rows)


def _build_colleges(rng: random.Random, school: School) -> tuple[list[College], list[ClassGroup]]:
    colleges: list[College] = []
    classes: list[ClassGroup] = []
    for order, (name, _campus, _male, majors) in enumerate(data.COLLEGES, start=1):
        college = services.college_create(actor=None, school=school, name=name, order=order)
        colleges.append(college)
        for major_name, short in majors:
            major = Major.objects.create(school=school, college=college, name=major_name)
            for grade in data.GRADES:
                for number in range(1, rng.choice(data.CLASSES_PER_COHORT) + 1):
                    classes.append(
                        services.class_group_create(
                            actor=None,
                            school=school,
                            college=college,
                            major=major,
                            name=f"{short}{grade % 100:02d}{number:02d}",
                            grade=grade,
                        )
                    )
    return colleges, classes


def _build_societies(school: School, colleges: list[College]) -> int:
    rows = [
        Society(
            school=school,
            name=name,
            is_major=is_major,
            college=colleges[college] if college is not None else None,
        )
        for name, is_major, college in data.SOCIETIES
    ]
    Society.objects.bulk_create(rows)
    return len(rows)
