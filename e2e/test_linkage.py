"""On a phone, a class League secretary reads a forwarded notice and reports a task done; the
school League committee's dashboard then shows the class as read and done."""

import pytest

from e2e.conftest import log_in
from tuanxue.linkage import services
from tuanxue.linkage.models import ClassCopy, CollegeCopy

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lk(db):
    from tests.conftest import SchoolKit
    from tests.linkage.conftest import LinkageKit

    return LinkageKit(SchoolKit(code="e2e"))


def test_class_secretary_reads_and_reports_and_the_dashboard_shows_it(phone, live_server, lk):
    base = live_server.url
    task = services.notice_send(
        actor=lk.league,
        school=lk.school,
        kind="task",
        sender="league",
        title="报送推优台账",
        body="请各团支部报送台账。",
        deadline=lk.deadline(),
    )
    services.college_forward(
        actor=lk.col1,
        copy=CollegeCopy.objects.get(notice=task, college=lk.college1),
        addition="请于周五前完成。",
    )
    log_in(phone, base, "sec1")
    phone.goto(f"{base}/s/e2e/notices/")
    phone.click("text=报送推优台账")
    phone.wait_for_load_state()
    assert "请于周五前完成。" in phone.content()
    phone.click(f"#class-{lk.class1.pk} button.mark-read")
    phone.wait_for_load_state()
    assert phone.locator(f"#class-{lk.class1.pk} .read-state").count() == 1
    phone.click(f"#class-{lk.class1.pk} a.report-done")
    phone.wait_for_load_state()
    phone.fill("textarea[name=report]", "台账已报送学院团委")
    phone.click("form.card button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator(f"#class-{lk.class1.pk} .done-state").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert ClassCopy.objects.get(notice=task, class_group=lk.class1).done_at is not None

    phone.context.clear_cookies()
    log_in(phone, base, "league")
    phone.goto(f"{base}/s/e2e/notices/{task.pk}/")
    classes = phone.locator("#level-classes td").all_inner_texts()
    assert classes[0] == "1/3" and classes[2] == "1/3"  # read, done (class3 not reached)
    row = phone.locator(f"#row-class-{lk.class1.pk}").inner_text()
    assert "台账已报送学院团委" in row and "团支书甲" in row
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
