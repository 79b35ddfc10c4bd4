"""The fixed wording of the self-assessment report: section keys and headings, Chinese labels,
number and date formats, and the lookups the generated paragraphs share.

The report is a Chinese document whatever the reader's language, so its text is written here in
Chinese; only the labels of the editing form go through gettext.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from tuanxue.charter.compliance import union_rules
from tuanxue.charter.models import ChecklistItem, Guidance
from tuanxue.charter.rules import LAST_SEMESTER, LAST_YEAR, Limits
from tuanxue.charter.verdicts import FAIL, NOT_EVIDENCED, PASS, ItemResult, Report
from tuanxue.org.models import PoliticalStatus, Title

# -- narrative sections ----------------------------------------------------------------------

INTRO = "intro"
FUNCTIONS = "functions"
MECHANISM = "mechanism"
STREAMLINING = "streamlining"
CRITERIA = "criteria"
PROCEDURE = "procedure"
CONGRESS = "congress"
GOVERNANCE = "governance"
REVIEW = "review"
PARTY = "party"
LEAGUE = "league"
CONCLUSION = "conclusion"
ACHIEVEMENTS = "achievements"
OUTLOOK = "outlook"

# (key, heading in the document, label on the editing form, checks the section reports on)
SECTIONS: list[tuple[str, str, Any, tuple[str, ...]]] = [
    (INTRO, "前言", _("Introduction"), ()),
    (FUNCTIONS, "（一）明确职能定位", _("(1) Functions"), ("no_admin_functions",)),
    (MECHANISM, "（二）改革运行机制", _("(2) Working mechanism"), ("structure_form",)),
    (STREAMLINING, "（三）坚持精简原则", _("(3) Streamlining"), ("staffing_caps", "titles")),
    (CRITERIA, "（四）明确遴选条件", _("(4) Selection criteria"), ("political", "academic")),
    (
        PROCEDURE,
        "（五）严格遴选程序",
        _("(5) Selection procedure"),
        ("selection_chain", "presidium_elected"),
    ),
    (
        CONGRESS,
        "（六）规范召开代表大会",
        _("(6) Student congress"),
        ("congress_on_schedule", "delegate_coverage"),
    ),
    (GOVERNANCE, "（七）坚持从严治会", _("(7) Strict governance"), ()),
    (REVIEW, "（八）建立述职评议制度", _("(8) Duty review"), ("duty_review",)),
    (PARTY, "（九）落实党委的全面领导", _("(9) Party committee leadership"), ("party_leadership",)),
    (
        LEAGUE,
        "（十）加强团委的具体指导",
        _("(10) League committee guidance"),
        ("league_guidance", "filing"),
    ),
    (CONCLUSION, "综上所述", _("Conclusion"), ()),
    (ACHIEVEMENTS, "改革成效", _("Results of the reform (optional part two)"), ()),
    (OUTLOOK, "下一步工作", _("Next steps (optional part three)"), ()),
]
SECTION_KEYS = [key for key, *_rest in SECTIONS]

STATUS_TEXT = {PASS: "通过", FAIL: "未通过", NOT_EVIDENCED: "尚无依据"}
CORE_MARK = {True: "★", False: "▲"}
TABLE_HEADER = ["序号", "类别", "验收项目", "实际情况", "标准", "自评结论", "依据"]
PLACEHOLDER = "（本节文字说明尚未填写。）"

TITLE_TEXT = {
    Title.EXECUTIVE_CHAIR: "执行主席",
    Title.PRESIDIUM_MEMBER: "主席团成员",
    Title.CHAIR: "主席",
    Title.VICE_CHAIR: "副主席",
    Title.MINISTER: "部长",
    Title.VICE_MINISTER: "副部长",
    Title.STAFF: "工作人员",
}
POLITICAL_TEXT = {
    PoliticalStatus.PARTY_MEMBER: "中共党员",
    PoliticalStatus.PARTY_PROBATIONARY: "中共预备党员",
    PoliticalStatus.LEAGUE_MEMBER: "共青团员",
    PoliticalStatus.MASSES: "群众",
}
PERIOD_TEXT = {LAST_SEMESTER: "最近1个学期", LAST_YEAR: "最近1个学年"}
# How the figures of a dict-valued actual or limit read in the document.
FIGURE_TEXT = {
    "staff_total": ("工作人员", "人"),
    "presidium_size": ("主席团", "人"),
    "department_count": ("工作部门", "个"),
}
NUMERALS = "一二三四五六七八九十"


# -- formatting ------------------------------------------------------------------------------


def cn_date(day: dt.date | str | None) -> str:
    if day is None:
        return "—"
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.year}年{day.month}月{day.day}日"


def cn_month(day: dt.date) -> str:
    return f"{day.year}年{day.month}月"


def percent(ratio: float) -> str:
    """0.6774 → 67.74%."""
    return f"{ratio * 100:.2f}%"


def share_text(value) -> str:
    """A charter share (a Fraction) as a percentage without trailing zeros: 0.3 → 30%."""
    return f"{float(value) * 100:g}%"


def value_text(value: Any, *, limit: bool = False) -> str:
    """An item's actual or limit, readable in the document."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        parts = []
        for key, v in value.items():
            label, unit = FIGURE_TEXT.get(key, (key, ""))
            if v is None:
                parts.append(f"{label}不限")
            else:
                parts.append(f"{label}{'≤' if limit else ''}{v}{unit}")
        return "；".join(parts)
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\r?\n", text or "") if p.strip()]


