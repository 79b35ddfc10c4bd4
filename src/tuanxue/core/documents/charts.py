"""Charts drawn on the server as SVG: no JavaScript, no CDN, the same figure on every screen.

Each chart carries its values as a table too (``Chart.headers`` and ``Chart.rows``), which the
``core/_chart.html`` include shows below the figure, so the numbers can be read on a phone and by a
screen reader. The SVG has a ``<title>`` and a ``<desc>`` and is labelled by them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#1d4ed8", "#0f766e", "#b45309", "#7c3aed", "#be123c", "#4d7c0f", "#0e7490")
OK, BROKEN, GRID, TEXT = "#15803d", "#b42318", "#d0d5dd", "#344054"
_ids = itertools.count(1)


@dataclass
class Bar:
    label: str
    value: float
    # Limits drawn as ticks on the bar's row (e.g. the charter's minimum and maximum).
    low: float | None = None
    high: float | None = None
    ok: bool | None = None  # colours the bar green or red when given
    limit_text: str | None = None  # how the table states the limit, when not "low–high"


@dataclass
class Chart:
    title: str
    svg: SafeString
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def _num(value) -> str:
    return str(value) if isinstance(value, int) else f"{float(value):g}"


def _open(width: int, height: int, title: str, desc: str) -> tuple[str, list[str]]:
    n = next(_ids)
    tid, did = f"chart-title-{n}", f"chart-desc-{n}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{tid} {did}" '
        f'font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>'
    )
    return head, []


def hbar_chart(
    *,
    title: str,
    bars: list[Bar],
    value_header: str,
    label_header: str,
    reference: float | None = None,
    reference_label: str = "",
    limit_header: str = "",
) -> Chart:
    """One horizontal bar per item, with optional limit ticks per bar and one reference line
    across all bars (e.g. the majority needed to be elected)."""
    label_w, bar_w, row_h, top = 190, 360, 30, 8
    width = label_w + bar_w + 60
    bottom = 24 if reference is not None else 6
    height = top + row_h * max(len(bars), 1) + bottom
    scale_max = max(
        [b.value for b in bars]
        + [b.high or 0 for b in bars]
        + [b.low or 0 for b in bars]
        + [reference or 0, 1]
    )
    scale = bar_w / (scale_max * 1.08)
    desc = "; ".join(f"{b.label}: {_num(b.value)}" for b in bars)
    if reference is not None:
        desc += f"; {reference_label}: {_num(reference)}"
    head, parts = _open(width, height, title, desc)
    for i, b in enumerate(bars):
        y = top + i * row_h
        colour = PALETTE[0] if b.ok is None else (OK if b.ok else BROKEN)
        label = b.label if len(b.label) <= 14 else b.label[:13] + "…"
        parts.append(
            f'<g class="bar" data-label="{escape(b.label)}" data-value="{_num(b.value)}">'
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" fill="{TEXT}">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 5}" width="{b.value * scale:.1f}" height="{row_h - 10}" '
            f'fill="{colour}" rx="2"/>'
            f'<text x="{label_w + b.value * scale + 6:.1f}" y="{y + 19}" fill="{TEXT}">'
            f"{_num(b.value)}</text>"
        )
        for limit in (b.low, b.high):
            if limit is not None:
                x = label_w + limit * scale
                parts.append(
                    f'<line class="limit" x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" '
                    f'y2="{y + row_h - 1}" stroke="{TEXT}" stroke-width="2" '
                    f'stroke-dasharray="3 2"/>'
                )
        parts.append("</g>")
    if reference is not None:
        x = label_w + reference * scale
        y_end = top + row_h * len(bars)
        parts.append(
            f'<g class="reference" data-value="{_num(reference)}">'
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{y_end}" stroke="{BROKEN}" '
            f'stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{x:.1f}" y="{y_end + 16}" text-anchor="middle" fill="{BROKEN}">'
            f"{escape(reference_label)} {_num(reference)}</text></g>"
        )
    parts.append(
        f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{height - bottom}" stroke="{GRID}"/>'
    )
    svg = mark_safe(head + "".join(parts) + "</svg>")  # every text above is escaped
    headers = [label_header, value_header] + ([limit_header] if limit_header else [])
    rows = []
    for b in bars:
        row = [b.label, _num(b.value)]
        if limit_header:
            row.append(b.limit_text or _limit(b.low, b.high))
        rows.append(row)
    return Chart(title, svg, headers, rows)


def _limit(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{_num(low)}–{_num(high)}"
    if high is not None:
        return f"≤ {_num(high)}"
    if low is not None:
        return f"≥ {_num(low)}"
    return "—"


def column_chart(
    *,
    title: str,
    categories: list[str],
    series: list[tuple[str, list[float]]],
    category_header: str,
    total_header: str,
) -> Chart:
    """Stacked columns: one column per category (e.g. a month), one coloured part per series
    (e.g. an area), with a legend; the table has a column per series and a total."""
    left, top, plot_h, col_w, gap = 44, 10, 200, 34, 14
    width = max(left + len(categories) * (col_w + gap) + 20, 320)
    legend_rows = (len(series) + 2) // 3
    height = top + plot_h + 26 + legend_rows * 20 + 6
    series = [(name, [float(v) for v in values]) for name, values in series]
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    scale = plot_h / (max([*totals, 1]) * 1.08)
    desc = "; ".join(f"{c}: {_num(t)}" for c, t in zip(categories, totals, strict=True))
    head, parts = _open(width, height, title, desc)
    base = top + plot_h
    parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{base}" y2="{base}" stroke="{GRID}"/>')
    for i, category in enumerate(categories):
        x = left + gap / 2 + i * (col_w + gap)
        y = base
        parts.append(
            f'<g class="column" data-label="{escape(category)}" data-value="{_num(totals[i])}">'
        )
        for s, (name, values) in enumerate(series):
            h = values[i] * scale
            if values[i]:
                y -= h
                parts.append(
                    f'<rect class="part" x="{x:.1f}" y="{y:.1f}" width="{col_w}" height="{h:.1f}" '
                    f'fill="{PALETTE[s % len(PALETTE)]}" data-series="{escape(name)}" '
                    f'data-value="{_num(values[i])}"/>'
                )
        parts.append(
            f'<text x="{x + col_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'fill="{TEXT}" font-size="11">{_num(totals[i])}</text>'
            f'<text x="{x + col_w / 2:.1f}" y="{base + 16}" text-anchor="middle" '
            f'fill="{TEXT}" font-size="11">{escape(category)}</text></g>'
        )
    for s, (name, _values) in enumerate(series):
        lx = left + (s % 3) * 120
        ly = base + 30 + (s // 3) * 20
        parts.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{PALETTE[s % len(PALETTE)]}"/>'
            f'<text x="{lx + 16}" y="{ly + 11}" fill="{TEXT}" font-size="12">{escape(name)}</text>'
        )
    svg = mark_safe(head + "".join(parts) + "</svg>")  # every text above is escaped
    headers = [category_header] + [name for name, _ in series] + [total_header]
    rows = [
        [c] + [_num(values[i]) for _, values in series] + [_num(totals[i])]
        for i, c in enumerate(categories)
    ]
    return Chart(title, svg, headers, rows)
