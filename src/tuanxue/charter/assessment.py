"""The self-assessment: every checklist item evaluated from live data on one day.

A check returns pass or fail only from records; where the records a check needs do not exist
(yet), it returns ``not_evidenced`` — never a made-up pass. Items whose facts live outside the
system (a Party committee meeting) pass on documents the League committee recorded
(attestations), and say so in their evidence.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.academic import RecordBook, academic_verdict
from tuanxue.charter.compliance import month_diff, union_rules
from tuanxue.charter.models import (
    Assessment,
    Attestation,
    Charter,
    ChecklistItem,
    ChecklistVersion,
    CongressRecord,
    Guidance,
)
from tuanxue.charter.rules import CharterRules
from tuanxue.charter.services import charter_in_force
from tuanxue.core.models import School
from tuanxue.org import selectors
from tuanxue.org.models import College, Union

PASS, FAIL, NOT_EVIDENCED = "pass", "fail", "not_evidenced"


@dataclass
class ItemResult:
    code: str
    title: str
    core: bool
    status: str
    actual: Any = None
    limit: Any = None
    evidence: list[str] = field(default_factory=list)
    detail: str = ""
    # "data" when the item rests on records kept here, "attested" when on documents registered
    # by the League committee (attestations).
    basis: str = "data"
    # The records a data item rests on: {"type": app.model, "id": pk, "label": text}.
    refs: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "core": self.core,
            "status": self.status,
            "actual": self.actual,
            "limit": self.limit,
            "evidence": self.basis,
            "records": self.evidence,
            "record_refs": self.refs,
            "detail": self.detail,
        }


@dataclass
class Context:
    school: School
    day: dt.date
    charter: Charter | None
    rules: CharterRules
    school_union: selectors.UnionStructure
    college_unions: list[selectors.UnionStructure]
    congress: CongressRecord | None
    attestations: dict[str, list[Attestation]]

    # The rule rows of each structure, computed once for the several items that read them.
    rows_cache: dict = field(default_factory=dict)

    @property
    def structures(self) -> list[selectors.UnionStructure]:
        return [self.school_union, *self.college_unions]

    def union_rules(self, s: selectors.UnionStructure) -> list:
        key = id(s)
        if key not in self.rows_cache:
            self.rows_cache[key] = union_rules(s, self.rules)
        return self.rows_cache[key]

    def union_url(self, union: Union) -> str:
        return reverse("org:union", args=[self.school.code, union.pk])

    def student_url(self, student_id: int) -> str:
        return reverse("org:student", args=[self.school.code, student_id])


@dataclass
class Report:
    school: School
    day: dt.date
    charter: Charter | None
    checklist: ChecklistVersion | None
    figures: dict[str, Any]
    items: list[ItemResult]
    context: Context

    @property
    def passed(self) -> bool:
        return self.charter is not None and all(i.status == PASS for i in self.items if i.core)

    def to_json(self) -> dict:
        return {
            "school": self.school.name,
            "school_code": self.school.code,
            "charter": self.charter.version_label if self.charter else None,
            "checklist": self.checklist.code if self.checklist else None,
            "date": self.day.isoformat(),
            "passed": self.passed,
            "figures": self.figures,
            "items": [i.to_json() for i in self.items],
        }


# -- the checks ----------------------------------------------------------------------------


def _rows_result(ctx: Context, pick) -> tuple[str, list[str], list[str]]:
    """Fail when any picked compliance row of any union fails; evidence names each breach."""
    breaches, evidence = [], []
    for s in ctx.structures:
        for row in pick(ctx.union_rules(s)):
            if not row.ok:
                named = f"（{'、'.join(row.bodies)}）" if row.bodies else ""
                breaches.append(f"{s.union.name}：{row.rule}{named} {row.actual}（{row.limit}）")
                evidence.append(ctx.union_url(s.union))
    return (FAIL if breaches else PASS), breaches, evidence


def _by_key(key: str):
    return lambda rows: [r for r in rows if r.key == key]


def check_no_admin_functions(ctx: Context) -> ItemResult:
    status, breaches, evidence = _rows_result(ctx, _by_key("functions"))
    bodies = sum(len(s.departments) for s in ctx.structures)
    return ItemResult(
        "",
        "",
        True,
        status,
        len(breaches),
        0,
        evidence or [ctx.union_url(ctx.school_union.union)],
        "；".join(breaches) or _("%(n)s department remits checked") % {"n": bodies},
    )


def check_structure_form(ctx: Context) -> ItemResult:
    status, breaches, evidence = _rows_result(ctx, _by_key("levels"))
    missing = [s.union.name for s in ctx.structures if s.presidium is None]
    if missing:
        status = FAIL
        breaches.append(_("no presidium: %(u)s") % {"u": "、".join(missing)})
    return ItemResult(
        "",
        "",
        True,
        status,
        len(breaches),
        0,
        evidence or [ctx.union_url(ctx.school_union.union)],
        "；".join(breaches),
    )


def check_staffing_caps(ctx: Context) -> ItemResult:
    s = ctx.school_union
    status, breaches, evidence = _rows_result(ctx, _by_key("cap"))
    limits = ctx.rules.school
    return ItemResult(
        "",
        "",
        True,
        status,
        {
            "staff_total": s.staff_total,
            "presidium_size": s.presidium_size,
            "department_count": s.department_count,
        },
        {
            "staff_total": limits.staff_max,
            "presidium_size": limits.presidium_max,
            "department_count": limits.departments_max,
        },
        evidence or [ctx.union_url(s.union)],
        "；".join(breaches),
    )


def check_titles(ctx: Context) -> ItemResult:
    status, breaches, evidence = _rows_result(ctx, _by_key("titles"))
    return ItemResult(
        "",
        "",
        True,
        status,
        len(breaches),
        0,
        evidence or [ctx.union_url(ctx.school_union.union)],
        "；".join(breaches),
    )


def check_political(ctx: Context) -> ItemResult:
    bad = [
        m
        for s in ctx.structures
        for m in s.members
        if m.student.political_status not in ctx.rules.political_statuses
    ]
    total = sum(s.staff_total for s in ctx.structures)
    return ItemResult(
        "",
        "",
        True,
        FAIL if bad else PASS,
        len(bad),
        0,
        [ctx.student_url(m.student_id) for m in bad] or [ctx.union_url(ctx.school_union.union)],
        "；".join(
            f"{m.union.name} {m.student.name}（{m.student.get_political_status_display()}）"
            for m in bad
        )
        or _("%(n)s staff checked") % {"n": total},
    )


def check_academic(ctx: Context) -> ItemResult:
    members = [m for s in ctx.structures for m in s.members]
    if not members:
        return ItemResult("", "", True, NOT_EVIDENCED, 0, 0, [], _("no staff recorded"))
    book = RecordBook(ctx.school.pk, {m.student_id for m in members})
    failed, undecided = [], []
    for m in members:
        verdict = academic_verdict(m.student, m.start, ctx.rules, book)
        if verdict.eligible is False:
            failed.append((m, verdict))
        elif verdict.eligible is None:
            undecided.append((m, verdict))
    status = FAIL if failed else (NOT_EVIDENCED if undecided else PASS)
    listed = failed or undecided
    checked = [ctx.union_url(s.union) for s in ctx.structures if s.members]
    return ItemResult(
        "",
        "",
        True,
        status,
        len(failed),
        0,
        [ctx.student_url(m.student_id) for m, _v in listed] or checked,
        "；".join(
            f"{m.union.name} {m.student.name}：{'，'.join(v.reasons)}" for m, v in listed[:20]
        )
        or _("%(n)s staff meet the rule at the start of their term") % {"n": len(members)},
    )


def _attested(ctx: Context, code: str, core: bool) -> ItemResult:
    docs = ctx.attestations.get(code, [])
    if not docs:
        return ItemResult(
            "",
            "",
            core,
            NOT_EVIDENCED,
            None,
            None,
            [],
            _("no record or document yet"),
            basis="attested",
        )
    return ItemResult(
        "",
        "",
        core,
        PASS,
        len(docs),
        None,
        [f"{d.title}（{d.dated:%Y-%m-%d}）" for d in docs],
        _("documents recorded by the League committee"),
        basis="attested",
    )


def check_presidium_elected(ctx: Context) -> ItemResult:
    congress = ctx.congress
    if congress is None:
        return ItemResult("", "", True, NOT_EVIDENCED, None, None, [], _("no congress recorded"))
    presidium = ctx.school_union.presidium.members if ctx.school_union.presidium else []
    early = [m for m in presidium if m.start < congress.held_on]
    ok = congress.elected_presidium and not early
    return ItemResult(
        "",
        "",
        True,
        PASS if ok else FAIL,
        congress.held_on.isoformat(),
        None,
        [str(congress)] + [ctx.student_url(m.student_id) for m in early],
        _("%(n)s presidium members took office on or after %(day)s")
        % {"n": len(presidium) - len(early), "day": congress.held_on.isoformat()},
    )


def check_congress_on_schedule(ctx: Context) -> ItemResult:
    congress = ctx.congress
    interval = ctx.rules.congress_interval_months
    if congress is None:
        return ItemResult(
            "", "", True, NOT_EVIDENCED, None, interval, [], _("no congress recorded")
        )
    months = month_diff(ctx.day, congress.held_on)
    return ItemResult(
        "",
        "",
        True,
        PASS if months <= interval else FAIL,
        congress.held_on.isoformat(),
        _("within %(n)s months") % {"n": interval},
        [str(congress)],
        _("%(months).1f months before the assessment date") % {"months": months},
    )


def delegate_quota(school: School, ratio) -> tuple[int, list[dict]]:
    colleges = (
        College.objects.filter(school=school)
        .annotate(n=Count("students"))
        .order_by("order", "name")
    )
    rows = [{"college": c.name, "students": c.n, "quota": math.ceil(c.n * ratio)} for c in colleges]
    return sum(r["quota"] for r in rows), rows


def check_delegate_coverage(ctx: Context) -> ItemResult:
    congress = ctx.congress
    if congress is None:
        return _attested(ctx, "10", False)
    quota, _rows = delegate_quota(ctx.school, ctx.rules.ratio)
    if congress.delegates < quota:
        return ItemResult(
            "",
            "",
            False,
            FAIL,
            congress.delegates,
            quota,
            [str(congress)],
            _("fewer delegates than the colleges' quotas add up to"),
        )
    result = _attested(ctx, "10", False)
    result.actual, result.limit = congress.delegates, quota
    return result


def check_league_guidance(ctx: Context) -> ItemResult:
    guidance = (
        Guidance.objects.filter(union=ctx.school_union.union)
        .select_related("advisor", "secretary_general")
        .first()
    )
    if guidance is None:
        return ItemResult("", "", True, NOT_EVIDENCED, None, None, [], _("not recorded"))
    names = {
        _("advisor teacher"): guidance.advisor,
        _("secretary-general teacher"): guidance.secretary_general,
    }
    missing = [str(k) for k, v in names.items() if v is None]
    return ItemResult(
        "",
        "",
        True,
        FAIL if missing else PASS,
        2 - len(missing),
        2,
        [f"{k}：{v.name}" for k, v in names.items() if v is not None],
        _("missing: %(m)s") % {"m": "、".join(missing)} if missing else "",
    )


CHECKS = {
    "no_admin_functions": check_no_admin_functions,
    "structure_form": check_structure_form,
    "staffing_caps": check_staffing_caps,
    "titles": check_titles,
    "political": check_political,
    "academic": check_academic,
    "selection_chain": lambda ctx: _attested(ctx, "7", True),
    "presidium_elected": check_presidium_elected,
    "congress_on_schedule": check_congress_on_schedule,
    "delegate_coverage": check_delegate_coverage,
    "duty_review": lambda ctx: _attested(ctx, "11", False),
    "party_leadership": lambda ctx: _attested(ctx, "12", True),
    "league_guidance": check_league_guidance,
    "filing": lambda ctx: _attested(ctx, "14", False),
}


# Apps above ``charter`` evaluate items from their own records (the review app, the duty
# review) and add figures; they register here in their apps.ready.
_figure_hooks: list = []


def register_check(key: str, check) -> None:
    CHECKS[key] = check


def register_figures(hook) -> None:
    if hook not in _figure_hooks:
        _figure_hooks.append(hook)


# Apps that read records per union load them for every union of the context at once here
# (one query per school instead of one per union); each hook takes the context.
_context_hooks: list = []


def register_context(hook) -> None:
    if hook not in _context_hooks:
        _context_hooks.append(hook)


# -- the report ----------------------------------------------------------------------------


def default_day(school: School) -> dt.date:
    """The date of the latest recorded self-assessment, or today."""
    latest = Assessment.objects.filter(school=school).order_by("-assessed_on").first()
    return latest.assessed_on if latest else timezone.localdate()


def build_context(school: School, day: dt.date) -> Context:
    charter = charter_in_force(school, day)
    rules = charter.parsed if charter else CharterRules()
    # Every union of the school in one query and their structures in four more (not four per
    # union): the province-wide assessment (``assess --all``) runs this for every school.
    college_unions = (
        Union.objects.filter(school=school, college__isnull=False)
        .select_related("college", "school")
        .order_by("college__order", "college__name")
    )
    unions = [selectors.school_union(school), *college_unions]
    school_union, *college_unions = selectors.union_structures(unions, day)
    congress = (
        CongressRecord.objects.filter(school=school, union=school_union.union, held_on__lte=day)
        .order_by("-held_on")
        .first()
    )
    attestations: dict[str, list[Attestation]] = {}
    for a in Attestation.objects.filter(school=school, dated__lte=day).order_by("dated"):
        attestations.setdefault(a.item_code, []).append(a)
    ctx = Context(school, day, charter, rules, school_union, college_unions, congress, attestations)
    for hook in _context_hooks:
        hook(ctx)
    return ctx


def checklist_on(day: dt.date) -> ChecklistVersion | None:
    return (
        ChecklistVersion.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
        or ChecklistVersion.objects.order_by("effective_from").first()
    )


def assess(school: School, day: dt.date | None = None) -> Report:
    day = day or default_day(school)
    ctx = build_context(school, day)
    checklist = checklist_on(day)
    items: list[ItemResult] = []
    for item in ChecklistItem.objects.filter(version=checklist).order_by("order"):
        result = CHECKS[item.check_key](ctx)
        result.code, result.title, result.core = item.code, item.title, item.core
        if ctx.charter is None and result.status == PASS and item.check_key in _CHARTER_CHECKS:
            result.status = NOT_EVIDENCED
            result.detail = _("no charter in force on this day")
        items.append(result)
    s = ctx.school_union
    figures = {
        "staff_total": s.staff_total,
        "presidium_size": s.presidium_size,
        "department_count": s.department_count,
        "from_college_unions": s.from_college_unions,
        "from_college_unions_ratio": s.from_college_unions_ratio,
        "congress_date": ctx.congress.held_on.isoformat() if ctx.congress else None,
        "congress_delegates": ctx.congress.delegates if ctx.congress else None,
    }
    for hook in _figure_hooks:
        figures.update(hook(ctx))
    return Report(school, day, ctx.charter, checklist, figures, items, ctx)


_CHARTER_CHECKS = {"staffing_caps", "titles", "political", "academic"}