def limits_phrase(limits: Limits) -> str:
    """The caps of one level of union, worded as the seed's charter words them."""
    parts = []
    if limits.staff_min is not None and limits.staff_max is not None:
        parts.append(f"工作人员为{limits.staff_min}-{limits.staff_max}人")
    elif limits.staff_max is not None:
        parts.append(f"工作人员总数不超过{limits.staff_max}人")
    elif limits.staff_min is not None:
        parts.append(f"工作人员总数不少于{limits.staff_min}人")
    if limits.presidium_max is not None:
        parts.append(f"主席团成员不超过{limits.presidium_max}人")
    if limits.departments_max is not None:
        parts.append(f"工作部门不超过{limits.departments_max}个")
    per_department = []
    if limits.heads_min is not None and limits.heads_max is not None:
        per_department.append(f"负责人{limits.heads_min}-{limits.heads_max}人")
    elif limits.heads_max is not None:
        per_department.append(f"负责人不超过{limits.heads_max}人")
    elif limits.heads_min is not None:
        per_department.append(f"负责人不少于{limits.heads_min}人")
    if limits.dept_staff_max is not None:
        per_department.append(f"其他工作人员不超过{limits.dept_staff_max}人")
    if per_department:
        parts.append("每个工作部门" + "、".join(per_department))
    return "，".join(parts)


# -- lookups ---------------------------------------------------------------------------------


def items_by_check(report: Report) -> dict[str, ItemResult]:
    """The report's items keyed by the check that evaluated them (one query)."""
    keys = dict(
        ChecklistItem.objects.filter(version=report.checklist).values_list("code", "check_key")
    )
    return {keys[i.code]: i for i in report.items if i.code in keys}


def evidence_labels(report: Report) -> dict[str, str]:
    """Readable names for the links a report gives as evidence."""
    ctx = report.context
    labels = {}
    for s in ctx.structures:
        labels[ctx.union_url(s.union)] = s.union.name
        for m in s.members:
            labels[ctx.student_url(m.student_id)] = m.student.name
    return labels


def guidance_of(report: Report) -> Guidance | None:
    return (
        Guidance.objects.filter(union=report.context.school_union.union)
        .select_related("advisor", "secretary_general")
        .first()
    )


def guidance_evidence(guidance: Guidance | None) -> list[str]:
    if guidance is None:
        return []
    return [
        f"{label}：{person.name}"
        for label, person in (
            ("指导老师", guidance.advisor),
            ("秘书长", guidance.secretary_general),
        )
        if person is not None
    ]


def cap_breaches(structure, rules) -> list[str]:
    """The caps a union breaks, named in Chinese, with the verdicts of ``union_rules``."""
    names = [("工作人员总数", "人"), ("主席团成员数", "人"), ("工作部门数", "个")]
    for d in structure.departments:
        names += [(f"{d.body.name}负责人数", "人"), (f"{d.body.name}其他工作人员数", "人")]
    caps = [row for row in union_rules(structure, rules) if row.key == "cap"]
    if len(caps) != len(names):
        names = [(row.rule, "") for row in caps]
    return [
        f"{structure.union.name}{name}{row.actual}{unit}（标准{row.limit}）"
        for (name, unit), row in zip(names, caps, strict=True)
        if not row.ok
    ]
