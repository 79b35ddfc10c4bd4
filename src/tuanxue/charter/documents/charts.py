"""The compliance chart: for each countable rule of a union, the actual number against its limit.

The page shows it as SVG (``core.charts``); the self-assessment's Word and PDF files draw the same
bars (``core.chart_figures``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tuanxue.charter.compliance import RuleRow
from tuanxue.core.documents.charts import Bar, Chart, hbar_chart


def compliance_bars(rows: list[RuleRow]) -> list[Bar]:
    """One bar per rule that counts something; a rule whose limit is "0" tolerates none."""
    bars = []
    for row in rows:
        if not isinstance(row.actual, int):
            continue
        high = row.high if row.high is not None else (0 if row.limit == "0" else None)
        bars.append(
            Bar(row.rule, row.actual, low=row.low, high=high, ok=row.ok, limit_text=row.limit)
        )
    return bars


def compliance_title(union_name: str) -> str:
    return _("%(union)s: actual against the charter's limit") % {"union": union_name}


def compliance_chart(union_name: str, rows: list[RuleRow]) -> Chart | None:
    bars = compliance_bars(rows)
    if not bars:
        return None
    return hbar_chart(
        title=compliance_title(union_name),
        bars=bars,
        label_header=_("Rule"),
        value_header=_("Actual"),
        limit_header=_("Limit"),
    )
