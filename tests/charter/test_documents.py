"""The self-assessment documents: the seed's structure, figures from data, the teacher's narrative."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.builders.charter import DAY, NARRATIVE, START, build_school, docx_text  # noqa: F401
from tests.pdfcheck import assert_pdf_sound
from tuanxue.charter import services as charter_services
from tuanxue.charter.assessment import assess
from tuanxue.charter.documents import build as documents
from tuanxue.charter.documents.outline import SECTIONS, percent, value_text
from tuanxue.charter.verdicts import PASS

HEADINGS = [
    "一、深化改革落实情况",
    "（一）明确职能定位",
    "（二）改革运行机制",
    "（三）坚持精简原则",
    "（四）明确遴选条件",
    "（五）严格遴选程序",
    "（六）规范召开代表大会",
    "（七）坚持从严治会",
    "（八）建立述职评议制度",
    "（九）落实党委的全面领导",
    "（十）加强团委的具体指导",
    "附表：学生会深化改革自评表",
]


@pytest.fixture
def school(kit):
    return build_school(kit)


def pdf_text(path) -> str:
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", "", text)


def test_the_figures_are_the_reports(school):
    report = assess(school.school, DAY)
    assert report.figures["staff_total"] == 6
    assert report.figures["presidium_size"] == 2
    assert report.figures["department_count"] == 2
    assert report.figures["from_college_unions"] == 2
    assert percent(report.figures["from_college_unions_ratio"]) == "33.33%"


def test_word_document_follows_the_seed_structure(school, tmp_path):
    report = assess(school.school, DAY)
    path = tmp_path / "report.docx"
    documents.write_docx(report, path)
    document, text = docx_text(path)

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == HEADINGS
    assert document.paragraphs[0].text == "测试职业技术学院学生会深化改革自评报告"
    # Streamlining: the charter's limits and the live figures.
    assert "明确校级学生会工作人员总数不超过60人，主席团成员不超过5人，工作部门不超过6个" in text
    assert "院级学生会工作人员为20-30人" in text
    assert "当前我校学生会总人数为6人，主席团成员2个，部门2个" in text
    # Procedure: the share of members from college unions, two decimals.
    assert "来自学院学生会的成员比例为33.33%" in text
    # Congress: date and delegates.
    assert "2020年8月25日，我校召开了第十四次学生代表大会，3名代表参加大会" in text
    # Criteria: the charter's top share.
    assert "前30%以内" in text
    assert "政治面貌均为共青团员" in text
    # The teacher's narrative, paragraph by paragraph, in its section.
    assert "学生会坚持从学生中来、到学生中去。" in text
    assert "通过“学生接待日”听取同学需求。" in text
    assert "我校学生会每年组织新任学生干部学习自律公约。" in text
    assert text.index("（一）明确职能定位") < text.index("学生接待日") < text.index("（二）")
    # The college union has no staff, so the seed charter's 20-30 fails: not passed.
    assert "综上所述" in text and "自评未通过" in text


def test_word_table_has_a_row_per_item(school, tmp_path):
    report = assess(school.school, DAY)
    document, _text = docx_text(documents.docx_bytes(report))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "类别", "验收项目"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(report.items)
    by_code = {row[0]: row for row in rows}
    caps = by_code["3"]
    assert caps[1] == "★"
    assert caps[3] == "工作人员6人；主席团2人；工作部门2个"
    assert caps[4] == "工作人员≤60人；主席团≤5人；工作部门≤6个"
    assert caps[5] == "未通过"
    for item in report.items:
        row = by_code[item.code]
        assert row[2] == item.title
        assert (
            row[5] == {"pass": "通过", "fail": "未通过", "not_evidenced": "尚无依据"}[item.status]
        )
        assert row[1] == ("★" if item.core else "▲")


def test_pdf_has_a_chinese_text_layer(school, tmp_path):
    report = assess(school.school, DAY)
    path = tmp_path / "report.pdf"
    documents.write_pdf(report, path)
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    assert "测试职业技术学院学生会深化改革自评报告" in text
    assert "主席团" in text
    assert f"总人数为{report.figures['staff_total']}人" in text
    assert "（六）规范召开代表大会" in text
    assert "33.33%" in text
    assert "我校学生会每年组织新任学生干部学习自律公约。" in text


def test_a_passing_report_says_so(school):
    report = assess(school.school, DAY)
    for item in report.items:
        item.status = PASS
    _doc, text = docx_text(documents.docx_bytes(report))
    assert "自评通过" in text
    assert "自评未通过" not in text


def test_without_a_charter_the_document_says_so(kit):
    build_school(kit, charter=False, narrative=False)
    report = assess(kit.school, DAY)
    _doc, text = docx_text(documents.docx_bytes(report))
    assert "尚未录入学生会章程" in text
    assert "自评未通过" in text
    # A section with neither data nor narrative says its text is still to be written.
    assert "（本节文字说明尚未填写。）" in text


def test_the_narrative_of_another_year_is_not_used(school):
    charter_services.assessment_save(
        actor=None,
        school=school.school,
        year=2021,
        assessed_on=dt.date(2021, 10, 1),
        narrative={"functions": "二〇二一年的文字"},
    )
    _doc, text = docx_text(documents.docx_bytes(assess(school.school, DAY)))
    assert "二〇二一年的文字" not in text


def test_optional_parts_two_and_three(school):
    charter_services.assessment_save(
        actor=None,
        school=school.school,
        year=2020,
        assessed_on=DAY,
        narrative={**NARRATIVE, "outlook": "改革永远在路上。"},
    )
    document, text = docx_text(documents.docx_bytes(assess(school.school, DAY)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "二、下一步工作" in headings
    assert "改革永远在路上。" in text


def test_excel_table(school):
    report = assess(school.school, DAY)
    book = openpyxl.load_workbook(io.BytesIO(documents.xlsx_bytes(report)))
    sheet = book.active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = rows.index(["序号", "类别", "验收项目", "实际情况", "标准", "自评结论", "依据"])
    body = rows[header + 1 : header + 1 + len(report.items)]
    assert [r[0] for r in body] == [i.code for i in report.items]


def test_the_assess_command_writes_both_files(school, tmp_path):
    docx_path, pdf_path = tmp_path / "r.docx", tmp_path / "r.pdf"
    with pytest.raises(SystemExit):
        call_command(
            "assess",
            "--school",
            school.school.code,
            "--date",
            DAY.isoformat(),
            "--docx",
            str(docx_path),
            "--pdf",
            str(pdf_path),
        )
    assert "总人数为6人" in docx_text(docx_path)[1]
    assert "总人数为6人" in pdf_text(pdf_path)


def test_section_keys_are_unique_and_readable():
    keys = [key for key, *_rest in SECTIONS]
    assert len(keys) == len(set(keys))
    assert {"functions", "streamlining", "procedure", "congress", "conclusion"} <= set(keys)
    assert value_text({"staff_total": None}, limit=True) == "工作人员不限"
    assert value_text(None) == "—"


def test_pdf_embeds_its_font_and_renders_without_system_fonts(school, tmp_path):
    report = assess(school.school, DAY)
    path = tmp_path / "report.pdf"
    documents.write_pdf(report, path)
    assert_pdf_sound(
        path.read_bytes(), "测试职业技术学院学生会深化改革自评报告", tmp_path / "render"
    )
