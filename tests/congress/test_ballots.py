"""Casting, results, runoffs, receipts and paper tallies."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.builders.congress import Hall, recount_from_pack
from tuanxue.congress.models import (
    Ballot,
    MotionKind,
    Poll,
    PollStatus,
    VoterMark,
)
from tuanxue.congress.polls import ballots, decisions, motions, results
from tuanxue.congress.polls import services as polls
from tuanxue.core.errors import DomainError
from tuanxue.org.models import Role


def test_candidates_in_surname_stroke_order(kit):
    hall = Hall(kit, 1)
    poll = hall.election(["王五", "丁一", "张三", "欧阳修", "Zed", "李四", "马六"], 3, open_=False)
    names = list(poll.candidates.order_by("order").values_list("student__name", flat=True))
    # 丁 2, 马 3, 王 4, 张 7 and 李 7 (same count: by character), 欧 8, then unknown
    assert names == ["丁一", "马六", "王五", "张三", "李四", "欧阳修", "Zed"]


def test_seats_capped_by_charter(kit):
    hall = Hall(kit, 1)
    with pytest.raises(DomainError):
        hall.election(["甲一", "乙二", "丙三", "丁四", "戊五", "己六", "庚七"], 6)


def test_vote_once_and_refused_after_close(kit):
    hall = Hall(kit, 3)
    poll = hall.motion_poll()
    receipt = ballots.ballot_cast(actor=hall.user(0), poll=poll, choice="yes")
    assert len(receipt) == 16
    with pytest.raises(DomainError) as exc:
        ballots.ballot_cast(actor=hall.user(0), poll=poll, choice="no")
    assert exc.value.code == "already_voted"
    decisions.poll_close(actor=hall.league, poll=poll)
    with pytest.raises(DomainError) as exc:
        ballots.ballot_cast(actor=hall.user(1), poll=poll, choice="no")
    assert exc.value.code == "not_open"
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert VoterMark.objects.filter(poll=poll).count() == 1
    poll.refresh_from_db()
    assert poll.issued == 1


def test_absent_or_unconfirmed_cannot_vote(kit):
    hall = Hall(kit, 3, present=2)
    poll = hall.motion_poll()
    with pytest.raises(DomainError) as exc:
        ballots.ballot_cast(actor=hall.user(2), poll=poll, choice="yes")
    assert exc.value.code == "not_present"
    with pytest.raises(DomainError):
        ballots.ballot_cast(actor=kit.user(student=True), poll=poll, choice="yes")
    with pytest.raises(DomainError):
        ballots.ballot_cast(actor=hall.user(0), poll=poll, choice="maybe")


def test_receipts_verify(kit):
    hall = Hall(kit, 2)
    poll = hall.motion_poll()
    code = ballots.ballot_cast(actor=hall.user(0), poll=poll, choice="abstain")
    assert ballots.receipt_check(poll, code.lower()).choice == "abstain"
    assert ballots.receipt_check(poll, "0000000000000000") is None
    decisions.poll_close(actor=hall.league, poll=poll)
    assert code in results.ballots_csv(poll)


@pytest.mark.django_db(transaction=True)
def test_double_submission_from_two_threads():
    from tests.conftest import SchoolKit

    hall = Hall(SchoolKit(code="dbl"), 2)
    poll = hall.motion_poll()
    barrier = threading.Barrier(2)
    outcomes = []

    def cast(choice):
        try:
            barrier.wait()
            outcomes.append(ballots.ballot_cast(actor=hall.user(0), poll=poll, choice=choice))
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(c,)) for c in ("yes", "no")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("already_voted") == 1, outcomes
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert VoterMark.objects.filter(poll=poll).count() == 1


@pytest.mark.parametrize(
    ("majority", "base", "yes", "no", "abstain", "adopted"),
    [
        # 10 entitled, 8 present, 7 vote
        ("half", "entitled", 5, 2, 0, False),  # 5 of 10 is not more than half
        ("half", "entitled", 6, 1, 0, True),
        ("half", "present", 4, 3, 0, False),  # 4 of 8
        ("half", "present", 5, 2, 0, True),
        ("half", "cast", 4, 2, 1, True),  # 4 of 7
        ("half", "cast", 3, 2, 2, False),
        ("two_thirds", "entitled", 6, 1, 0, False),  # 6 < 6.67
        ("two_thirds", "entitled", 7, 0, 0, True),
        ("two_thirds", "present", 6, 1, 0, True),  # 6 ≥ 5.33
        ("two_thirds", "present", 5, 2, 0, False),
        ("two_thirds", "cast", 4, 2, 0, True),  # 4 of 6 = exactly two thirds
        ("two_thirds", "cast", 4, 3, 0, False),
    ],
)
def test_motion_results(kit, majority, base, yes, no, abstain, adopted):
    hall = Hall(kit, 10, present=8)
    poll = hall.motion_poll(majority=majority, base=base)
    choices = ["yes"] * yes + ["no"] * no + ["abstain"] * abstain
    for i, choice in enumerate(choices):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice=choice)
    decisions.poll_close(actor=hall.league, poll=poll)
    result = results.poll_result(poll)
    assert (result.entitled, result.present, result.issued) == (10, 8, len(choices))
    assert (result.yes, result.no, result.abstain) == (yes, no, abstain)
    assert result.quorum_met
    assert result.adopted is adopted
    counted = recount_from_pack(poll)
    assert (counted["yes"], counted["no"], counted["abstain"]) == (yes, no, abstain)
    assert counted["adopted"] is adopted


def test_motion_without_quorum_fails(kit):
    hall = Hall(kit, 10, present=6)
    poll = hall.motion_poll(base="cast")
    for i in range(6):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice="yes")
    result = results.poll_result(poll)
    assert not result.quorum_met and result.adopted is False


def _vote(hall, poll, marks_by_voter, write_ins=None):
    for i, names in enumerate(marks_by_voter):
        choice = {"marks": [hall.cand(poll, n) for n in names]}
        if write_ins and i in write_ins:
            choice["write_in"] = write_ins[i]
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice=choice)


def test_election_winners_and_over_marked_ballot(kit):
    hall = Hall(kit, 6)
    poll = hall.election(["王甲", "李乙", "张丙", "赵丁"], 2)
    _vote(
        hall,
        poll,
        [
            ["王甲", "李乙"],
            ["王甲", "李乙"],
            ["王甲", "张丙"],
            ["王甲", "李乙", "张丙"],  # over-marked: invalid
            ["李乙"],
            [],
        ],
    )
    decisions.poll_close(actor=hall.league, poll=poll)
    result = results.poll_result(poll)
    assert (result.returned, result.valid, result.invalid) == (6, 5, 1)
    votes = {row["name"]: row["votes"] for row in result.votes}
    assert votes == {"王甲": 3, "李乙": 3, "张丙": 1, "赵丁": 0}
    assert sorted(result.winners) == ["李乙", "王甲"]
    assert result.election_valid and not poll.runoffs.exists()
    again = recount_from_pack(poll)
    assert again["votes"] == {str(k): v for k, v in _by_id(poll, votes).items()}
    assert again["invalid"] == 1


def _by_id(poll, votes):
    return {poll.candidates.get(student__name=n).pk: v for n, v in votes.items()}


def test_election_write_in(kit):
    hall = Hall(kit, 3)
    poll = hall.election(["王甲", "李乙"], 1, write_in=True)
    _vote(hall, poll, [["王甲"], [], ["王甲"]], write_ins={1: "钱多多"})
    with pytest.raises(DomainError):
        decisions.poll_close(actor=hall.user(0), poll=poll)
    decisions.poll_close(actor=hall.league, poll=poll)
    result = results.poll_result(poll)
    assert result.write_ins == {"钱多多": 1}
    assert result.winners == ["王甲"]


def test_tie_at_last_seat_goes_to_runoff(kit):
    hall = Hall(kit, 4)
    poll = hall.election(["王甲", "李乙", "张丙"], 2)
    _vote(
        hall,
        poll,
        [["王甲", "李乙"], ["王甲", "张丙"], ["王甲", "李乙"], ["王甲", "张丙"]],
    )
    decisions.poll_close(actor=hall.league, poll=poll)
    result = results.poll_result(poll)
    assert result.winners == ["王甲"]
    runoff = poll.runoffs.get()
    assert runoff.seats == 1 and runoff.status == PollStatus.DRAFT
    assert sorted(runoff.candidates.values_list("student__name", flat=True)) == ["张丙", "李乙"]


def test_unfilled_seats_go_to_runoff(kit):
    hall = Hall(kit, 4)
    poll = hall.election(["王甲", "李乙", "张丙", "赵丁"], 3)
    _vote(hall, poll, [["王甲", "李乙"], ["王甲", "张丙"], ["王甲", "赵丁"], ["李乙"]])
    decisions.poll_close(actor=hall.league, poll=poll)
    result = results.poll_result(poll)
    assert result.winners == ["王甲"]  # 李乙 has 2 of 4: not more than half
    runoff = poll.runoffs.get()
    assert runoff.seats == 2
    assert runoff.candidates.count() == 3


def test_election_void_when_more_returned_than_issued(kit):
    hall = Hall(kit, 2)
    poll = hall.election(["王甲", "李乙"], 1)
    _vote(hall, poll, [["王甲"], ["王甲"]])
    decisions.poll_close(actor=hall.league, poll=poll)
    Poll.objects.filter(pk=poll.pk).update(issued=1)
    poll.refresh_from_db()
    result = results.poll_result(poll)
    assert result.election_valid is False and result.winners == []


def test_delegate_motion_needs_cosigners(kit):
    hall = Hall(kit, 4, cosigners=2)
    motion = motions.motion_create(
        actor=hall.user(0),
        session=hall.session,
        kind=MotionKind.DELEGATE,
        title="增设自习室",
        text="建议增设自习室。",
        majority="half",
        base="present",
    )
    assert motion.proposer == hall.delegates[0]
    with pytest.raises(DomainError):
        motions.motion_cosign(actor=hall.user(0), motion=motion)
    motions.motion_cosign(actor=hall.user(1), motion=motion)
    with pytest.raises(DomainError):
        motions.motion_cosign(actor=hall.user(1), motion=motion)
    with pytest.raises(DomainError) as exc:
        polls.poll_create_for_motion(actor=hall.league, motion=motion)
    assert exc.value.code == "cosigners"
    motions.motion_cosign(actor=hall.user(2), motion=motion)
    with pytest.raises(DomainError):
        motions.motion_review(actor=hall.user(3), motion=motion, recommendation="同意")
    motions.motion_review(actor=hall.league, motion=motion, recommendation="建议提交大会表决")
    assert polls.poll_create_for_motion(actor=hall.league, motion=motion).motion == motion
    with pytest.raises(DomainError):
        motions.motion_create(
            actor=kit.user(student=True),
            session=hall.session,
            kind=MotionKind.DELEGATE,
            title="x",
            text="y",
            majority="half",
            base="present",
        )


def test_paper_tallies_must_agree_and_counters_are_not_scrutineers(kit):
    hall = Hall(kit, 4)
    poll = hall.election(["王甲", "李乙", "张丙"], 2)
    _vote(hall, poll, [["王甲"], ["王甲", "李乙"]])
    decisions.poll_close(actor=hall.league, poll=poll, paper_ballots=True)
    counter1 = kit.user(role=Role.STUDENT_AFFAIRS)
    counter2 = kit.user(role=Role.SCHOOL_LEAGUE)
    scrutineer = kit.user(role=Role.STUDENT_AFFAIRS)
    wang, li = hall.cand(poll, "王甲"), hall.cand(poll, "李乙")
    counts = {
        "issued": 5,
        "invalid": 1,
        "groups": [{"marks": [wang, li], "count": 2}, {"marks": [wang], "count": 1}],
    }
    with pytest.raises(DomainError):
        ballots.paper_tally_enter(actor=hall.user(2), poll=poll, counts=counts)
    ballots.paper_tally_enter(actor=counter1, poll=poll, counts=counts)
    assert not ballots.paper_tally_agree(poll)
    with pytest.raises(DomainError):
        ballots.signoff(actor=scrutineer, poll=poll)  # waiting for the second count
    wrong = {**counts, "invalid": 2}
    ballots.paper_tally_enter(actor=counter2, poll=poll, counts=wrong)
    assert results.paper_state(poll) == "disagree"
    assert Ballot.objects.filter(poll=poll).count() == 2
    ballots.paper_tally_enter(actor=counter2, poll=poll, counts=counts)
    assert results.paper_state(poll) == "counted"
    assert Ballot.objects.filter(poll=poll).count() == 6
    with pytest.raises(DomainError) as exc:
        ballots.signoff(actor=counter1, poll=poll)
    assert exc.value.code == "counter"
    ballots.signoff(actor=scrutineer, poll=poll)
    with pytest.raises(DomainError):
        ballots.signoff(actor=scrutineer, poll=poll)
    result = results.poll_result(poll)
    assert (result.issued, result.returned, result.valid, result.invalid) == (7, 6, 5, 1)
    votes = {row["name"]: row["votes"] for row in result.votes}
    assert votes == {"王甲": 5, "李乙": 3, "张丙": 0}
    assert sorted(result.winners) == ["李乙", "王甲"]


def test_motion_paper_tally(kit):
    hall = Hall(kit, 3)
    poll = hall.motion_poll()
    ballots.ballot_cast(actor=hall.user(0), poll=poll, choice="yes")
    decisions.poll_close(actor=hall.league, poll=poll, paper_ballots=True)
    counts = {"issued": 2, "yes": 1, "no": 0, "abstain": 0, "invalid": 1}
    ballots.paper_tally_enter(actor=kit.user(role=Role.STUDENT_AFFAIRS), poll=poll, counts=counts)
    ballots.paper_tally_enter(actor=kit.user(role=Role.SCHOOL_PARTY), poll=poll, counts=counts)
    result = results.poll_result(poll)
    assert (result.issued, result.returned, result.yes, result.invalid) == (3, 3, 2, 1)
