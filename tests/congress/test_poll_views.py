"""Poll pages: who may see and do what, the phone ballot, downloads and the recount."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.builders.congress import Hall
from tests.chartcheck import SVG, bars, figures, svg_title
from tests.pdfcheck import assert_pdf_sound
from tuanxue.congress.models import Ballot, MotionKind, Poll, VoterMark
from tuanxue.congress.polls import ballots, decisions, results
from tuanxue.congress.polls.documents import paper_ballot_pdf, result_sheet_pdf
from tuanxue.congress.scrutiny import recount as independent
from tuanxue.org.models import Role


@pytest.fixture
def hall(kit):
    return Hall(kit, 4)


def _client(client, user):
    client.force_login(user)
    return client


def _closed_election(hall):
    poll = hall.election(["王甲", "李乙", "张丙"], 2)
    wang, li = hall.cand(poll, "王甲"), hall.cand(poll, "李乙")
    for i, marks in enumerate([[wang, li], [wang], [wang, li], [li]]):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice=marks)
    return decisions.poll_close(actor=hall.league, poll=poll)


PAGES = {
    # name: (allowed, forbidden-in-school)
    "ballot": ("delegate", "staff"),
    "control": ("league", "delegate"),
    "observe": ("league", "delegate"),
    "turnout": ("league", "delegate"),
    "paper_pdf": ("staff", "delegate"),
    "tally": ("staff", "delegate"),
    "sign": ("staff", "delegate"),
    "result": ("delegate", None),
    "receipt": ("delegate", None),
    "result_pdf": ("delegate", None),
    "audit_pack": ("delegate", None),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_poll_page_access(client, hall, other_kit, name):
    poll = _closed_election(hall)
    users = {
        "delegate": hall.user(0),
        "league": hall.league,
        "staff": hall.kit.user(role=Role.STUDENT_AFFAIRS),
    }
    url = reverse(f"polls:{name}", args=[hall.kit.school.code, poll.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    allowed, forbidden = PAGES[name]
    assert _client(client, users[allowed]).get(url).status_code == 200
    if forbidden:
        assert _client(client, users[forbidden]).get(url).status_code == 403
    outsider = other_kit.user(role=Role.SCHOOL_LEAGUE)
    assert _client(client, outsider).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "allowed", "forbidden"),
    [
        ("session", "delegate", None),
        ("election_new", "league", "delegate"),
        ("motion_new", "delegate", "student"),
    ],
)
def test_session_page_access(client, hall, other_kit, name, allowed, forbidden):
    users = {
        "delegate": hall.user(0),
        "league": hall.league,
        "student": hall.kit.user(student=True),
    }
    url = reverse(f"polls:{name}", args=[hall.kit.school.code, hall.session.pk])
    assert client.get(url).status_code == 302
    assert _client(client, users[allowed]).get(url).status_code == 200
    if forbidden:
        assert _client(client, users[forbidden]).get(url).status_code == 403
    assert _client(client, other_kit.user(role=Role.SCHOOL_LEAGUE)).get(url).status_code == 404


def test_motion_pages(client, hall, other_kit):
    code = hall.kit.school.code
    _client(client, hall.user(0))
    response = client.post(
        reverse("polls:motion_new", args=[code, hall.session.pk]),
        {
            "kind": MotionKind.DELEGATE,
            "title": "增设自习室",
            "text": "建议增设自习室。",
            "majority": "half",
            "base": "present",
        },
    )
    assert response.status_code == 302
    motion = hall.session.motions.get()
    url = reverse("polls:motion", args=[code, motion.pk])
    for i in (1, 2):
        _client(client, hall.user(i)).post(url, {"action": "cosign"})
    assert motion.cosigners.count() == 2
    assert _client(client, hall.user(3)).post(url, {"action": "review"}).status_code == 403
    _client(client, hall.league).post(url, {"action": "review", "recommendation": "同意提交"})
    motion.refresh_from_db()
    assert motion.review == "同意提交"
    page = client.get(url)
    assert page.status_code == 200 and "同意提交" in page.content.decode()
    session_page = client.get(reverse("polls:session", args=[code, hall.session.pk]))
    assert "增设自习室" in session_page.content.decode()
    response = client.post(url, {"action": "vote"})
    poll = Poll.objects.get(motion=motion)
    assert response.status_code == 302 and response.url.endswith(f"/{poll.pk}/control/")
    assert _client(client, other_kit.user(role=Role.SCHOOL_LEAGUE)).get(url).status_code == 404


def test_phone_vote_receipt_and_result_pdf(client, hall):
    code = hall.kit.school.code
    poll = hall.election(["王甲", "李乙", "张丙"], 2, open_=False)
    control = reverse("polls:control", args=[code, poll.pk])
    _client(client, hall.league).post(control, {"action": "open"})
    poll.refresh_from_db()
    assert poll.status == "open"
    assert client.get(reverse("polls:turnout", args=[code, poll.pk])).json()["voted"] == 0

    url = reverse("polls:ballot", args=[code, poll.pk])
    _client(client, hall.user(0))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("王甲") < html.index("张丙") < html.index("李乙")  # stroke order
    wang, li, zhang = (hall.cand(poll, n) for n in ("王甲", "李乙", "张丙"))
    over = client.post(url, {"c": [wang, li, zhang]})
    assert over.status_code == 400 and not Ballot.objects.filter(poll=poll).exists()
    done = client.post(url, {"c": [wang, li]})
    assert done.status_code == 200
    receipt = done.context["receipt"]
    assert receipt in done.content.decode()
    again = client.post(url, {"c": [wang]})
    assert again.status_code == 400
    assert VoterMark.objects.filter(poll=poll).count() == 1
    check = client.post(reverse("polls:receipt", args=[code, poll.pk]), {"code": receipt})
    assert "receipt-found" in check.content.decode()

    for i, marks in ((1, [wang]), (2, [wang, zhang])):
        _client(client, hall.user(i)).post(url, {"c": marks})
    observe = _client(client, hall.league).get(reverse("polls:observe", args=[code, poll.pk]))
    assert observe.context["result"] is None  # no choices while open
    client.post(control, {"action": "close"})  # without the confirmation: still open
    poll.refresh_from_db()
    assert poll.status == "open"
    client.post(control, {"action": "close", "confirm": "1"})
    refused = _client(client, hall.user(3)).post(url, {"c": [li]})
    assert refused.status_code == 400
    assert Ballot.objects.filter(poll=poll).count() == 3

    scrutineer = hall.kit.user(role=Role.STUDENT_AFFAIRS)
    sign = reverse("polls:sign", args=[code, poll.pk])
    _client(client, scrutineer).post(sign)
    assert poll.signoffs.count() == 1

    result = results.poll_result(poll)
    pdf = client.get(reverse("polls:result_pdf", args=[code, poll.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for needle in ("王甲", "李乙", scrutineer.username):
        assert needle in text
    assert f"{result.entitled} {result.present} {result.issued}" in " ".join(text.split())

    pack = client.get(reverse("polls:audit_pack", args=[code, poll.pk]))
    pack_files = independent.read_pack(pack.content)
    counted = independent.recount(pack_files)
    assert independent.compare(counted, pack_files["result"]) == []
    assert counted["valid"] == result.valid and counted["invalid"] == result.invalid
    assert counted["votes"] == {str(row["id"]): row["votes"] for row in result.votes}

    sheet = client.get(reverse("polls:paper_pdf", args=[code, poll.pk]))
    assert "王甲" in PdfReader(io.BytesIO(sheet.content)).pages[0].extract_text()


def test_motion_vote_buttons_and_paper_tally_page(client, hall):
    code = hall.kit.school.code
    poll = hall.motion_poll()
    url = reverse("polls:ballot", args=[code, poll.pk])
    assert _client(client, hall.user(0)).post(url, {"choice": "yes"}).status_code == 200
    decisions.poll_close(actor=hall.league, poll=poll, paper_ballots=True)
    tally = reverse("polls:tally", args=[code, poll.pk])
    form = {"issued": 3, "yes": 1, "no": 1, "abstain": 0, "invalid": 1}
    for role in (Role.STUDENT_AFFAIRS, Role.SCHOOL_LEAGUE):
        assert _client(client, hall.kit.user(role=role)).post(tally, form).status_code == 302
    assert results.paper_state(poll) == "counted"
    result = results.poll_result(poll)
    assert (result.returned, result.yes, result.no, result.invalid) == (4, 2, 1, 1)
    page = client.get(reverse("polls:result", args=[code, poll.pk]))
    assert page.status_code == 200 and len(page.context["ballots"]) == 4


def test_poll_pdfs_embed_their_font_and_render_without_system_fonts(hall, tmp_path):
    poll = _closed_election(hall)
    assert_pdf_sound(result_sheet_pdf(poll), "主席团选举", tmp_path / "sheet")
    ballot = hall.election(["周戊", "吴己"], 1, open_=False)
    assert_pdf_sound(paper_ballot_pdf(ballot), "主席团选举", tmp_path / "ballot")
    motion = hall.motion_poll()
    decisions.poll_close(actor=hall.league, poll=motion)
    motion.refresh_from_db()
    assert_pdf_sound(result_sheet_pdf(motion), motion.title, tmp_path / "motion")


def test_result_page_charts_votes_against_the_majority_line(client, hall):
    poll = _closed_election(hall)
    result = results.poll_result(poll)
    page = _client(client, hall.league).get(
        reverse("polls:result", args=[hall.kit.school.code, poll.pk])
    )
    ((svg, rows),) = figures(page.content.decode())
    assert poll.title in svg_title(svg)
    expected = [(row["name"], str(row["votes"])) for row in result.votes]
    assert bars(svg) == expected and [tuple(r) for r in rows] == expected
    assert sorted(expected) == sorted([("王甲", "3"), ("李乙", "3"), ("张丙", "0")])
    (line,) = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "reference"]
    assert line.get("data-value") == "2"  # more than half of 4 valid ballots

    motion = hall.motion_poll()
    ballots.ballot_cast(actor=hall.user(0), poll=motion, choice="yes")
    decisions.poll_close(actor=hall.league, poll=motion)
    page = client.get(reverse("polls:result", args=[hall.kit.school.code, motion.pk]))
    ((svg, rows),) = figures(page.content.decode())
    assert [r[1] for r in rows] == ["1", "0", "0"] and len(bars(svg)) == 3
