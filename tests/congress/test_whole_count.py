"""A decision follows the whole count: with paper ballots outstanding nothing is decided, and
one place applies a decided poll's effects whichever path decided it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from tests.builders.congress import Hall
from tuanxue.charter.models import Charter
from tuanxue.charter.rules import SEED_2020
from tuanxue.congress.models import MotionKind, Poll
from tuanxue.congress.polls import ballots, decisions, motions, results
from tuanxue.congress.polls import services as polls
from tuanxue.congress.sessions import agenda
from tuanxue.core.errors import DomainError
from tuanxue.org.models import Membership, Role


def _counters(kit):
    return kit.user(role=Role.STUDENT_AFFAIRS), kit.user(role=Role.SCHOOL_PARTY)


def _presidium(kit):
    posts = Membership.objects.filter(body=kit.presidium, end__isnull=True)
    return sorted(p.student.name for p in posts)


def test_paper_counts_after_close_decide_the_election_not_the_phone_ballots(kit, client):
    """The issue's scenario: 2 phone ballots, the poll closed, the paper counts afterwards
    give two winners. No runoff from the phone ballots alone; the presidium is installed."""
    hall = Hall(kit, 2)
    poll = hall.election(["王甲", "李乙", "张丙"], 2)
    wang, li = hall.cand(poll, "王甲"), hall.cand(poll, "李乙")
    for i in range(2):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice=[wang])
    decisions.poll_close(actor=hall.league, poll=poll, paper_ballots=True)

    # On the phone ballots alone 王甲 is elected and one seat is left: that decides nothing.
    assert not results.count_complete(poll)
    assert not Poll.objects.filter(runoff_of=poll).exists()
    assert _presidium(kit) == []
    assert agenda.election_tally(poll) is None
    client.force_login(hall.user(0))
    page = client.get(reverse("polls:result", args=[kit.school.code, poll.pk]))
    html = page.content.decode()
    assert "count-pending" in html and "verdict-pending" in html
    assert "<svg" not in html.split('id="result-counts"')[1]  # nobody shown as elected
    api = client.get(f"/api/v1/polls/{poll.pk}/results")
    assert api.status_code == 409 and api.json()["code"] == "counting"
    scrutineer = kit.user(role=Role.STUDENT_AFFAIRS)
    with pytest.raises(DomainError):
        ballots.signoff(actor=scrutineer, poll=poll)  # nothing counted on paper yet

    counts = {"issued": 3, "invalid": 0, "groups": [{"marks": [wang, li], "count": 3}]}
    first, second = _counters(kit)
    ballots.paper_tally_enter(actor=first, poll=poll, counts=counts)
    assert _presidium(kit) == [] and not poll.runoffs.exists()  # one counter is not enough
    ballots.paper_tally_enter(actor=second, poll=poll, counts=counts)

    result = results.poll_result(poll)
    assert (result.issued, result.returned, result.valid) == (5, 5, 5)
    assert sorted(result.winners) == ["李乙", "王甲"] and result.runoff_seats == 0
    assert not Poll.objects.filter(runoff_of=poll).exists()
    assert _presidium(kit) == ["李乙", "王甲"]
    ballots.signoff(actor=scrutineer, poll=poll)
    assert client.get(f"/api/v1/polls/{poll.pk}/results").status_code == 200


def test_paper_counts_that_leave_a_seat_create_the_runoff_then(kit):
    hall = Hall(kit, 2)
    poll = hall.election(["王甲", "李乙", "张丙"], 2)
    wang, li, zhang = (hall.cand(poll, n) for n in ("王甲", "李乙", "张丙"))
    for i in range(2):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice=[wang, li])
    decisions.poll_close(actor=hall.league, poll=poll, paper_ballots=True)
    # Phone ballots alone elect both; the paper ballots change that.
    assert _presidium(kit) == []
    counts = {
        "issued": 4,
        "invalid": 0,
        "groups": [{"marks": [wang, zhang], "count": 2}, {"marks": [zhang], "count": 2}],
    }
    for counter in _counters(kit):
        ballots.paper_tally_enter(actor=counter, poll=poll, counts=counts)
    result = results.poll_result(poll)
    # 王甲 and 张丙 have 4 of 6 valid ballots each: both over half, both elected; 李乙 (2) not.
    assert sorted(result.winners) == ["张丙", "王甲"]
    assert _presidium(kit) == ["张丙", "王甲"]
    assert not poll.runoffs.exists()


def test_an_amendment_decided_on_paper_is_applied(kit):
    hall = Hall(kit, 3)
    rules = SEED_2020.to_json()
    rules["school"]["staff_max"] = 40
    motion = motions.motion_create(
        actor=hall.league,
        session=hall.session,
        kind=MotionKind.CHARTER,
        title="章程修正案",
        text="工作人员总数上限改为40人。",
        majority="two_thirds",
        base="present",
        charter_rules=rules,
        charter_label="2020年8月修正",
    )
    poll = polls.poll_open(
        actor=hall.league, poll=polls.poll_create_for_motion(actor=hall.league, motion=motion)
    )
    ballots.ballot_cast(actor=hall.user(0), poll=poll, choice="yes")
    decisions.poll_close(actor=hall.league, poll=poll, paper_ballots=True)
    assert not Charter.objects.filter(version_label="2020年8月修正").exists()
    counts = {"issued": 2, "yes": 2, "no": 0, "abstain": 0, "invalid": 0}
    for counter in _counters(kit):
        ballots.paper_tally_enter(actor=counter, poll=poll, counts=counts)
    charter = Charter.objects.get(school=kit.school, version_label="2020年8月修正")
    assert charter.parsed.school.staff_max == 40


def test_a_poll_closed_without_paper_takes_no_paper_count(kit):
    hall = Hall(kit, 3)
    poll = hall.motion_poll()
    ballots.ballot_cast(actor=hall.user(0), poll=poll, choice="yes")
    decisions.poll_close(actor=hall.league, poll=poll)
    assert results.count_complete(poll)
    counts = {"issued": 2, "yes": 0, "no": 2, "abstain": 0, "invalid": 0}
    with pytest.raises(DomainError):
        ballots.paper_tally_enter(actor=_counters(kit)[0], poll=poll, counts=counts)
    assert results.poll_result(poll).yes == 1


CORE = {"amendment", "ballots", "install", "services", "results", "decisions", "voters"}
PACKAGE = "tuanxue.congress.polls"


def _congress_imports(path: Path) -> set[str]:
    """Every module of the polls package that ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(PACKAGE + "."):
                found.add(node.module.split(".")[3])
            elif node.module == PACKAGE:
                found |= {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[3] for a in node.names if a.name.startswith(PACKAGE + ".")}
    return found


