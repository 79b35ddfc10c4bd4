"""``tuanxue assess --all``: every school's result, exit code 1 when a core item fails anywhere."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.conftest import SchoolKit
from tests.federation.conftest import staff_school
from tuanxue.demo.org import build_demo
from tuanxue.federation.models import Standing


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("assess", "--all", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


@pytest.mark.django_db
def test_every_school_listed_and_one_failing_school_fails_the_run():
    build_demo()
    code, out = run("--date", "2020-09-30", "--json")
    result = json.loads(out)
    assert code == 0 and result["passed"] is True
    [gdgm] = result["schools"]
    assert gdgm["school_code"] == "gdgm" and gdgm["passed"] is True
    assert gdgm["figures"]["staff_total"] == 31
    assert gdgm["figures"]["from_college_unions_ratio"] == 0.6774
    assert gdgm["failing_core_items"] == [] and gdgm["breaches"] == []
    assert not Standing.objects.exists()  # a past date records no standing

    staff_school(SchoolKit(code="drift", name="漂移职业学院"))
    code, out = run("--date", "2020-09-30", "--json")
    result = json.loads(out)
    assert code == 1 and result["passed"] is False
    assert [s["school_code"] for s in result["schools"]] == ["drift", "gdgm"]
    assert result["failed_schools"] == ["drift"]
    drift = result["schools"][0]
    failing = {i["code"] for i in drift["failing_core_items"]}
    assert failing and all(i["status"] != "pass" for i in drift["failing_core_items"])
    items = {i["code"]: i for i in drift["items"]}
    assert failing == {c for c, i in items.items() if i["core"] and i["status"] != "pass"}
    assert all(any(b.startswith(f"{c}.") for b in drift["breaches"]) for c in failing)

    # Chinese text without --json; today's run records each school's standing.
    code, out = run()
    assert code == 1
    assert "[未通过] drift 漂移职业学院" in out
    assert "所学校" in out.splitlines()[-1]
    assert Standing.objects.filter(assessed_on=timezone.localdate()).count() == 2


@pytest.mark.django_db
def test_all_refuses_a_school_and_a_bad_date():
    with pytest.raises(CommandError):
        call_command("assess", "--all", "--school", "x", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("assess", "--all", "--date", "2020-13-01", stdout=io.StringIO())


def test_one_school_is_assessed_in_the_same_queries_whatever_its_size(school):
    """More colleges (each with its union and posts) and more students cost no more queries."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuanxue.charter.assessment import assess
    from tuanxue.org import services
    from tuanxue.org.models import Title

    kit = school
    day = dt.date(2020, 9, 30)
    with CaptureQueriesContext(connection) as small:
        before = assess(kit.school, day)
    for n in range(3):
        college = services.college_create(actor=None, school=kit.school, name=f"新学院{n}")
        union = kit.school.unions.get(college=college)
        body = services.department_create(actor=None, union=union, name="秘书部", remit="会务")
        for _k in range(2):
            kit.post(kit.good_student(college=college), body, Title.MINISTER)
        for _k in range(20):
            kit.student(college=college)
    with CaptureQueriesContext(connection) as large:
        after = assess(kit.school, day)
    assert len(after.context.college_unions) == len(before.context.college_unions) + 3
    assert len(large) == len(small)


@pytest.mark.django_db
def test_the_query_count_grows_neither_with_the_schools_nor_with_the_students(
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(2):
        staff_school(SchoolKit(code=f"q{n}", name=f"查询{n}学院"), students=2)
    with CaptureQueriesContext(connection) as two_schools:
        _code, out = run("--date", "2021-03-01", "--json")
    assert len(json.loads(out)["schools"]) == 2
    for n in range(2, 8):
        staff_school(SchoolKit(code=f"q{n}", name=f"查询{n}学院"), students=30)
    # Every kind of record is read once for all the schools: the same queries for eight
    # schools of 30 students as for two of 2.
    with django_assert_max_num_queries(len(two_schools)):
        _code, out = run("--date", "2021-03-01", "--json")
    result = json.loads(out)
    assert len(result["schools"]) == 8
    assert all(s["figures"]["staff_total"] == 2 for s in result["schools"])
