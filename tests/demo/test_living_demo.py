"""The living demo (what ``tuanxue demo`` builds): the seed's 2020 history intact, the school
carried on to today, and two more schools that ``tuanxue assess`` judges from their data."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tuanxue.charter.assessment import delegate_quota
from tuanxue.charter.models import CongressRecord
from tuanxue.congress.models import CongressSession, SessionStatus
from tuanxue.core.audit import verify_chain
from tuanxue.core.models import School
from tuanxue.demo import build_living_demo, remove_living_demo
from tuanxue.demo.living.dates import chinese_number, congress_day, current_first_year
from tuanxue.demo.living.schools import DRIFTED, NARROW, months_before
from tuanxue.org.access import build_viewer
from tuanxue.org.models import BodyKind, Membership, Role, Student
from tuanxue.org.rotation.services import current_semester
from tuanxue.review.models import ReviewSession, ReviewStatus

SEED_FIGURES = {
    "staff_total": 31,
    "presidium_size": 5,
    "department_count": 6,
    "from_college_unions": 21,
    "from_college_unions_ratio": 0.6774,
    "congress_date": "2020-08-25",
    "congress_delegates": 167,
}


@pytest.fixture(scope="module")
def living(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:
            yield build_living_demo()
        finally:
            remove_living_demo()


@pytest.fixture
def gdgm(living, db) -> School:
    return School.objects.get(code="gdgm")


def run_assess(*args) -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("assess", *args, "--json", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def today() -> str:
    return timezone.localdate().isoformat()


# -- the seed's 2020 history ------------------------------------------------------------------


def test_the_seed_figures_on_2020_09_30_are_unchanged(gdgm):
    code, result = run_assess("--school", "gdgm", "--date", "2020-09-30")
    assert code == 0 and result["passed"] is True
    figures = {k: result["figures"][k] for k in SEED_FIGURES}
    assert figures == SEED_FIGURES
    assert {i["status"] for i in result["items"]} == {"pass"}


# -- gdgm today -------------------------------------------------------------------------------


def test_gdgm_passes_today(gdgm):
    code, result = run_assess("--school", "gdgm", "--date", today())
    assert code == 0, [(i["code"], i["detail"]) for i in result["items"] if i["status"] != "pass"]
    assert result["passed"] is True
    items = {i["code"]: i for i in result["items"]}
    assert items["9"]["status"] == "pass"
    assert items["11"]["status"] == "pass"  # the duty review of the semester due was held
    assert result["figures"]["staff_total"] == 31
    assert result["figures"]["congress_date"] > "2021-01-01"


def test_the_current_semester_is_todays_with_an_executive_chair(gdgm):
    day = timezone.localdate()
    semester = current_semester(gdgm, day)
    assert semester is not None and semester.start <= day <= semester.end
    assert semester.code.startswith(f"{current_first_year(day)}-")
    slot = gdgm.rotation_slots.get(semester=semester)
    chair = slot.membership
    assert chair.start <= day and chair.end is None
    assert chair.body.kind == BodyKind.PRESIDIUM
    # The executive-chair login is today's executive chair.
    user = get_user_model().objects.get(username="zhixing")
    assert user.student.pk == chair.student_id
    assert Role.EXECUTIVE_CHAIR in build_viewer(user).roles


def test_a_congress_within_the_last_year_elected_and_installed_the_presidium(gdgm):
    day = timezone.localdate()
    session = (
        CongressSession.objects.filter(school=gdgm, held_on__lte=day).order_by("-held_on").first()
    )
    assert session.held_on > day - dt.timedelta(days=366)
    assert session.status == SessionStatus.CLOSED
    assert session.name == f"第{chinese_number(session.number)}次学生代表大会"
    record = CongressRecord.objects.get(school=gdgm, name=session.name)
    assert record.elected_presidium and record.held_on == session.held_on
    quota, _rows = delegate_quota(gdgm, 0.01)
    assert record.delegates >= quota
    presidium = Membership.objects.filter(
        union=session.union, body__kind=BodyKind.PRESIDIUM, end__isnull=True
    )
    assert presidium.count() == 5
    assert {m.source for m in presidium} == {f"congress:{session.pk}"}
    assert all(m.start == session.held_on for m in presidium)
    # One congress a year since the seed's 14th.
    numbers = list(
        CongressSession.objects.filter(school=gdgm)
        .order_by("held_on")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(14, 14 + len(numbers)))
    assert len(numbers) == 1 + sum(1 for y in range(2021, day.year + 1) if congress_day(y) <= day)


def test_reviews_each_semester_and_cohorts_each_year(gdgm):
    day = timezone.localdate()
    published = ReviewSession.objects.filter(school=gdgm, status=ReviewStatus.PUBLISHED)
    ended = {
        s.code
        for s in gdgm.semesters.filter(end__lt=day - dt.timedelta(days=90))
        if s.code != "2019-2020-1"
    }
    assert ended <= set(published.values_list("semester__code", flat=True))
    grades = set(Student.objects.filter(school=gdgm).values_list("grade", flat=True))
    assert set(range(2018, current_first_year(day) + 1)) <= grades


def test_the_audit_chain_is_intact(gdgm):
    assert verify_chain(gdgm) == []


# -- the two other schools --------------------------------------------------------------------


def test_the_narrow_school_passes_exactly_at_its_limits(living, db):
    code, result = run_assess("--school", NARROW.code, "--date", today())
    assert code == 0 and result["passed"] is True
    items = {i["code"]: i for i in result["items"]}
    assert items["3"]["actual"] == items["3"]["limit"]
    assert items["9"]["actual"] == months_before(timezone.localdate(), 12).isoformat()
    assert items["10"]["actual"] == items["10"]["limit"]
    assert "lnqg-tuanwei" in {s.login for s in living.schools}


def test_the_drifted_school_fails_with_its_breaches_named(living, db):
    code, result = run_assess("--school", DRIFTED.code, "--date", today())
    assert code == 1 and result["passed"] is False
    items = {i["code"]: i for i in result["items"]}
    failed = {c for c, i in items.items() if i["status"] == "fail"}
    assert failed == {"3", "5", "6", "7", "9"}
    assert items["3"]["actual"] == {"staff_total": 21, "presidium_size": 4, "department_count": 3}
    assert "主席团成员 4（≤ 3）" in items["3"]["detail"]
    assert "秘书部负责人 3（≤ 2）" in items["3"]["detail"]
    assert "群众" in items["5"]["detail"]
    assert "不及格课程1门" in items["6"]["detail"]
    assert items["9"]["actual"] == months_before(timezone.localdate(), 20).isoformat()


def test_each_school_has_a_league_committee_login(living, db):
    for spec in (NARROW, DRIFTED):
        user = get_user_model().objects.get(username=spec.login)
        assert user.check_password(spec.password)
        viewer = build_viewer(user)
        assert Role.SCHOOL_LEAGUE in viewer.roles
        assert user.staff_person.school.code == spec.code


# -- pure helpers -----------------------------------------------------------------------------


def test_helpers():
    assert [chinese_number(n) for n in (14, 15, 20, 21, 99)] == [
        "十四",
        "十五",
        "二十",
        "二十一",
        "九十九",
    ]
    assert congress_day(2026).weekday() == 4 and congress_day(2026) <= dt.date(2026, 8, 28)
    assert current_first_year(dt.date(2027, 8, 31)) == 2026
    assert current_first_year(dt.date(2027, 9, 1)) == 2027
    assert months_before(dt.date(2026, 12, 2), 12) == dt.date(2025, 12, 2)
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)


# -- today's pages ----------------------------------------------------------------------------


def test_todays_pages_show_a_living_union(gdgm, client):
    client.force_login(get_user_model().objects.get(username="tuanwei"))
    day = timezone.localdate()
    union = gdgm.unions.get(college__isnull=True)
    semester = current_semester(gdgm, day)
    chair = gdgm.rotation_slots.get(semester=semester).membership.student
    latest = CongressSession.objects.filter(school=gdgm).order_by("-held_on").first()
    pages = {
        reverse("charter:compliance", args=["gdgm"]): [],
        reverse("org:rotation", args=["gdgm", union.pk]): [semester.code, chair.name],
        reverse("calendar:index", args=["gdgm"]): [semester.code],
        reverse("congress:sessions", args=["gdgm"]): [latest.name],
        reverse("review:sessions", args=["gdgm"]): [f"{day.year - 1}-{day.year}-"],
        reverse("voice:board", args=["gdgm"]): [],
    }
    for url, texts in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for text in texts:
            assert text in page, (url, text)
