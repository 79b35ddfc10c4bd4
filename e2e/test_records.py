"""The League committee's first day on a phone: the setup panel on the home page, a past congress
and a teacher's guidance recorded through the forms, the calendar — nothing wider than the screen."""

import pytest

from e2e.conftest import log_in
from tuanxue.charter.models import CongressRecord, Guidance
from tuanxue.org.models import Role, StaffPerson

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school(db):
    from tests.conftest import SchoolKit

    kit = SchoolKit(code="e2e")
    kit.user("league", role=Role.SCHOOL_LEAGUE)
    StaffPerson.objects.create(school=kit.school, staff_no="T1", name="王老师", unit="校团委")
    StaffPerson.objects.create(school=kit.school, staff_no="T2", name="李老师", unit="校团委")
    return kit


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_first_day_records_on_a_phone(phone, live_server, school):
    base = live_server.url
    log_in(phone, base, "league")
    phone.goto(f"{base}/s/e2e/")
    panel = phone.locator("#setup-panel")
    assert panel.is_visible()
    assert "准备" in panel.inner_text()
    assert fits(phone)

    phone.goto(f"{base}/s/e2e/records/congresses/new/")
    assert fits(phone)
    phone.fill("input[name=name]", "第十三次学生代表大会")
    phone.fill("input[name=held_on]", "2019-08-26")
    phone.fill("input[name=delegates]", "150")
    phone.click("button[type=submit]")
    phone.wait_for_load_state()
    assert (
        "第十三次学生代表大会" in phone.inner_text("main")
        or "第十三次学生代表大会" in phone.content()
    )
    assert CongressRecord.objects.get().delegates == 150

    union = school.school_union
    phone.goto(f"{base}/s/e2e/records/guidance/{union.pk}/")
    phone.select_option("select[name=advisor]", label="王老师（校团委）")
    phone.select_option("select[name=secretary_general]", label="李老师（校团委）")
    phone.click("button[type=submit]")
    phone.wait_for_load_state()
    g = Guidance.objects.get()
    assert (g.advisor.name, g.secretary_general.name) == ("王老师", "李老师")
    assert fits(phone)

    for path in ("records/documents/", "calendar/", "setup/"):
        phone.goto(f"{base}/s/e2e/{path}")
        assert fits(phone), path
