"""The self-assessment report as an outline: headings, generated paragraphs, the narrative a teacher
wrote for each section, and the self-assessment table.

Every figure in a generated paragraph comes from the ``Report``; the writers for Word, PDF and Excel
only lay the outline out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tuanxue.charter.documents.figure import Figure, compliance_figure
from tuanxue.charter.documents.sections import SectionWriter
from tuanxue.charter.documents.text import (
    ACHIEVEMENTS,
    CONCLUSION,
    CONGRESS,
    CORE_MARK,
    CRITERIA,
    FUNCTIONS,
    GOVERNANCE,
    INTRO,
    LEAGUE,
    MECHANISM,
    NUMERALS,
    OUTLOOK,
    PARTY,
    PLACEHOLDER,
    PROCEDURE,
    REVIEW,
    SECTION_KEYS,
    SECTIONS,
    STATUS_TEXT,
    STREAMLINING,
    TABLE_HEADER,
    cn_date,
    evidence_labels,
    guidance_evidence,
    guidance_of,
    items_by_check,
    percent,
    split_paragraphs,
    value_text,
)
from tuanxue.charter.measures import describe
from tuanxue.charter.models import Assessment
from tuanxue.charter.verdicts import Report

__all__ = [
    "SECTIONS",
    "SECTION_KEYS",
    "TABLE_HEADER",
    "Outline",
    "Section",
    "TableRow",
    "build_outline",
    "evidence_labels",
    "percent",
    "table_rows",
    "value_text",
]


@dataclass
class Section:
    key: str
    heading: str
    level: int  # 0: no heading, 1: 一、, 2: （一）
    paragraphs: list[str] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)


@dataclass
class TableRow:
    code: str
    mark: str
    title: str
    actual: str
    limit: str
    status: str
    status_key: str
    evidence: str

    def cells(self) -> list[str]:
        return [
            self.code,
            self.mark,
            self.title,
            self.actual,
            self.limit,
            self.status,
            self.evidence,
        ]


@dataclass
class Outline:
    title: str
    subtitle: str
    sections: list[Section]
    table_title: str
    table: list[TableRow]
    passed: bool
    # The compliance figure, drawn after the section named by ``documents_figure.FIGURE_AFTER``.
    figure: Figure | None = None


def narrative_for(report: Report) -> dict[str, str]:
    record = Assessment.objects.filter(school=report.school, year=report.day.year).first()
    return dict(record.narrative or {}) if record else {}


def table_rows(report: Report) -> list[TableRow]:
    labels = evidence_labels(report)
    checks = {id(item): check for check, item in items_by_check(report).items()}
    rows = []
    for item in report.items:
        check = checks.get(id(item))
        described = describe(check, item)
        actual, limit = described or (value_text(item.actual), value_text(item.limit, limit=True))
        evidence = list(dict.fromkeys(labels.get(e, e) for e in item.evidence))
        if check == "congress_on_schedule":
            limit = f"{report.context.rules.congress_interval_months}个月内"
        elif check == "league_guidance" and item.evidence:
            evidence = guidance_evidence(guidance_of(report))
        if item.basis == "data" and item.refs:
            evidence = ["系统数据：" + "；".join(evidence)]
        rows.append(
            TableRow(
                code=item.code,
                mark=CORE_MARK[item.core],
                title=item.title,
                actual=actual,
                limit=limit,
                status=STATUS_TEXT.get(item.status, item.status),
                status_key=item.status,
                evidence="；".join(evidence),
            )
        )
    return rows


def build_outline(report: Report, narrative: dict[str, str] | None = None) -> Outline:
    narrative = narrative_for(report) if narrative is None else narrative
    writer = SectionWriter(report)
    headings = {key: heading for key, heading, *_rest in SECTIONS}
    checks = {key: c for key, _h, _l, c in SECTIONS}

    def section(key: str, level: int, heading: str | None = None) -> Section:
        paragraphs = list(getattr(writer, key, lambda: [])())
        line = writer.item_line(checks.get(key, ()))
        if line:
            paragraphs.append(line)
        text = split_paragraphs(narrative.get(key, ""))
        if not paragraphs and not text:
            text = [PLACEHOLDER]
        return Section(key, headings[key] if heading is None else heading, level, paragraphs, text)

    sections = [section(INTRO, 0, "")]
    sections.append(Section("part1", "一、深化改革落实情况", 1))
    for key in (
        FUNCTIONS,
        MECHANISM,
        STREAMLINING,
        CRITERIA,
        PROCEDURE,
        CONGRESS,
        GOVERNANCE,
        REVIEW,
        PARTY,
        LEAGUE,
    ):
        sections.append(section(key, 2))
    sections.append(section(CONCLUSION, 0, ""))
    part = 1
    for key, heading in ((ACHIEVEMENTS, "改革成效"), (OUTLOOK, "下一步工作")):
        text = split_paragraphs(narrative.get(key, ""))
        if text:
            part += 1
            sections.append(Section(key, f"{NUMERALS[part - 1]}、{heading}", 1, [], text))

    charter = report.charter
    subtitle = f"评估日期：{cn_date(report.day)}　依据章程：" + (
        f"{charter.name}（{charter.version_label}）" if charter else "尚未录入"
    )
    return Outline(
        title=f"{report.school.name}学生会深化改革自评报告",
        subtitle=subtitle,
        sections=sections,
        table_title="附表：学生会深化改革自评表",
        table=table_rows(report),
        passed=report.passed,
        figure=compliance_figure(report),
    )
