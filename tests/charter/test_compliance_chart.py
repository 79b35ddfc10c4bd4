"""The compliance page and the self-assessment documents show each union's rules as a chart."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from tests.builders.charter import DAY, build_school
from tests.chartcheck import SVG, bars, figures, svg_title
from tests.pdfcheck import assert_fonts_embedded
from tuanxue.charter.assessment import assess, build_context
from tuanxue.charter.compliance import union_rules
from tuanxue.charter.documents import build as documents


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


def test_self_assessment_word_and_pdf_carry_the_compliance_figure(school, tmp_path):
    report = assess(school.school, DAY)
    outline = documents.outline_of(report)
    figure = outline.figure
    (union,) = [s for s in report.context.structures if s.union.is_school_level]
    expected = [r for r in union_rules(union, report.context.rules) if isinstance(r.actual, int)]
    assert [(b.label, b.value) for b in figure.bars] == [(r.rule, r.actual) for r in expected]
    assert union.union.name in figure.title

    word = docx.Document(io.BytesIO(documents.docx_bytes(report)))
    (picture,) = word.inline_shapes
    blob = word.part.related_parts[picture._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    image = Image.open(io.BytesIO(blob)).convert("RGB")
    colours = {
        image.getpixel((x, y)) for x in range(image.width) for y in range(0, image.height, 4)
    }
    assert (0x15, 0x80, 0x3D) in colours  # a rule that holds
    texts = [p.text for p in word.paragraphs]
    caption = texts.index(figure.title)
    assert texts.index("（三）坚持精简原则") < caption  # after the section on staff numbers

    pdf = documents.pdf_bytes(report)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())
    assert "".join(figure.title.split()) in flat
    assert all(b.label[:10] in flat for b in figure.bars)
    assert_fonts_embedded(pdf)
