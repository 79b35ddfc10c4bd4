"""The self-assessment items evidenced by the oversight records, the selection chains and the
congress: they pass on data (with the records they rest on), and without those records they do
not pass; the seed's figures stay as they are."""

import contextlib
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from tuanxue.charter.assessment import assess
from tuanxue.charter.documents.outline import build_outline
from tuanxue.core.models import School
from tuanxue.demo.org import build_demo
from tuanxue.oversight import filing, services
from tuanxue.oversight.models import (
    AssignmentKind,
    Filing,
    LeaderAssignment,
    LeaderLecture,
    ReportHearing,
    WorkPlan,
)
from tuanxue.selection.models import StepAction

DATA_ITEMS = {"7", "10", "12", "13", "14"}
DAY = dt.date(2020, 9, 30)


def _items(report):
    return {i.code: i for i in report.items}


def test_demo_items_rest_on_data_and_keep_the_seed_figures(db):
    build_demo()
    out = io.StringIO()
    call_command("assess", "--school", "gdgm", "--date", "2020-09-30", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["passed"] is True
    f = result["figures"]
    assert (
        f["staff_total"],
        f["presidium_size"],
        f["department_count"],
        f["from_college_unions"],
        f["from_college_unions_ratio"],
        f["congress_date"],
        f["congress_delegates"],
    ) == (31, 5, 6, 21, 0.6774, "2020-08-25", 167)
    items = {i["code"]: i for i in result["items"]}
    for code in DATA_ITEMS:
        assert items[code]["status"] == "pass", code
        assert items[code]["evidence"] == "data", code
        assert items[code]["record_refs"], code
        assert all(r["id"] and r["label"] for r in items[code]["record_refs"])
    assert items["7"]["actual"] == items["7"]["limit"] == 17
    assert {r["type"] for r in items["7"]["record_refs"]} == {"selection.application"}
    assert items["10"]["actual"]["delegates"] == 167
    assert items["10"]["actual"]["colleges"] == items["10"]["actual"]["colleges_at_quota"]
    assert items["10"]["actual"]["congress_date"] == "2020-08-25"
    types12 = {r["type"] for r in items["12"]["record_refs"]}
    assert {
        "oversight.leaderassignment",
        "oversight.workplan",
        "oversight.reporthearing",
    } <= types12
    assert items["14"]["actual"] == {"matter": 1, "activity": 1, "information": 1, "external": 1}

    # The generated report says these items rest on data.
    school = School.objects.get(code="gdgm")
    outline = build_outline(assess(school, DAY))
    text = "\n".join(p for s in outline.sections for p in s.paragraphs)
    assert text.count("依据系统数据") >= 4
    rows = {r.code: r for r in outline.table}
    assert all(rows[c].evidence.startswith("系统数据") for c in DATA_ITEMS)

    # Without the records, they do not pass (and no registered document makes them pass).
    ReportHearing.objects.all().delete()
    report = _items(assess(school, DAY))
    assert report["12"].status == "fail"
    assert report["12"].actual["reports_heard"] == 0 and report["12"].actual["work_plans"] == 2
    LeaderAssignment.objects.all().delete()
    WorkPlan.objects.all().delete()
    LeaderLecture.objects.all().delete()
    Filing.objects.all().delete()
    # A presidium member whose school Party committee approval is missing.
    StepAction.objects.filter(role="school_party").order_by("pk").first().delete()
    items = _items(assess(school, DAY))
    assert items["12"].status == "not_evidenced" and items["12"].basis == "data"
    assert items["14"].status == "not_evidenced"
    assert items["7"].status == "fail" and "校党委审定" in items["7"].detail


def test_party_leadership_needs_all_three_pieces(chartered):
    kit = chartered
    union = kit.school_union
    item = _items(assess(kit.school, DAY))["12"]
    assert item.status == "not_evidenced" and item.basis == "data" and not item.refs
    services.assignment_add(
        actor=None,
        school=kit.school,
        union=union,
        kind=AssignmentKind.IN_CHARGE,
        leader="陈国华",
        start=dt.date(2020, 6, 29),
    )
    services.plan_add(
        actor=None, school=kit.school, year=2020, document="工作要点", excerpt="学生会"
    )
    item = _items(assess(kit.school, DAY))["12"]
    assert item.status == "fail" and len(item.refs) == 2
    hearing = services.hearing_add(
        actor=None,
        school=kit.school,
        union=union,
        held_on=dt.date(2020, 6, 29),
        meeting="校党委会",
        topics=["congress"],
    )
    item = _items(assess(kit.school, DAY))["12"]
    assert item.status == "pass"
    assert {"type": "oversight.reporthearing", "id": hearing.pk} in [
        {k: r[k] for k in ("type", "id")} for r in item.refs
    ]
    # A year later the hearing is too old and the assignment is over.
    item = _items(assess(kit.school, dt.date(2021, 9, 30)))["12"]
    assert item.status == "fail"


def test_filing_item_rests_on_accepted_filings(chartered):
    kit = chartered
    item = _items(assess(kit.school, DAY))["14"]
    assert item.status == "not_evidenced" and item.basis == "data"
    record = filing.filing_submit(
        actor=None,
        union=kit.school_union,
        kind="matter",
        title="学代会筹备方案",
        content="议程",
        occurs_on=dt.date.today() - dt.timedelta(days=10),
    )
    assert _items(assess(kit.school, dt.date.today()))["14"].status == "not_evidenced"
    filing.filing_decide(actor=None, filing=record, decision="accept")
    item = _items(assess(kit.school, dt.date.today()))["14"]
    assert item.status == "pass" and item.refs[0]["id"] == record.pk
    assert item.actual["matter"] == 1


def test_no_presidium_means_the_procedure_is_not_evidenced(chartered):
    item = _items(assess(chartered.school, DAY))["7"]
    assert item.status == "not_evidenced" and item.basis == "data"
    item = _items(assess(chartered.school, DAY))["10"]
    assert item.status == "not_evidenced"


@pytest.mark.parametrize("code", sorted(DATA_ITEMS))
def test_items_carry_the_evidence_field(chartered, code):
    out = io.StringIO()
    with contextlib.suppress(SystemExit):
        call_command("assess", "--school", chartered.school.code, "--json", stdout=out)
    result = json.loads(out.getvalue())
    item = next(i for i in result["items"] if i["code"] == code)
    assert item["evidence"] == "data" and "record_refs" in item


def test_an_activity_held_without_an_approved_filing_fails_the_item(chartered):
    from django.utils import timezone

    from tuanxue.activities import services as activity_services

    kit = chartered
    start = timezone.now() + dt.timedelta(days=2)
    activity = activity_services.activity_create(
        actor=None,
        school=kit.school,
        organiser_body=kit.department(),
        title="校企联谊会",
        description="与企业联谊",
        area="culture_sports",
        brands=[],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        place="礼堂",
        capacity=None,
        audience_colleges=[],
        audience_grades=[],
        credit=0,
        credit_unit="hours",
        external_contact="某企业",
    )
    activity_services.activity_submit(actor=None, activity=activity)
    later = dt.date.today() + dt.timedelta(days=5)
    item = _items(assess(kit.school, later))["14"]
    assert item.status == "fail" and "校企联谊会" in item.detail
    assert {"type": "activities.activity", "id": activity.pk, "label": "校企联谊会"} in item.refs
    activity_services.activity_decide(actor=None, activity=activity, decision="approve", comment="")
    item = _items(assess(kit.school, later))["14"]
    assert item.status == "pass" and item.actual["external"] == 1
