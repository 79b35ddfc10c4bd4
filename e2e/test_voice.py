"""Student voice in a real browser on a phone-sized screen: a student submits a demand, the
department answers it from its queue, the student rates the answer."""

import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def voice(db):
    from tests.conftest import SchoolKit
    from tests.voice.conftest import build_voice

    return build_voice(SchoolKit(code="e2e"))


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_submit_answer_and_rate_on_a_phone(browser, phone, live_server, voice):
    base = live_server.url
    log_in(phone, base, "stu")
    phone.goto(f"{base}/s/e2e/voice/new/")
    assert fits(phone)
    phone.select_option("select[name=category]", str(voice.academic.pk))
    phone.fill("input[name=title]", "考试周延长图书馆开放时间")
    phone.fill("textarea[name=text]", "考试周图书馆十点闭馆，自习座位不够，希望延长到十一点。")
    phone.click("#demand-form button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator("#status").get_attribute("data-status") == "open"
    assert phone.locator("#department").inner_text() == "教务处"
    demand_url = phone.url
    assert fits(phone)

    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, locale="zh-CN", is_mobile=True, has_touch=True
    )
    staff = context.new_page()
    log_in(staff, base, "jiaowu")
    staff.goto(f"{base}/s/e2e/voice/queue/")
    assert fits(staff)
    staff.click("#queue a")
    staff.wait_for_load_state()
    staff.fill("textarea[name=answer]", "考试周图书馆自习区开放至23:00，增加临时座位。")
    staff.select_option("select[name=closure]", "resolved")
    staff.click("#answer-form button[type=submit]")
    staff.wait_for_load_state()
    assert staff.locator("#status").get_attribute("data-status") == "answered"
    context.close()

    phone.goto(demand_url)
    assert "23:00" in phone.locator("#answer").inner_text()
    phone.check("#rate-form input[name=rating][value='5']")
    phone.click("#rate-form button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator("#status").get_attribute("data-status") == "closed"
    assert "5" in phone.locator("#rating").inner_text()
    assert fits(phone)