def test_the_poll_modules_import_each_other_without_a_cycle():
    folder = Path(decisions.__file__).parent
    graph = {
        p.stem: _congress_imports(p) - {"models", p.stem}
        for p in folder.glob("*.py")
        if p.stem != "__init__"
    }
    done: set[str] = set()

    def visit(node, trail):
        assert node not in trail, " → ".join([*trail, node])
        if node in done:
            return
        for nxt in graph.get(node, ()):
            visit(nxt, [*trail, node])
        done.add(node)

    for name in sorted(graph):
        visit(name, [])
    # one home each: who may vote, counting, applying a decision
    assert "results" not in graph["voters"] and "decisions" not in graph["results"]
    assert {"services", "install", "amendment"} <= graph["decisions"]
    assert set(graph) >= CORE


def test_the_control_page_closes_with_or_without_paper_ballots(client, kit):
    hall = Hall(kit, 2)
    client.force_login(hall.league)
    for paper in (True, False):
        poll = hall.motion_poll()
        ballots.ballot_cast(actor=hall.user(0), poll=poll, choice="yes")
        url = reverse("polls:control", args=[kit.school.code, poll.pk])
        form = {"action": "close", "confirm": "1"}
        if paper:
            form["paper_ballots"] = "1"
        assert client.post(url, form).status_code == 302
        poll.refresh_from_db()
        assert (poll.status, poll.paper_ballots) == ("closed", paper)
        assert results.count_complete(poll) is not paper
