"""The compliance page and the self-assessment documents show each union's rules as a chart."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.chartcheck import SVG, bars, figures, svg_title
from tests.charter.test_documents import DAY, build_school
from tuanxue.charter.assessment import build_context
from tuanxue.charter.compliance import union_rules


@pytest.fixture
def school(kit):
    return build_school(kit)


def test_compliance_page_charts_actual_against_limit(client, school):
    client.force_login(school.user(student=True))
    url = reverse("charter:compliance", args=[school.school.code])
    html = client.get(url, {"date": DAY.isoformat()}).content.decode()
    ctx = build_context(school.school, DAY)
    charts = figures(html)
    assert len(charts) == len(ctx.structures)
    for (svg, rows), structure in zip(charts, ctx.structures, strict=True):
        expected = [r for r in union_rules(structure, ctx.rules) if isinstance(r.actual, int)]
        assert structure.union.name in svg_title(svg)
        assert bars(svg) == [(r.rule, str(r.actual)) for r in expected]
        assert [row[:3] for row in rows] == [[r.rule, str(r.actual), r.limit] for r in expected]
        fills = [
            g.find(f"{SVG}rect").get("fill") for g in svg.iter(f"{SVG}g") if g.get("class") == "bar"
        ]
        assert fills == ["#15803d" if r.ok else "#b42318" for r in expected]
