"""The registry in a real browser on a phone-sized screen."""

import pytest

from e2e.conftest import log_in
from tuanxue.org.models import Role, Title

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school(db):
    from tests.conftest import SchoolKit

    kit = SchoolKit(code="e2e")
    presidium = kit.school_union.bodies.get(kind="presidium")
    department = kit.department()
    kit.post(kit.student(name="执行甲"), presidium, Title.EXECUTIVE_CHAIR)
    kit.post(kit.student(name="部长乙"), department, Title.MINISTER)
    kit.post(kit.student(name="干事丙", phone="13911112222"), department, Title.STAFF)
    kit.user("advisor", role=Role.SCHOOL_LEAGUE)
    kit.user("pupil", student=True)
    return kit


def test_advisor_sees_structure_figures_on_a_phone(phone, live_server, school):
    log_in(phone, live_server.url, "advisor")
    phone.goto(f"{live_server.url}/s/e2e/structure/")
    assert phone.locator('[data-figure="staff_total"]').inner_text() == "3"
    assert phone.locator('[data-figure="presidium_size"]').inner_text() == "1"
    assert phone.locator('[data-figure="department_count"]').inner_text() == "1"
    # Nothing spills sideways on a phone.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_student_sees_no_personal_data(phone, live_server, school):
    log_in(phone, live_server.url, "pupil")
    phone.goto(f"{live_server.url}/s/e2e/structure/")
    phone.click("text=干事丙")
    phone.wait_for_load_state()
    assert "干事丙" in phone.content()
    assert "13911112222" not in phone.content()
    assert phone.locator("#personal").count() == 0


def test_language_switch_to_english(phone, live_server, school):
    log_in(phone, live_server.url, "advisor")
    phone.goto(f"{live_server.url}/s/e2e/structure/")
    phone.click("button[name=language][value=en]")
    phone.wait_for_load_state()
    assert "Departments" in phone.content()
