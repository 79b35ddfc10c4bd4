"""On a phone: a college League teacher grants a class secretary; a student's first login with
the initial password from the workbook ends on the password change, then the school."""

import pytest
from django.contrib.auth import get_user_model

from e2e.conftest import log_in
from tuanxue.org.models import Role, RoleGrant
from tuanxue.org.people import accounts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school(db):
    from tests.conftest import SchoolKit

    kit = SchoolKit(code="e2e")
    kit.teacher = kit.user("teacher", role=Role.COLLEGE_LEAGUE)
    kit.pupil = kit.student(name="陈一", student_no="2001001")
    return kit


def test_college_teacher_grants_a_class_secretary(phone, live_server, school, tmp_path):
    accounts.accounts_create(actor=None, school=school.school, people="students")
    log_in(phone, live_server.url, "teacher")
    phone.goto(f"{live_server.url}/s/e2e/people/roles/")
    phone.fill("input[name=q]", "陈")
    phone.click("form[role=search] button")
    phone.click("#candidates a")
    assert phone.input_value("input[name=person]") == "2001001"
    phone.select_option("select[name=role]", Role.LEAGUE_BRANCH)
    phone.fill("input[name=class_name]", "软件2001")
    phone.click("main form[method=post] button[type=submit]")
    phone.wait_for_load_state()
    assert "班团支部" in phone.inner_text(".messages")
    phone.screenshot(path=str(tmp_path / "roles.png"), full_page=True)
    user = get_user_model().objects.get(username="2001001")
    assert RoleGrant.objects.filter(user=user, class_group=school.class_group).exists()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_first_login_changes_the_password(phone, live_server, school):
    result = accounts.accounts_create(actor=None, school=school.school, people="students")
    login = result.logins[0]
    log_in(phone, live_server.url, login.username, login.password)
    assert phone.url.endswith("/account/password/")
    phone.goto(f"{live_server.url}/s/e2e/structure/")
    assert phone.url.endswith("/account/password/")
    phone.fill("input[name=old_password]", login.password)
    phone.fill("input[name=new_password1]", "Green-Tea-2031")
    phone.fill("input[name=new_password2]", "Green-Tea-2031")
    phone.click("button[type=submit]")
    phone.wait_for_load_state()
    assert "/s/e2e/" in phone.url
    assert "密码已修改" in phone.inner_text(".messages")
