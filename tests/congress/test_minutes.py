"""The minutes: generated from the session's rows, the narrative edited on the page (audited),
and the PDF and Word files carrying the same figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import include, path
from django.utils import timezone, translation
from docx import Document
from pypdf import PdfReader

from tests.pdfcheck import assert_pdf_sound
from tuanxue.congress.minutes.documents import minutes_docx, minutes_pdf
from tuanxue.congress.minutes.services import minutes, minutes_narrative_save
from tuanxue.congress.models import (
    Ballot,
    BallotSource,
    Candidate,
    CongressSession,
    Delegate,
    DelegateStatus,
    Motion,
    MotionKind,
    Poll,
    PollKind,
    PollStatus,
)
from tuanxue.core.errors import DomainError
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import Role
from tuanxue.urls import urlpatterns as root_urlpatterns

# The lead includes ``tuanxue.congress.minutes.urls`` in the root URLconf; until then the page
# tests run against the root URLconf plus these patterns.
urlpatterns = [*root_urlpatterns, path("", include("tuanxue.congress.minutes.urls"))]
URLS = pytest.mark.urls(__name__)


def ballots(poll, choice, n, valid=True):
    Ballot.objects.bulk_create(
        [Ballot(poll=poll, choice=choice, valid=valid, source=BallotSource.PHONE) for _ in range(n)]
    )


@pytest.fixture
def held(kit):
    session = CongressSession.objects.create(
        school=kit.school,
        union=kit.school_union,
        number=3,
        name="第三次学生代表大会",
        held_on=dt.date(2021, 4, 17),
        venue="图书馆报告厅",
        roster_cutoff=dt.date(2021, 4, 1),
        minutes_narrative="大会由主席团主持。",
    )
    now = timezone.now()
    for i in range(23):
        Delegate.objects.create(
            session=session,
            student=kit.student(),
            college=kit.college,
            status=DelegateStatus.CONFIRMED,
            checked_in_at=now if i < 19 else None,
        )
    report = Motion.objects.create(
        session=session, kind=MotionKind.WORK_REPORT, title="上一届工作报告", text="……"
    )
    poll = Poll.objects.create(
        session=session,
        kind=PollKind.MOTION,
        title="表决工作报告",
        motion=report,
        status=PollStatus.CLOSED,
        issued=19,
    )
    ballots(poll, "yes", 17)
    ballots(poll, "no", 2)
    election = Poll.objects.create(
        session=session,
        kind=PollKind.ELECTION,
        title="选举主席团",
        seats=2,
        status=PollStatus.CLOSED,
        issued=19,
    )
    a, b, c = (kit.student(name=n) for n in ("王小明", "李小红", "陈大文"))
    cands = [
        Candidate.objects.create(poll=election, student=s, order=i) for i, s in enumerate((a, b, c))
    ]
    ballots(election, {"marks": [cands[0].pk, cands[1].pk], "write_in": ""}, 15)
    ballots(election, {"marks": [cands[2].pk], "write_in": ""}, 3)
    ballots(election, {"marks": [c.pk for c in cands], "write_in": ""}, 1, valid=False)
    kit.session = session
    return kit


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_minutes_from_the_rows(held, english):
    m = minutes(held.session)
    facts = dict(m.facts)
    assert facts["Date"] == "2021-04-17"
    assert facts["Delegates entitled"] == "23" and facts["Delegates present"] == "19"
    assert m.attendance.quorum_needed == 16 and m.attendance.quorum_reached
    assert [i.outcome for i in m.items] == ["adopted", "elected"]
    assert m.presidium_names == "王小明、李小红"
    assert any("17" in line for line in m.items[0].lines)


def test_pdf_and_word_contain_the_figures(held, english):
    m = minutes(held.session)
    pdf = minutes_pdf(m)
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for figure in ("2021-04-17", "23", "19", "17", "15"):
        assert figure in text
    doc = Document(io.BytesIO(minutes_docx(m)))
    words = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "2021-04-17" in cells and "23" in cells and "19" in cells and "图书馆报告厅" in cells
    assert "王小明、李小红" in words and "大会由主席团主持。" in words
    assert "Yes 17, no 2" in words


def test_the_narrative_is_edited_by_the_league_committee_only(held):
    league = held.user("league", role=Role.SCHOOL_LEAGUE)
    with pytest.raises(DomainError):
        minutes_narrative_save(actor=held.user("someone"), session=held.session, text="x")
    minutes_narrative_save(actor=league, session=held.session, text="新的记录。")
    held.session.refresh_from_db()
    assert held.session.minutes_narrative == "新的记录。"
    assert AuditEvent.objects.filter(action="congress.minutes.edited").count() == 1


@URLS
def test_minutes_pages(client, held, other_kit):
    s = held.session
    base = f"/s/{held.school.code}/congress/{s.pk}/minutes"
    assert client.get(base + "/").status_code == 302  # anonymous: to the login page
    member = held.user("member", student=True)
    client.force_login(member)
    page = client.get(base + "/")
    assert page.status_code == 200 and "王小明" in page.content.decode()
    assert client.post(base + "/", {"narrative": "x"}).status_code == 403
    assert client.get(base + ".pdf")["Content-Type"] == "application/pdf"
    assert client.get(base + ".docx").status_code == 200
    league = held.user("league", role=Role.SCHOOL_LEAGUE)
    client.force_login(league)
    assert client.post(base + "/", {"narrative": "改过的记录"}).status_code == 302
    s.refresh_from_db()
    assert s.minutes_narrative == "改过的记录"
    client.force_login(other_kit.user("outsider", student=True))
    assert client.get(base + "/").status_code == 404
    assert client.get(base + ".pdf").status_code == 404


def test_the_elected_presidium_takes_office_and_the_record_follows(held):
    from tuanxue.charter.models import CongressRecord
    from tuanxue.congress.polls.install import (
        ALREADY,
        CREATED,
        congress_record_sync,
        presidium_install,
    )
    from tuanxue.org.models import Membership

    league = held.user("league", role=Role.SCHOOL_LEAGUE)
    election = held.session.polls.get(kind=PollKind.ELECTION)
    with pytest.raises(DomainError):
        presidium_install(actor=held.user("someone"), poll=election)
    done = presidium_install(actor=league, poll=election)
    assert [(i.student.name, i.how) for i in done] == [("王小明", CREATED), ("李小红", CREATED)]
    posts = Membership.objects.filter(source=f"congress:{held.session.pk}")
    assert {(m.student.name, m.start) for m in posts} == {
        ("王小明", dt.date(2021, 4, 17)),
        ("李小红", dt.date(2021, 4, 17)),
    }
    assert {i.how for i in presidium_install(actor=league, poll=election)} == {ALREADY}
    assert posts.count() == 2
    record = congress_record_sync(held.session, actor=league)
    assert (record.delegates, record.elected_presidium) == (23, True)
    Delegate.objects.filter(session=held.session).first().delete()
    congress_record_sync(held.session, actor=league)
    assert CongressRecord.objects.get(name=held.session.name).delegates == 22
    assert AuditEvent.objects.filter(action="congress.record.synced").count() == 1


def test_minutes_pdf_embeds_its_font_and_renders_without_system_fonts(held, tmp_path):
    m = minutes(held.session)
    assert_pdf_sound(minutes_pdf(m), m.title, tmp_path)
