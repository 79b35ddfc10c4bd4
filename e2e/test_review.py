"""On a phone-sized screen, a panel member scores every reviewee; after the League committee
closes and publishes, the reviewee reads their grade and the panel's comments."""

import pytest

from e2e.conftest import log_in
from tests.review.conftest import ReviewKit, scores
from tuanxue.review import publishing, services
from tuanxue.review.models import ScoreSheet

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rk(db):
    from tests.conftest import SchoolKit

    return ReviewKit(SchoolKit(code="e2e"))


def test_panel_member_scores_on_a_phone_and_reviewee_reads_the_result(phone, live_server, rk):
    base = live_server.url
    session = rk.opened()
    member = rk.reps[0]
    log_in(phone, base, member.username)
    phone.goto(f"{base}/s/e2e/reviews/{session.pk}/score/")
    assert phone.locator(".score-link").count() == 2
    for value in (91, 72):
        phone.locator(".score-link").first.click()
        phone.wait_for_load_state()
        for name in ("political", "moral", "study", "work", "discipline"):
            phone.fill(f"input[name={name}]", str(value))
        phone.fill("textarea[name=comment]", f"评分{value}")
        phone.click("form.card button[type=submit]")
        phone.wait_for_load_state()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px screen"
    assert phone.locator(".score-link").count() == 0
    assert ScoreSheet.objects.filter(member__user=member).count() == 2

    # the other members score through the service; the League committee closes and publishes
    for user in [*rk.reps[1:], rk.affairs, rk.league]:
        for reviewee in session.reviewees.all():
            services.sheet_submit(
                actor=user, session=session, reviewee=reviewee, scores=scores(*[90] * 5)
            )
    publishing.session_close(actor=rk.league, session=session)

    phone.context.clear_cookies()
    log_in(phone, base, rk.chair_user.username)
    phone.goto(f"{base}/s/e2e/my-review/")
    assert "评议结果尚未公布" in phone.content()
    publishing.session_publish(actor=rk.league, session=session)
    phone.reload()
    chair = session.reviewees.get(student=rk.chair)
    grade = phone.locator(f"#grade-{chair.pk}").inner_text()
    assert grade == "优秀"  # 91 and four 90s: drop one 91 and one 90 -> 90.00
    text = phone.content()
    assert "评分91" in text and member.username not in text
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
