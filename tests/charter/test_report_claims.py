"""The generated report says only what the records show: each claim appears only with the
records behind it, and a missing record is named as a gap instead."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from tests.builders.charter import DAY, build_school, docx_text
from tuanxue.charter import services as charter_services
from tuanxue.charter.assessment import assess
from tuanxue.charter.documents import build as documents
from tuanxue.charter.documents.outline import build_outline
from tuanxue.core.models import School
from tuanxue.demo.org import build_demo
from tuanxue.org import services

# Claims that need records behind them.
EVERY_YEAR = "坚持每年召开"
COLLEGE_FORM = "按“主席团＋工作部门”模式设置"
SCHOOL_FORM = "我校校学生会组织架构为“主席团＋工作部门”模式"
NO_FUNCTIONS = "均未承担"
NO_OTHER_TITLES = "未设其他职务"
BY_COLLEGE = "学生代表以各学院为选举单位产生"


def generated(report) -> str:
    outline = build_outline(report, narrative={})
    return "\n".join(p for s in outline.sections for p in s.paragraphs)


def test_an_empty_school_claims_nothing_and_names_each_gap(kit):
    text = generated(assess(kit.school, DAY))
    for claim in (EVERY_YEAR, COLLEGE_FORM, SCHOOL_FORM, NO_FUNCTIONS, NO_OTHER_TITLES, BY_COLLEGE):
        assert claim not in text, claim
    assert "符合章程规定" not in text and "轮值" not in text
    assert "尚未设立工作部门，部门职责无从核查" in text
    assert "主席团尚无成员" in text
    assert "系统中尚未记录学生会现任工作人员，人数和职务无从核查" in text
    assert "来自学院学生会的成员比例无从计算" in text
    assert "系统中尚无校学生代表大会的记录，是否按期召开无从核查" in text
    assert "全国验收标准要求" in text
    assert "尚未在系统中录入学生会章程" in text


def test_college_unions_without_staff_are_named_not_praised(kit):
    school = build_school(kit)
    text = generated(assess(school.school, DAY))
    # The school union has a presidium and staffed departments; the college union has neither.
    assert SCHOOL_FORM in text
    assert COLLEGE_FORM not in text.replace("尚未按“主席团＋工作部门”模式配齐", "")
    assert "信息学院学生会（主席团无成员、工作部门无工作人员）" in text
    assert "现任主席团成员中无人担任主席、副主席" in text
    assert "本学期执行主席为执行主席甲" in text or "系统中尚未记录本学期的执行主席" in text


def test_every_year_only_with_a_congress_every_year(kit):
    school = build_school(kit)
    text = generated(assess(school.school, DAY))
    assert EVERY_YEAR not in text
    assert "系统中仅有一次校学生代表大会的记录" in text
    charter_services.congress_record_add(
        actor=None,
        school=school.school,
        union=school.school_union,
        name="第十三次学生代表大会",
        held_on=dt.date(2019, 8, 27),
        delegates=3,
        elected_presidium=True,
    )
    text = generated(assess(school.school, DAY))
    assert EVERY_YEAR in text
    assert "2019年8月27日第十三次学生代表大会、2020年8月25日第十四次学生代表大会" in text
    # Two congresses three years apart are not "every year".
    charter_services.congress_record_add(
        actor=None,
        school=school.school,
        union=school.school_union,
        name="第十二次学生代表大会",
        held_on=dt.date(2016, 5, 1),
        delegates=3,
        elected_presidium=True,
    )
    text = generated(assess(school.school, DAY))
    assert EVERY_YEAR not in text and "超过规定间隔" in text


def test_remits_not_written_are_not_vouched_for(kit):
    school = build_school(kit)
    services.department_create(actor=None, union=school.school_union, name="体育部", remit="")
    text = generated(assess(school.school, DAY))
    assert "校学生会体育部尚未写明职责，无从核查" in text


@pytest.fixture
def demo(db):
    build_demo()
    return School.objects.get(code="gdgm")


def test_the_demo_keeps_its_figures_and_claims_only_what_it_records(demo):
    out = io.StringIO()
    call_command("assess", "--school", "gdgm", "--date", "2020-09-30", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["passed"] is True
    figures = result["figures"]
    assert (
        figures["staff_total"],
        figures["presidium_size"],
        figures["department_count"],
        figures["from_college_unions"],
        figures["congress_date"],
        figures["congress_delegates"],
    ) == (31, 5, 6, 21, "2020-08-25", 167)
    report = assess(demo, dt.date(2020, 9, 30))
    text = generated(report)
    assert "来自学院学生会的成员比例为67.74%" in text
    assert "167名代表参加大会" in text
    # Every college union of the demo has a presidium and staffed departments.
    assert COLLEGE_FORM in text and SCHOOL_FORM in text
    # One congress on record: no claim of holding one every year.
    assert EVERY_YEAR not in text and "系统中仅有一次校学生代表大会的记录" in text
    assert BY_COLLEGE in text  # backed by the delegate review report (item 10)
    _document, word = docx_text(documents.docx_bytes(report))
    assert "系统中仅有一次校学生代表大会的记录" in word and EVERY_YEAR not in word
