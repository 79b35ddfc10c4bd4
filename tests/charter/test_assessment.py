"""The self-assessment from live data: the demo passes with the seed's figures; a school with
breaches fails each item with the right actual figure; nothing passes without evidence."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from tuanxue.charter.assessment import assess
from tuanxue.core.models import School
from tuanxue.demo.org import build_demo
from tuanxue.org import services
from tuanxue.org.models import PoliticalStatus, Title


@pytest.fixture
def demo(db):
    build_demo()
    return School.objects.get(code="gdgm")


def run_assess(*args) -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("assess", *args, "--json", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def test_demo_passes_with_the_seed_figures(demo):
    code, result = run_assess("--school", "gdgm")
    assert code == 0
    assert result["passed"] is True
    assert result["charter"] == "2020年修改版"
    assert result["date"] == "2020-09-30"
    assert result["figures"] == {
        "staff_total": 31,
        "presidium_size": 5,
        "department_count": 6,
        "from_college_unions": 21,
        "from_college_unions_ratio": 0.6774,
        "congress_date": "2020-08-25",
        "congress_delegates": 167,
        "review_date": "2020-09-11",
        "reviewees": 17,
    }
    assert {i["status"] for i in result["items"]} == {"pass"}
    staffing = next(i for i in result["items"] if i["code"] == "3")
    assert staffing["actual"] == {"staff_total": 31, "presidium_size": 5, "department_count": 6}
    assert staffing["limit"] == {"staff_total": 60, "presidium_size": 5, "department_count": 6}


def test_a_school_without_data_is_not_evidenced_never_passed(kit):
    code, result = run_assess("--school", kit.school.code, "--date", "2021-01-01")
    assert code == 1
    assert result["charter"] is None
    statuses = {i["code"]: i["status"] for i in result["items"]}
    assert "pass" not in {statuses[c] for c in ("3", "4", "5", "6", "7", "8", "9", "12")}
    assert statuses["7"] == "not_evidenced"
    assert statuses["9"] == "not_evidenced"


@pytest.fixture
def breaching(chartered):
    """Legacy data loaded as it was, breaking the charter in several ways."""
    kit = chartered
    legacy = {"enforce_charter": False}
    start = dt.date(2020, 9, 1)
    for _ in range(6):
        services.membership_create(
            actor=None,
            body=kit.presidium,
            student=kit.good_student(),
            start=start,
            title=Title.PRESIDIUM_MEMBER,
            **legacy,
        )
    services.membership_create(
        actor=None,
        body=kit.presidium,
        student=kit.good_student(),
        start=start,
        title=Title.CHAIR,
        **legacy,
    )
    for i in range(7):
        services.department_create(
            actor=None, union=kit.school_union, name=f"第{i}部", remit="服务同学", **legacy
        )
    dormitory = services.department_create(
        actor=None, union=kit.school_union, name="生活部", remit="负责宿舍管理", **legacy
    )
    services.membership_create(
        actor=None,
        body=dormitory,
        student=kit.good_student(political_status=PoliticalStatus.MASSES),
        title=Title.STAFF,
        start=start,
        **legacy,
    )
    services.membership_create(
        actor=None,
        body=dormitory,
        student=kit.good_student(study=39),
        title=Title.STAFF,
        start=start,
        **legacy,
    )
    return kit


def test_breaches_are_reported_with_their_figures(breaching):
    code, result = run_assess("--school", breaching.school.code, "--date", "2020-10-01")
    assert code == 1
    items = {i["code"]: i for i in result["items"]}
    assert items["1"]["status"] == "fail" and items["1"]["actual"] == 1
    assert items["3"]["status"] == "fail"
    assert items["3"]["actual"]["presidium_size"] == 7
    assert items["3"]["actual"]["department_count"] == 8
    assert "7（≤ 5）" in items["3"]["detail"]
    assert items["4"]["status"] == "fail"
    assert items["5"]["status"] == "fail" and items["5"]["actual"] == 1
    assert items["6"]["status"] == "fail" and items["6"]["actual"] == 1
    assert "39/40" in items["6"]["detail"]


def test_a_congress_too_long_ago_fails_on_schedule(demo):
    report = assess(demo, dt.date(2022, 1, 1))
    item = next(i for i in report.items if i.code == "9")
    assert item.status == "fail"
    assert report.passed is False


def test_check_queries_are_bounded(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(80):
        assess(demo)
