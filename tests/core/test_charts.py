"""The server-drawn charts: valid SVG with a title and description, one bar per value, the
reference line where asked, and the same numbers in the table."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from tests.chartcheck import SVG, bars, figures, parse_svg, svg_title
from tuanxue.core.documents.charts import Bar, column_chart, hbar_chart


def test_horizontal_bars_with_limits_and_a_reference_line():
    chart = hbar_chart(
        title="主席团选举 <票数>",
        bars=[Bar("王甲", 4, high=5, ok=True), Bar("李乙", 7, low=2, high=6, ok=False)],
        label_header="候选人",
        value_header="票数",
        limit_header="限额",
        reference=3,
        reference_label="过半数",
    )
    root = parse_svg(chart.svg)
    assert svg_title(root) == "主席团选举 <票数>"
    assert "王甲: 4" in root.find(f"{SVG}desc").text
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert bars(root) == [("王甲", "4"), ("李乙", "7")]
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[1] / widths[0] == pytest.approx(7 / 4, rel=1e-3)
    assert [r.get("fill") for r in root.iter(f"{SVG}rect")] == ["#15803d", "#b42318"]
    assert len([line for line in root.iter(f"{SVG}line") if line.get("class") == "limit"]) == 3
    (ref,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "reference"]
    assert ref.get("data-value") == "3"
    assert chart.rows == [["王甲", "4", "≤ 5"], ["李乙", "7", "2–6"]]
    html = render_to_string("core/_chart.html", {"chart": chart})
    ((svg, rows),) = figures(html)
    assert bars(svg) == [("王甲", "4"), ("李乙", "7")]
    assert rows == [["王甲", "4", "≤ 5"], ["李乙", "7", "2–6"]]
    assert "&lt;票数&gt;" in html


def test_stacked_columns_per_month_and_series():
    chart = column_chart(
        title="志愿服务时长",
        categories=["2026-03", "2026-04"],
        series=[("志愿服务", [3.5, 0]), ("劳育", [1, 2])],
        category_header="月份",
        total_header="合计",
    )
    root = parse_svg(chart.svg)
    assert svg_title(root) == "志愿服务时长"
    assert bars(root) == [("2026-03", "4.5"), ("2026-04", "2")]
    parts = [
        (p.get("data-series"), p.get("data-value"))
        for p in root.iter(f"{SVG}rect")
        if p.get("class") == "part"
    ]
    assert parts == [("志愿服务", "3.5"), ("劳育", "1"), ("劳育", "2")]
    assert chart.headers == ["月份", "志愿服务", "劳育", "合计"]
    assert chart.rows == [["2026-03", "3.5", "1", "4.5"], ["2026-04", "0", "2", "2"]]
