"""What closing a poll or a session sets in motion."""

from tests.builders.congress import Hall
from tuanxue.charter.models import Charter, CongressRecord
from tuanxue.charter.rules import SEED_2020
from tuanxue.congress.models import MotionKind, SessionStatus
from tuanxue.congress.polls import ballots, decisions, motions
from tuanxue.congress.polls import services as polls
from tuanxue.congress.sessions import services as sessions
from tuanxue.org.models import Membership


def test_an_adopted_charter_amendment_becomes_the_new_version(kit):
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
    for i in range(3):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice="yes")
    decisions.poll_close(actor=hall.league, poll=poll)
    charter = Charter.objects.get(school=kit.school, version_label="2020年8月修正")
    assert charter.parsed.school.staff_max == 40
    assert charter.effective_from == hall.session.held_on


def test_a_decided_election_installs_the_presidium(kit):
    hall = Hall(kit, 3)
    poll = hall.election(["王晓明", "李华", "张伟"], 2)
    winners = [hall.cand(poll, "王晓明"), hall.cand(poll, "李华")]
    for i in range(3):
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice=winners)
    decisions.poll_close(actor=hall.league, poll=poll)
    posts = Membership.objects.filter(body=kit.presidium, end__isnull=True)
    assert sorted(p.student.name for p in posts) == ["李华", "王晓明"]


def test_closing_the_session_records_the_congress_for_the_self_assessment(kit):
    hall = Hall(kit, 4)
    hall.session.status = SessionStatus.OPEN
    hall.session.save(update_fields=["status"])
    sessions.session_close(actor=hall.league, session=hall.session)
    record = CongressRecord.objects.get(school=kit.school)
    assert (record.held_on, record.delegates) == (hall.session.held_on, 4)


def test_the_election_form_starts_with_the_selection_chains_candidates(client, kit):
    import datetime as dt

    from django.utils import timezone

    from tuanxue.org.models import Title
    from tuanxue.selection.models import Application, ApplicationStatus, RecruitmentRound, Seat

    hall = Hall(kit, 1)
    now = timezone.now()
    rnd = RecruitmentRound.objects.create(
        school=kit.school,
        union=kit.school_union,
        name="遴选",
        term_start=dt.date(2020, 9, 1),
        opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=1),
    )
    seat = Seat.objects.create(round=rnd, body=kit.presidium, title=Title.PRESIDIUM_MEMBER, count=5)
    candidate = kit.good_student("候选人甲")
    Application.objects.create(
        school=kit.school,
        round=rnd,
        student=candidate,
        seat=seat,
        statement="x" * 12,
        status=ApplicationStatus.CANDIDATE,
        step_since=now,
    )
    client.force_login(hall.league)
    url = f"/s/{kit.school.code}/congress/{hall.session.pk}/polls/election/"
    assert candidate.student_no in client.get(url).content.decode()
