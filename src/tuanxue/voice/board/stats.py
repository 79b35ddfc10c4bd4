"""The public board's figures: counts by category, status, department and month; median times
to the first answer and to resolution; the on-time, resolved and satisfaction figures.

Definitions (also in docs/voice.md):
- every demand of the school counts except those removed after an abuse report;
- first response: from submission to the department's first answer;
- resolution: from submission to the last answer, for closed demands;
- on time: the first answer came on or before the deadline's day, of all first-answered demands;
- resolved share: closed as resolved, of all closed demands (merged ones are not closed demands);
- satisfaction: the students' ratings (1–5) of closed demands.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from tuanxue.core.models import School
from tuanxue.voice.models import (
    AnsweringDepartment,
    Category,
    Closure,
    Demand,
    DemandStatus,
)

BOARD_STATUSES = [s for s in DemandStatus if s != DemandStatus.REMOVED]


@dataclass
class Share:
    count: int
    of: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.count / self.of, 1) if self.of else None


@dataclass
class BoardStats:
    total: int
    by_category: list[tuple[str, int]]
    by_status: list[tuple[str, str, int]]  # (code, label, count)
    by_department: list[tuple[str, int]]
    by_month: list[tuple[str, int, int]]  # (YYYY-MM, submitted, first answered)
    first_response_hours: float | None
    resolution_hours: float | None
    on_time: Share
    resolved: Share
    rating_average: float | None
    ratings: list[tuple[int, int]] = field(default_factory=list)  # (stars, count)

    @property
    def rated(self) -> int:
        return sum(n for _stars, n in self.ratings)


def _hours(pairs) -> float | None:
    values = [(end - start).total_seconds() / 3600 for start, end in pairs if start and end]
    return round(statistics.median(values), 1) if values else None


def board_stats(school: School) -> BoardStats:
    rows = Demand.objects.filter(school=school).exclude(status=DemandStatus.REMOVED)
    per_category = dict(rows.values_list("category").annotate(n=Count("pk")))
    per_status = dict(rows.values_list("status").annotate(n=Count("pk")))
    per_department = dict(rows.values_list("department").annotate(n=Count("pk")))
    categories = Category.objects.filter(school=school).order_by("order", "code")
    departments = AnsweringDepartment.objects.filter(school=school).order_by("order", "name")
    times = list(
        rows.values_list("created_at", "first_response_at", "answered_at", "status", "on_time")
    )
    months: dict[str, list[int]] = {}
    for created, first, _answered, _status, _on_time in times:
        months.setdefault(timezone.localtime(created).strftime("%Y-%m"), [0, 0])[0] += 1
        if first:
            months.setdefault(timezone.localtime(first).strftime("%Y-%m"), [0, 0])[1] += 1
    closed = rows.filter(status=DemandStatus.CLOSED)
    rated = closed.filter(rating__isnull=False)
    per_rating = dict(rated.values_list("rating").annotate(n=Count("pk")))
    ratings = list(rated.values_list("rating", flat=True))
    return BoardStats(
        total=len(times),
        by_category=[(c.name, per_category.get(c.pk, 0)) for c in categories],
        by_status=[(s.value, str(s.label), per_status.get(s.value, 0)) for s in BOARD_STATUSES],
        by_department=[
            (d.name, per_department.get(d.pk, 0))
            for d in departments
            if per_department.get(d.pk) or d.active
        ],
        by_month=[(m, v[0], v[1]) for m, v in sorted(months.items())],
        first_response_hours=_hours((c, f) for c, f, _a, _s, _o in times),
        resolution_hours=_hours((c, a) for c, _f, a, s, _o in times if s == DemandStatus.CLOSED),
        on_time=Share(
            sum(1 for *_x, o in times if o is True), sum(1 for *_x, o in times if o is not None)
        ),
        resolved=Share(closed.filter(closure=Closure.RESOLVED).count(), closed.count()),
        rating_average=round(sum(ratings) / len(ratings), 2) if ratings else None,
        ratings=[(n, per_rating.get(n, 0)) for n in range(5, 0, -1)],
    )


# -- charts ------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: float
    y: int
    width: float
    text_x: float


@dataclass
class BarChart:
    """A horizontal bar chart, drawn as SVG by ``voice/_chart.html``; its values also go into a
    table under it."""

    slug: str
    title: str
    bars: list[Bar]
    height: int
    width: int = 360
    label_width: int = 110
    bar_height: int = 18
    unit: str = ""


def bar_chart(slug: str, title: str, rows: list[tuple[str, float]], unit: str = "") -> BarChart:
    width, label_width, bar_height, gap = 360, 110, 18, 8
    room = width - label_width - 48
    top = max((value for _label, value in rows), default=0) or 1
    bars = []
    for number, (label, value) in enumerate(rows):
        length = room * value / top
        bars.append(
            Bar(
                label=label,
                value=value,
                y=number * (bar_height + gap) + 4,
                width=round(length, 1),
                text_x=round(label_width + length + 4, 1),
            )
        )
    height = max(len(rows), 1) * (bar_height + gap) + 8
    return BarChart(slug=slug, title=title, bars=bars, height=height, unit=unit)
