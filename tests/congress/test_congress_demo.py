"""The 14th congress of the demo school: delegates over quota, the agenda's outcomes, the elected
presidium, and the self-assessment reading the real congress with the same figures."""

from __future__ import annotations

import io
import json
import math

import pytest
from django.core.management import call_command

from tuanxue.charter.models import Charter, CongressRecord
from tuanxue.congress.models import (
    Ballot,
    CongressSession,
    Delegate,
    DelegateStatus,
    MotionKind,
    PollKind,
    VoterMark,
)
from tuanxue.congress.polls.amendment import amendment_adopt, amendment_diff, motion_adopted
from tuanxue.congress.polls.install import congress_record_sync
from tuanxue.congress.sessions.agenda import ADOPTED, ELECTED, agenda, attendance, election_tally
from tuanxue.core.audit import verify_chain
from tuanxue.core.models import AuditEvent, School
from tuanxue.demo.org import build_demo, remove_demo_school
from tuanxue.org.models import BodyKind, Membership, Society, Student


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        result = build_demo()
        yield result
        remove_demo_school()


@pytest.fixture
def session(demo, db) -> CongressSession:
    return CongressSession.objects.get(school__code="gdgm", number=14)


def test_167_confirmed_delegates_present_over_every_quota(session):
    delegates = Delegate.objects.filter(session=session)
    assert delegates.count() == 167
    assert set(delegates.values_list("status", flat=True)) == {DelegateStatus.CONFIRMED}
    assert not delegates.filter(checked_in_at__isnull=True).exists()
    seen = attendance(session)
    assert (seen.entitled, seen.present, seen.quorum_reached) == (167, 167, True)
    school = session.school
    for college in school.colleges.all():
        students = Student.objects.filter(school=school, college=college).count()
        assert delegates.filter(college=college).count() >= math.ceil(students / 100)
    grades = set(Student.objects.filter(school=school).values_list("grade", flat=True))
    assert set(delegates.values_list("student__grade", flat=True)) == grades
    majors = set(Society.objects.filter(school=school, is_major=True).values_list("pk", flat=True))
    assert majors <= set(delegates.values_list("society", flat=True))


def test_agenda_outcomes(session):
    items = agenda(session)
    assert [i.kind for i in items] == [MotionKind.WORK_REPORT, MotionKind.CHARTER, "election"]
    assert [i.outcome for i in items] == [ADOPTED, ADOPTED, ELECTED]
    amendment = items[1].motion
    assert motion_adopted(amendment) is True
    assert items[1].motion_tally.needed == math.ceil(167 * 2 / 3)
    # No earlier charter in the demo: every clause is new.
    assert {r["clause"] for r in amendment_diff(amendment)} >= {"rotation", "school.staff_max"}


def test_the_election_elects_the_five_presidium_members(session):
    poll = session.polls.get(kind=PollKind.ELECTION)
    assert poll.candidates.count() == 6 and poll.seats == 5
    tally = election_tally(poll)
    assert not tally.void and tally.returned == 167 and tally.valid == 165
    presidium = set(
        Membership.objects.filter(
            union=session.union, body__kind=BodyKind.PRESIDIUM, end__isnull=True
        ).values_list("student_id", flat=True)
    )
    assert {s.pk for s in tally.winners} == presidium and len(presidium) == 5
    assert VoterMark.objects.filter(poll=poll).count() == 167
    assert Ballot.objects.filter(poll=poll).count() == 167


def test_the_record_comes_from_the_session_and_assess_passes(session):
    records = CongressRecord.objects.filter(school=session.school, name=session.name)
    assert records.count() == 1
    record = records.get()
    assert (record.held_on.isoformat(), record.delegates, record.elected_presidium) == (
        "2020-08-25",
        167,
        True,
    )
    assert str(session.pk) in record.notes
    out = io.StringIO()
    try:
        call_command("assess", "--school", "gdgm", "--json", stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    result = json.loads(out.getvalue())
    assert code == 0 and result["passed"] is True
    assert result["figures"]["congress_date"] == "2020-08-25"
    assert result["figures"]["congress_delegates"] == 167
    assert result["charter"] == "2020年修改版"


def test_idempotent_and_audit_chain_holds(session):
    school = School.objects.get(code="gdgm")
    charters = Charter.objects.filter(school=school).count()
    amendment = session.motions.get(kind=MotionKind.CHARTER)
    amendment_adopt(actor=None, motion=amendment)
    assert Charter.objects.filter(school=school).count() == charters
    before = AuditEvent.objects.filter(school=school).count()
    congress_record_sync(session)
    assert AuditEvent.objects.filter(school=school).count() == before
    assert verify_chain(school) == []
    # No event per ballot or voter mark.
    assert not AuditEvent.objects.filter(school=school, target_type="congress.ballot").exists()
