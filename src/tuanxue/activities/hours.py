"""Volunteer hours by month and education area, for those who look at totals (the League
committee, a college's League committee, a class's League branch), drawn as a chart."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from tuanxue.activities.models import EducationArea, Signup
from tuanxue.core.documents.charts import Chart, column_chart
from tuanxue.ledger.models import CreditCategory, CreditEntry, CreditUnit
from tuanxue.org.models import Student

SIGNUP_SOURCE = "activities.signup"


def _months(today: dt.date, count: int) -> list[dt.date]:
    first = today.replace(day=1)
    out = []
    for _i in range(count):
        out.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return out[::-1]


def volunteer_hours(
    students: QuerySet[Student], *, today: dt.date, months: int = 12
) -> tuple[list[dt.date], dict[str, list[Decimal]]]:
    """Hours of volunteer service recorded for `students` in each of the last `months` months,
    per education area of the activity (corrections count in their entry's area). Two queries."""
    window = _months(today, months)
    entries = (
        CreditEntry.objects.filter(student__in=students, unit=CreditUnit.HOURS)
        .filter(
            Q(category=CreditCategory.VOLUNTEER)
            | Q(category=CreditCategory.CORRECTION, corrects__category=CreditCategory.VOLUNTEER)
        )
        .filter(created_at__date__gte=window[0])
        .annotate(month=TruncMonth("created_at"))
        .values("month", "source_type", "source_id")
        .annotate(hours=Sum("amount"))
    )
    rows = list(entries)
    signup_ids = {int(r["source_id"]) for r in rows if r["source_type"] == SIGNUP_SOURCE}
    area_of = dict(
        Signup.objects.filter(pk__in=signup_ids).values_list("pk", "project__activity__area")
    )
    index = {m: i for i, m in enumerate(window)}
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(window))
    for r in rows:
        month = r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"]
        area = EducationArea.VOLUNTEER
        if r["source_type"] == SIGNUP_SOURCE:
            area = area_of.get(int(r["source_id"]), EducationArea.VOLUNTEER)
        totals[area][index[month]] += r["hours"]
    ordered = {a: totals[a] for a in EducationArea.values if a in totals}
    return window, ordered


def volunteer_hours_chart(students: QuerySet[Student], *, today: dt.date) -> Chart:
    window, per_area = volunteer_hours(students, today=today)
    labels = dict(EducationArea.choices)
    return column_chart(
        title=_("Volunteer hours by month and area"),
        categories=[f"{m:%Y-%m}" for m in window],
        series=[(str(labels[a]), values) for a, values in per_area.items()],
        category_header=_("Month"),
        total_header=_("Total"),
    )
