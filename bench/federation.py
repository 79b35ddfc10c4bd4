"""Benchmark: the whole province assessed, and the federation's page, on PostgreSQL.

    .venv/bin/python bench/federation.py --database-url postgres://…/EMPTY_DB \
        [--schools 150] [--students 20000] [--colleges 10] [--requests 30] [--keep] [--reuse]

Fills an empty PostgreSQL database (it migrates it, and empties it at the end unless
--keep) with synthetic schools: each with --colleges colleges, their majors and classes,
--students students written with COPY (and one academic record each), a school union of 29 staff
in six departments, a college union of 22 staff per college, the seed charter, the calendar, a
congress, the League guidance and the documents the attested items need; every tenth school has
let its congress lapse, so it fails. Creation time is printed but is not part of the figures.

Then it times ``tuanxue assess --all --json`` (goal: 150 schools in 10 s or less on two cores)
and --requests GETs of the federation page through Django's test client (goal: p95 1 s or
less), and prints the query counts after the first 10 schools and after all of them: neither
count changes with the schools or the students. ``--reuse`` times again the schools a run with
--keep left, without creating any. Timing is never asserted anywhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

SEMESTERS = ("2025-2026-1", "2025-2026-2")
SCHOOL_DEPARTMENTS = ("秘书部", "文艺部", "学习权益部", "纪检部", "宣传部", "体育部")
COLLEGE_DEPARTMENTS = ("秘书部", "学习部", "文体部", "宣传部")
CORE_DOCUMENTS = {"7": "主席团候选人审批材料", "12": "校党委听取学生会工作汇报会议纪要"}


def build_school(n: int, args) -> None:
    """One synthetic school, the structure through the services, the bulk through COPY."""
    from django.db import connection

    from tuanxue.charter import services as charter_services
    from tuanxue.charter.models import Attestation, CongressRecord, Guidance
    from tuanxue.charter.rules import SEED_2020
    from tuanxue.org import services
    from tuanxue.org.models import (
        BodyKind,
        ClassGroup,
        Department,
        LeagueBranch,
        Major,
        Membership,
        StaffPerson,
        Title,
        Union,
    )

    school = services.school_add(actor=None, code=f"s{n:03d}", name=f"第{n}职业技术学院")
    colleges = [
        services.college_create(actor=None, school=school, name=f"第{c}学院", order=c)
        for c in range(args.colleges)
    ]
    semesters = [
        services.semester_ensure(actor=None, school=school, code=code) for code in SEMESTERS
    ]
    charter_services.charter_adopt(
        actor=None,
        school=school,
        name="学生会章程",
        version_label="2020年修改版",
        effective_from=dt.date(2020, 8, 1),
        rules=SEED_2020.to_json(),
        adopted_by="学生代表大会",
    )
    majors = Major.objects.bulk_create(
        [
            Major(school=school, college=c, name=f"{c.name}专业{m}")
            for c in colleges
            for m in range(2)
        ]
    )
    per_class = 40
    classes_wanted = max(len(majors), args.students // per_class)
    groups = ClassGroup.objects.bulk_create(
        [
            ClassGroup(
                school=school,
                college_id=majors[k % len(majors)].college_id,
                major=majors[k % len(majors)],
                name=f"班{k:04d}",
                grade=2023 + k % 4,
            )
            for k in range(classes_wanted)
        ],
        batch_size=5000,
    )
    LeagueBranch.objects.bulk_create([LeagueBranch(class_group=g) for g in groups], batch_size=5000)
    # Students with COPY: class k holds students k, k + classes, …; the first ones (grade 2024,
    # League members, top of their major) are the union's staff.
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY org_student (school_id, student_no, name, gender, college_id, major_id, "
            "class_group_id, grade, political_status, campus, postgraduate, phone) FROM STDIN"
        ) as copy,
    ):
        for s in range(args.students):
            group = groups[s % len(groups)]
            status = "league" if s < 2000 or s % 5 else "masses"
            copy.write_row(
                (
                    school.pk,
                    f"{n:03d}{s:07d}",
                    f"学生{s}",
                    "F" if s % 2 else "M",
                    group.college_id,
                    group.major_id,
                    group.pk,
                    2024 if s < 2000 else group.grade,
                    status,
                    "",
                    False,
                    "",
                )
            )
    students = list(
        school.students.order_by("student_no").values_list("pk", "college_id")[: 29 + 22 * 11]
    )
    last = semesters[-1]
    every = list(school.students.values_list("pk", flat=True))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY org_academicrecord (school_id, student_id, semester_id, study_rank, "
            "assessment_rank, major_size, failed_courses) FROM STDIN"
        ) as copy,
    ):
        for k, pk in enumerate(every):
            copy.write_row((school.pk, pk, last.pk, 1 + k % 60, 1 + k % 60, 200, 0))

    unions = {u.college_id: u for u in Union.objects.filter(school=school)}
    bodies: dict[int | None, list] = {}
    new_bodies = []
    for college_id, union in unions.items():
        names = SCHOOL_DEPARTMENTS if college_id is None else COLLEGE_DEPARTMENTS
        for order, name in enumerate(names, start=1):
            new_bodies.append(
                Department(
                    union=union,
                    kind=BodyKind.DEPARTMENT,
                    name=name,
                    remit=f"{name}的日常工作",
                    order=order,
                )
            )
    Department.objects.bulk_create(new_bodies)
    for body in Department.objects.filter(union__school=school).order_by("-kind", "order"):
        bodies.setdefault(body.union.college_id, []).append(body)

    congress_day = dt.date(2026, 8, 25) if n % 10 else dt.date(2024, 8, 25)
    term = congress_day + dt.timedelta(days=1)
    posts = []
    pool = iter(students)

    def staff(union, body, title, start=term, end=None):
        pk, _college = next(pool)
        posts.append(
            Membership(
                school=school,
                union=union,
                body=body,
                student_id=pk,
                title=title,
                start=start,
                end=end,
                end_reason="term_end" if end else "",
            )
        )
        return pk

    school_union = unions[None]
    presidium, *departments = bodies[None]
    for _k in range(5):
        staff(school_union, presidium, Title.PRESIDIUM_MEMBER)
    for body in departments:
        staff(school_union, body, Title.MINISTER)
        staff(school_union, body, Title.VICE_MINISTER)
        staff(school_union, body, Title.STAFF)
        staff(school_union, body, Title.STAFF)
    came_from_colleges = [p.student_id for p in posts[:20]]
    for college in colleges:
        union = unions[college.pk]
        c_presidium, *c_departments = bodies[college.pk]
        staff(union, c_presidium, Title.PRESIDIUM_MEMBER)
        staff(union, c_presidium, Title.PRESIDIUM_MEMBER)
        for body in c_departments:
            staff(union, body, Title.MINISTER)
            staff(union, body, Title.VICE_MINISTER)
            for _k in range(3):
                staff(union, body, Title.STAFF)
    # Twenty of the school union's staff held a college post the year before.
    first_college = unions[colleges[0].pk]
    for pk in came_from_colleges:
        posts.append(
            Membership(
                school=school,
                union=first_college,
                body=bodies[colleges[0].pk][1],
                student_id=pk,
                title=Title.STAFF,
                start=congress_day.replace(year=congress_day.year - 1),
                end=congress_day,
                end_reason="term_end",
            )
        )
    Membership.objects.bulk_create(posts, batch_size=5000)

    quota = sum(-(-size // 100) for size in [args.students // args.colleges] * args.colleges)
    CongressRecord.objects.create(
        school=school,
        union=school_union,
        name="学生代表大会",
        held_on=congress_day,
        delegates=quota + 10,
        elected_presidium=True,
    )
    teachers = StaffPerson.objects.bulk_create(
        [
            StaffPerson(school=school, staff_no=f"T{n:03d}1", name="指导老师", unit="校团委"),
            StaffPerson(school=school, staff_no=f"T{n:03d}2", name="秘书长", unit="校团委"),
        ]
    )
    Guidance.objects.create(union=school_union, advisor=teachers[0], secretary_general=teachers[1])
    Attestation.objects.bulk_create(
        [
            Attestation(school=school, item_code=code, title=title, dated=congress_day)
            for code, title in CORE_DOCUMENTS.items()
        ]
    )


def timed_assess_all() -> tuple[float, int, int, int]:
    """Seconds, queries, schools, exit code of ``tuanxue assess --all --json``."""
    import json

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        try:
            call_command("assess", "--all", "--json", stdout=out)
            code = 0
        except SystemExit as exc:
            code = exc.code
        seconds = time.perf_counter() - started
    return seconds, len(queries), len(json.loads(out.getvalue())["schools"]), code


def page_figures(client, requests: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/federation/")  # warm
    times = []
    for _k in range(requests):
        started = time.perf_counter()
        response = client.get("/federation/")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get("/federation/")
    return times, len(queries)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database")
    parser.add_argument("--schools", type=int, default=150)
    parser.add_argument("--students", type=int, default=20000)
    parser.add_argument("--colleges", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the tables")
    parser.add_argument(
        "--reuse", action="store_true", help="time the schools left by --keep, create none"
    )
    args = parser.parse_args()
    args.keep = args.keep or args.reuse
    if not args.database_url.startswith("postgres"):
        parser.error("the benchmark runs on PostgreSQL (it writes with COPY)")

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "src"))
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuanxue.settings"
    os.environ.setdefault("AUDIT_KEY", "0" * 64)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tuanxue.org import services
    from tuanxue.org.models import Role

    setup_test_environment()
    call_command("migrate", verbosity=0)
    try:
        user = get_user_model().objects.filter(username="bench-xuelian").first()
        if user is None:
            user = get_user_model().objects.create_user("bench-xuelian", password="x")
            services.role_grant_create(actor=None, user=user, role=Role.FEDERATION, school=None)
        client = Client()
        client.force_login(user)
        first = min(10, args.schools)
        rows = []
        built = 0
        stops = sorted({first, args.schools})
        if args.reuse:
            from tuanxue.core.models import School

            built = School.objects.count()
            stops = [built]
        started = time.perf_counter()
        for stop in stops:
            while built < stop:
                build_school(built + 1, args)
                built += 1
            creation = time.perf_counter() - started
            if not args.reuse:
                print(f"built {built} schools × {args.students} students in {creation:.1f} s")
            _analyze()
            seconds, queries, schools, code = timed_assess_all()
            assert schools == built, schools
            times, page_queries = page_figures(client, args.requests)
            rows.append((built, seconds, queries, code, times, page_queries))
            started = time.perf_counter()
        print()
        if not args.reuse:
            print(f"students per school: {args.students}, colleges per school: {args.colleges}")
        print(
            f"{'schools':>8} {'assess --all s':>15} {'queries':>8} {'per school':>11} "
            f"{'exit':>5} {'page p50 s':>11} {'page p95 s':>11} {'page queries':>13}"
        )
        for built, seconds, queries, code, times, page_queries in rows:
            print(
                f"{built:>8} {seconds:>15.2f} {queries:>8} {queries / built:>11.1f} {code:>5} "
                f"{statistics.median(times):>11.3f} {p95(times):>11.3f} {page_queries:>13}"
            )
        built, seconds, _q, _c, times, _p = rows[-1]
        projected = seconds / built * 150
        print()
        print(
            f"assess --all: {seconds:.2f} s for {built} schools "
            f"({seconds / built * 1000:.0f} ms per school; 150 schools ≈ {projected:.1f} s; "
            f"goal ≤ 10 s)"
        )
        print(f"federation page: p95 {p95(times):.3f} s over {len(times)} requests (goal ≤ 1 s)")
    finally:
        if not args.keep:
            call_command("flush", interactive=False, verbosity=0)
    return 0


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    raise SystemExit(main())
