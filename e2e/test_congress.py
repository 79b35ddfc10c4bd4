"""Twenty delegates check in on their phones and vote on a motion and in an election; the
result sheet says what they did."""

import io

import pytest
from pypdf import PdfReader

from e2e.conftest import log_in
from tests.builders.congress import Hall
from tuanxue.congress.checkin import services as checkin
from tuanxue.congress.models import SessionStatus
from tuanxue.congress.polls import decisions, results

pytestmark = pytest.mark.django_db(transaction=True)

DELEGATES = 20
CANDIDATES = ["王晓明", "李华", "张伟"]


@pytest.fixture
def hall(db):
    from tests.conftest import SchoolKit

    kit = SchoolKit(code="e2e")
    hall = Hall(kit, delegates=DELEGATES, present=0)
    hall.session.status = SessionStatus.OPEN
    hall.session.save(update_fields=["status"])
    hall.motion_poll_ = hall.motion_poll()
    hall.election_ = hall.election(CANDIDATES, 2)
    return hall


def election_marks(i: int) -> list[str]:
    if i < 12:
        return CANDIDATES[:2]
    if i < 17:
        return [CANDIDATES[0], CANDIDATES[2]]
    return [CANDIDATES[2]]


def motion_choice(i: int) -> str:
    return "yes" if i < 14 else ("no" if i < 18 else "abstain")


def test_twenty_delegates_check_in_and_vote(browser, live_server, hall):
    base = live_server.url
    code = hall.kit.school.code
    for i, delegate in enumerate(hall.delegates):
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        )
        page = context.new_page()
        log_in(page, base, delegate.student.user.username)
        page.goto(f"{base}/s/{code}/congress/{hall.session.pk}/card/{delegate.card_code}/")
        page.fill("input[name=hall]", checkin.hall_code(hall.session))
        page.click("form.stack button[type=submit]")
        page.wait_for_load_state()
        delegate.refresh_from_db()
        assert delegate.checked_in_at is not None, i

        page.goto(f"{base}/s/{code}/congress/polls/{hall.motion_poll_.pk}/")
        page.click(f"button[name=choice][value={motion_choice(i)}]")
        page.wait_for_load_state()

        page.goto(f"{base}/s/{code}/congress/polls/{hall.election_.pk}/")
        for name in election_marks(i):
            page.check(f'label.choice:has-text("{name}") input[type=checkbox]')
        page.click("#ballot-form button[type=submit]")
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        context.close()

    decisions.poll_close(actor=hall.league, poll=hall.motion_poll_)
    decisions.poll_close(actor=hall.league, poll=hall.election_)
    motion = results.poll_result(hall.motion_poll_)
    assert (motion.present, motion.returned, motion.valid) == (20, 20, 20)
    assert (motion.yes, motion.no, motion.abstain, motion.adopted) == (14, 4, 2, True)
    election = results.poll_result(hall.election_)
    votes = {row["name"]: row["votes"] for row in election.votes}
    assert votes == {"王晓明": 17, "李华": 12, "张伟": 8}
    assert sorted(election.winners) == sorted(["王晓明", "李华"])

    from django.test import Client

    client = Client()
    client.force_login(hall.league)
    pdf = client.get(f"/s/{code}/congress/polls/{hall.election_.pk}/result.pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for name, n in votes.items():
        assert name in text and str(n) in text
