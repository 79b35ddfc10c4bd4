"""The transcript in a real browser on a phone-sized screen: a student opens their transcript,
issues it, and follows the link to the public verification page (which needs no login)."""

import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def books(db):
    from tests.conftest import SchoolKit
    from tests.transcript.world import build

    return build(SchoolKit(code="e2e"))


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_student_issues_their_transcript_and_it_verifies(browser, phone, live_server, books):
    base = live_server.url
    log_in(phone, base, books.pupil_user.username)
    phone.goto(f"{base}/s/e2e/transcript/")
    assert fits(phone)
    assert phone.locator("tr[data-area=volunteer]").get_attribute("data-hours") == "9.00"
    assert phone.locator("#total-hours").inner_text() == "33.00"
    phone.click("#issue-box button[type=submit]")
    phone.wait_for_load_state()
    code = phone.locator("#current-code").inner_text()
    assert len(code) == 12
    verify_href = phone.locator("#verify-link").get_attribute("href")
    assert verify_href == f"/verify/{code}/"

    # Anyone, without logging in.
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, locale="zh-CN", is_mobile=True, has_touch=True
    )
    stranger = context.new_page()
    stranger.goto(f"{base}{verify_href}")
    assert stranger.locator("#verdict").get_attribute("data-status") == "current"
    assert stranger.locator("tr[data-area=volunteer]").get_attribute("data-hours") == "9.00"
    assert books.pupil.name not in stranger.content()
    assert fits(stranger)
    context.close()
