"""Icons are inline SVG: no template relies on an emoji or symbol font."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from django.template import Context, Template
from django.utils import translation

import tuanxue

# Emoji, dingbats, geometric shapes and miscellaneous symbols: drawn only where the viewer's
# machine has a font for them (arrows and CJK punctuation are in every CJK font).
SYMBOLS = re.compile("[\u2500-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f]")


def test_no_template_uses_symbol_characters_as_icons():
    root = Path(tuanxue.__file__).parent
    found = []
    for path in root.rglob("templates/**/*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SYMBOLS.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()[:80]}")
    assert found == []


def test_icon_tag_draws_svg_with_a_label():
    html = Template('{% load icons %}{% icon "pin" "地点" %}').render(Context())
    assert html.startswith("<svg")
    assert 'aria-label="地点"' in html
    decorative = Template('{% load icons %}{% icon "menu" %}').render(Context())
    assert 'aria-hidden="true"' in decorative


def test_the_rating_form_names_scores_in_words():
    from tuanxue.activities.forms import RatingForm

    with translation.override("zh-hans"):
        html = str(RatingForm()["score"])
    assert not SYMBOLS.search(html)
    assert "5 星" in html and "1 星" in html


def test_documents_use_no_symbol_beyond_the_checklist_marks(kit):
    """Word files draw every character in the reader's fonts: only the checklist's own marks
    (★ core, ▲ observed, which every Chinese font has) may appear; the PDFs embed their font and
    their tests check it has every glyph."""
    from tests.builders.charter import DAY, build_school
    from tuanxue.charter.assessment import assess
    from tuanxue.charter.documents import build as documents

    school = build_school(kit)
    word = docx.Document(io.BytesIO(documents.docx_bytes(assess(school.school, DAY))))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for row in t.rows for c in row.cells
    )
    assert {c for c in text if SYMBOLS.match(c)} <= {"★", "▲"}
