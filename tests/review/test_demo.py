"""The demo school's review, study and discipline records, and the self-assessment resting on
them: the review item is evidenced by data with review_date 2020-09-11 while the seed's figures
stay exact."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from tuanxue.core.models import School
from tuanxue.demo.org import build_demo
from tuanxue.ledger.models import Certification, CreditEntry
from tuanxue.org.models import PRESIDIUM_TITLES
from tuanxue.review import effects
from tuanxue.review.models import (
    DisciplineRecord,
    PanelKind,
    RemovalProposal,
    ReviewSession,
    ReviewStatus,
    StudySession,
    UnionMeeting,
)
from tuanxue.review.records import study

pytestmark = pytest.mark.django_db


def test_demo_review_study_discipline_and_assessment(db):
    build_demo()
    school = School.objects.get(code="gdgm")
    session = ReviewSession.objects.get(school=school)
    assert (session.held_on, session.semester.code, session.status) == (
        dt.date(2020, 9, 11),
        "2019-2020-2",
        ReviewStatus.PUBLISHED,
    )
    kinds = list(session.panel.values_list("kind", flat=True))
    assert kinds.count(PanelKind.STUDENT) * 2 > len(kinds)
    reviewees = list(session.reviewees.select_related("membership", "result"))
    presidium = [r for r in reviewees if r.membership.title in PRESIDIUM_TITLES]
    assert len(presidium) == 5 and len(reviewees) == 17
    assert all(r.report and r.result.grade in {"excellent", "good", "pass"} for r in reviewees)
    assert not RemovalProposal.objects.filter(school=school).exists()
    entries = CreditEntry.objects.filter(school=school, source_type=effects.RESULT_SOURCE)
    assert entries.count() >= 17
    assert Certification.objects.filter(entry__in=entries).count() == entries.count()
    for entry in entries[:5]:
        assert effects.result_for_entry(entry).reviewee.student == entry.student

    union = session.union
    convention = StudySession.objects.get(union=union, convention=True)
    assert convention.held_on == dt.date(2020, 9, 15)
    assert len(study.convention_missing(union, dt.date(2020, 9, 30))) == 2
    assert StudySession.objects.filter(union=union, topic__contains="二十七").count() == 2
    assert UnionMeeting.objects.get(union=union).first_item_study is True
    assert DisciplineRecord.objects.get(school=school).kind == "talk"

    out = io.StringIO()
    call_command("assess", "--school", "gdgm", "--date", "2020-09-30", "--json", stdout=out)
    result = json.loads(out.getvalue())
    figures = result["figures"]
    assert (
        figures["staff_total"],
        figures["presidium_size"],
        figures["department_count"],
        figures["from_college_unions"],
        figures["from_college_unions_ratio"],
        figures["congress_date"],
        figures["congress_delegates"],
    ) == (31, 5, 6, 21, 0.6774, "2020-08-25", 167)
    assert (figures["review_date"], figures["reviewees"]) == ("2020-09-11", 17)
    item = next(i for i in result["items"] if i["code"] == "11")
    assert item["status"] == "pass" and item["evidence"] == "data"
    assert item["actual"]["review_date"] == "2020-09-11"
    assert item["records"] == [f"/s/gdgm/reviews/{session.pk}/"]
    assert {i["evidence"] for i in result["items"]} <= {"data", "attested"}
    assert next(i for i in result["items"] if i["code"] == "12")["evidence"] == "data"
