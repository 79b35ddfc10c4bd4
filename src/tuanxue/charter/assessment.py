"""The self-assessment: every checklist item evaluated from live data on one day.

A check returns pass or fail only from records; where the records a check needs do not exist
(yet), it returns ``not_evidenced`` — never a made-up pass. Items whose facts live outside the
system (a Party committee meeting) pass on documents the League committee recorded
(attestations), and say so in their evidence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import math

from django.db import DatabaseError, connection
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.academic import RecordBook, academic_verdict
from tuanxue.charter.compliance import month_diff
from tuanxue.charter.models import (
    Assessment,
    Attestation,
    ChecklistItem,
    ChecklistVersion,
    CongressRecord,
    Guidance,
)
from tuanxue.charter.rules import CharterRules
from tuanxue.charter.services import charters_in_force
from tuanxue.charter.verdicts import (
    FAIL,
    NOT_EVIDENCED,
    PASS,
    Context,
    ItemResult,
    Loads,
    Report,
    by_school,
    semesters_by_school,
)
from tuanxue.core.models import School
from tuanxue.org import selectors
from tuanxue.org.models import College, Student, Union

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


def record_books(loads: Loads) -> dict[int, RecordBook]:
    """The academic records of every school's staff (of the context's structures)."""
    wanted = {
        ctx.school.pk: {m.student_id for s in ctx.structures for m in s.members}
        for ctx in loads.contexts
    }
    return RecordBook.many(wanted, loads.all(semesters_by_school))


def check_academic(ctx: Context) -> ItemResult:
    members = [m for s in ctx.structures for m in s.members]
    if not members:
        return ItemResult("", "", True, NOT_EVIDENCED, 0, 0, [], _("no staff recorded"))
    book = ctx.load(record_books)
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


def college_sizes(schools) -> dict[int, list[tuple[str, int]]]:
    """Each school's colleges (in order) with their number of students, in two queries: the
    students are counted by the database, grouped by college, never read."""
    counts = dict(
        Student.objects.filter(school__in=schools)
        .order_by()
        .values("college_id")
        .annotate(n=Count("pk"))
        .values_list("college_id", "n")
    )
    out: dict[int, list[tuple[str, int]]] = {s.pk: [] for s in schools}
    for c in College.objects.filter(school__in=schools).order_by("order", "name"):
        out[c.school_id].append((c.name, counts.get(c.pk, 0)))
    return out


def _college_sizes(loads: Loads) -> dict[int, list[tuple[str, int]]]:
    return college_sizes(loads.schools)


def delegate_quota(school: School, ratio, sizes=None) -> tuple[int, list[dict]]:
    """The congress's delegate quota: each college's students times the charter's ratio,
    rounded up. ``sizes`` are the school's colleges with their students (else read)."""
    if sizes is None:
        sizes = college_sizes([school])[school.pk]
    rows = [{"college": name, "students": n, "quota": math.ceil(n * ratio)} for name, n in sizes]
    return sum(r["quota"] for r in rows), rows


def context_quota(ctx: Context) -> tuple[int, list[dict]]:
    return delegate_quota(ctx.school, ctx.rules.ratio, ctx.load(_college_sizes, []))


def check_delegate_coverage(ctx: Context) -> ItemResult:
    congress = ctx.congress
    if congress is None:
        return _attested(ctx, "10", False)
    quota, _rows = context_quota(ctx)
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


def guidances(loads: Loads) -> dict[int, Guidance]:
    """The guidance record of each school union."""
    school_of = {ctx.school_union.union.pk: ctx.school.pk for ctx in loads.contexts}
    out: dict[int, Guidance] = {}
    for g in Guidance.objects.filter(union_id__in=list(school_of)).select_related(
        "advisor", "secretary_general"
    ):
        out[school_of[g.union_id]] = g
    return out


def check_league_guidance(ctx: Context) -> ItemResult:
    guidance = ctx.load(guidances)
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


# Apps that read records per union load them for every union of the contexts at once here
# (one query for all the schools assessed instead of one per union); each hook takes the list
# of contexts.
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
    return build_contexts([school], day)[0]


