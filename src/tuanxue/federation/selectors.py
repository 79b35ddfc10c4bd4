"""Reads for the federation's pages. The province table costs a fixed number of queries
whatever the number of schools or students: each figure is one aggregate query grouped by
school."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from tuanxue.charter.models import CongressRecord
from tuanxue.charter.verdicts import Report
from tuanxue.core.documents.charts import Bar, Chart, hbar_chart
from tuanxue.core.models import School
from tuanxue.federation.models import Standing, Submission
from tuanxue.org.models import BodyKind, Department, Membership
from tuanxue.org.selectors import active_on
from tuanxue.selection.models import (
    Application,
    ApplicationStatus,
    ChainKind,
    ChainStep,
    StepScope,
)


@dataclass
class SchoolRow:
    school: School
    staff_total: int = 0
    presidium_size: int = 0
    department_count: int = 0
    from_college_unions: int = 0
    congress_date: dt.date | None = None
    congress_delegates: int | None = None
    standing: Standing | None = None
    submission: Submission | None = None
    consents_waiting: int = 0

    @property
    def from_college_unions_ratio(self) -> float:
        total = self.staff_total
        return round(self.from_college_unions / total, 4) if total else 0.0

    @property
    def from_college_unions_percent(self) -> str:
        return f"{self.from_college_unions_ratio * 100:.2f}%"


def _school_union_posts(day: dt.date):
    return Membership.objects.filter(active_on(day), union__college__isnull=True)


def province_rows(day: dt.date) -> list[SchoolRow]:
    """Every school's figures on ``day``, its recorded standing and its latest submission, in
    seven queries."""
    schools = list(School.objects.order_by("code"))
    rows = {s.pk: SchoolRow(school=s) for s in schools}
    earlier_college_post = Membership.objects.filter(
        student=OuterRef("student"), union__college__isnull=False, start__lt=OuterRef("start")
    )
    staff = (
        _school_union_posts(day)
        .annotate(from_college=Exists(earlier_college_post))
        .values("union__school_id")
        .annotate(
            total=Count("pk"),
            presidium=Count("pk", filter=Q(body__kind=BodyKind.PRESIDIUM)),
            from_college_unions=Count("pk", filter=Q(from_college=True)),
        )
    )
    for line in staff:
        row = rows[line["union__school_id"]]
        row.staff_total = line["total"]
        row.presidium_size = line["presidium"]
        row.from_college_unions = line["from_college_unions"]
    departments = (
        Department.objects.filter(union__college__isnull=True, kind=BodyKind.DEPARTMENT)
        .values("union__school_id")
        .annotate(n=Count("pk"))
    )
    for line in departments:
        rows[line["union__school_id"]].department_count = line["n"]
    # The latest congress of each school union up to the day (PostgreSQL would say DISTINCT ON;
    # ordering and keeping the first per school works on both databases and reads few rows).
    congresses = (
        CongressRecord.objects.filter(union__college__isnull=True, held_on__lte=day)
        .order_by("school_id", "-held_on", "-pk")
        .values_list("school_id", "held_on", "delegates")
    )
    for school_id, held_on, delegates in congresses:
        row = rows[school_id]
        if row.congress_date is None:
            row.congress_date, row.congress_delegates = held_on, delegates
    for standing in Standing.objects.all():
        rows[standing.school_id].standing = standing
    latest = (
        Submission.objects.filter(school=OuterRef("school"))
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    for submission in Submission.objects.filter(pk__in=latest.values("pk")).defer(
        "docx", "pdf", "report"
    ):
        rows[submission.school_id].submission = submission
    for line in consent_queue_qs().values("school_id").annotate(n=Count("pk")):
        rows[line["school_id"]].consents_waiting = line["n"]
    return list(rows.values())


def consent_queue_qs():
    """Presidium applications waiting at their school's federation step, across schools."""
    federation_step = ChainStep.objects.filter(
        chain__school=OuterRef("school"),
        chain__kind=ChainKind.PRESIDIUM,
        scope=StepScope.FEDERATION,
        order=OuterRef("step"),
    )
    return Application.objects.filter(
        status=ApplicationStatus.IN_REVIEW,
        seat__body__kind=BodyKind.PRESIDIUM,
    ).filter(Exists(federation_step))


def consent_queue(limit: int = 200) -> list[Application]:
    return list(
        consent_queue_qs()
        .select_related("school", "student__college", "round", "seat__body")
        .order_by("step_since", "pk")[:limit]
    )


def submissions_of(school: School) -> list[Submission]:
    return list(
        Submission.objects.filter(school=school)
        .defer("docx", "pdf", "report")
        .order_by("-submitted_at", "-pk")
    )


# -- the snapshot beside today's assessment -------------------------------------------------


@dataclass
class ItemPair:
    code: str
    title: str
    core: bool
    then: dict | None
    now: dict | None
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


COMPARED = ("status", "actual", "limit", "detail", "evidence")


def compare(
    snapshot: dict, live: Report
) -> tuple[list[ItemPair], list[tuple[str, object, object]]]:
    """Item by item (by checklist code) and figure by figure: what the submitted copy said,
    what the records say today, and which fields differ."""
    now_items = {i["code"]: i for i in (x.to_json() for x in live.items)}
    then_items = {i["code"]: i for i in snapshot.get("items", [])}
    codes = list(then_items) + [c for c in now_items if c not in then_items]
    pairs = []
    for code in codes:
        then, now = then_items.get(code), now_items.get(code)
        base = now or then
        changes = []
        if then is None or now is None:
            changes.append("item")
        else:
            changes = [k for k in COMPARED if then.get(k) != now.get(k)]
        pairs.append(ItemPair(code, base["title"], base["core"], then, now, changes))
    figures_then = snapshot.get("figures", {})
    figures = [
        (key, figures_then.get(key), live.figures.get(key))
        for key in list(figures_then) + [k for k in live.figures if k not in figures_then]
    ]
    return pairs, figures


def province_chart(rows) -> Chart | None:
    """The core items each checked school does not pass, side by side (green: passed)."""
    checked = [r for r in rows if r.standing is not None]
    if not checked:
        return None
    return hbar_chart(
        title=_("Core items not passed, per school"),
        bars=[
            Bar(
                r.school.name,
                len(r.standing.failing),
                ok=r.standing.passed,
                limit_text=str(_("passed")) if r.standing.passed else str(_("not passed")),
            )
            for r in checked
        ],
        label_header=_("School"),
        value_header=_("Core items not passed"),
        limit_header=_("Result"),
    )