def build_contexts(schools, day: dt.date) -> list[Context]:
    """The context of each school on ``day``, in a fixed number of queries whatever the number
    of schools (``assess --all`` builds every school's at once)."""
    schools = list(schools)
    loads = Loads(schools, day)
    charters = charters_in_force(schools, day)
    # Every union of every school in one query and their structures in four more.
    unions: dict[int, list[Union]] = {s.pk: [] for s in schools}
    school_of = {s.pk: s for s in schools}
    for union in (
        Union.objects.filter(school__in=schools)
        .select_related("college")
        .order_by("college__order", "college__name", "pk")
    ):
        union.school = school_of[union.school_id]
        unions[union.school_id].append(union)
    every = []
    for school in schools:
        own = [u for u in unions[school.pk] if u.college_id is None]
        if not own:
            raise Union.DoesNotExist(f"no school union for {school.code}")
        every.append(own[0])
        every.extend(u for u in unions[school.pk] if u.college_id is not None)
    structures = {s.union.pk: s for s in selectors.union_structures(every, day)}
    contexts = []
    congresses: dict[int, CongressRecord] = {}
    school_unions = [u.pk for u in every if u.college_id is None]
    for congress in CongressRecord.objects.filter(
        union_id__in=school_unions, held_on__lte=day
    ).order_by("-held_on", "-pk"):
        congresses.setdefault(congress.union_id, congress)
    attestations = by_school(
        Attestation.objects.filter(school__in=schools, dated__lte=day).order_by("dated", "pk")
    )
    for school in schools:
        charter = charters.get(school.pk)
        school_union, *college_unions = [
            structures[u.pk]
            for u in sorted(unions[school.pk], key=lambda u: u.college_id is not None)
        ]
        documents: dict[str, list[Attestation]] = {}
        for a in attestations.get(school.pk, []):
            documents.setdefault(a.item_code, []).append(a)
        contexts.append(
            Context(
                school,
                day,
                charter,
                charter.parsed if charter else CharterRules(),
                school_union,
                college_unions,
                congresses.get(school_union.union.pk),
                documents,
                loads=loads,
            )
        )
    loads.contexts = contexts
    for hook in _context_hooks:
        hook(contexts)
    return contexts


def checklist_on(day: dt.date) -> ChecklistVersion | None:
    return (
        ChecklistVersion.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
        or ChecklistVersion.objects.order_by("effective_from").first()
    )


def assess(school: School, day: dt.date | None = None) -> Report:
    return assess_schools([school], day or default_day(school))[0]


def assess_schools(schools, day: dt.date) -> list[Report]:
    """Each school's report on ``day``: the records every check reads are loaded once for all
    the schools, so the number of queries does not grow with the schools (nor the students)."""
    with collector_paused(), planner_without_jit():
        contexts = build_contexts(schools, day)
        checklist = checklist_on(day)
        items = list(ChecklistItem.objects.filter(version=checklist).order_by("order"))
        return [_report(ctx, checklist, items) for ctx in contexts]


@contextlib.contextmanager
def planner_without_jit():
    """PostgreSQL's JIT compilation switched off for the block (and restored after). Reading
    every school's staff at once is costed high enough for PostgreSQL to compile it, which
    takes longer (seconds) than running it."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', false)")
        (before, _off) = cursor.fetchone()
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('jit', %s, false)", [before])
        except DatabaseError:
            pass  # a failed transaction: its rollback undoes the setting anyway


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused for the block. Reading a province's records
    creates hundreds of thousands of objects, and each pass of the collector walks every live
    one: left running it takes half the time of ``assess --all``. What the block leaves in
    cycles is collected after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _report(ctx: Context, checklist: ChecklistVersion | None, items: list) -> Report:
    results: list[ItemResult] = []
    for item in items:
        result = CHECKS[item.check_key](ctx)
        result.code, result.title, result.core = item.code, item.title, item.core
        if ctx.charter is None and result.status == PASS and item.check_key in _CHARTER_CHECKS:
            result.status = NOT_EVIDENCED
            result.detail = _("no charter in force on this day")
        results.append(result)
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
    return Report(ctx.school, ctx.day, ctx.charter, checklist, figures, results, ctx)


_CHARTER_CHECKS = {"staffing_caps", "titles", "political", "academic"}
