"""Icons are inline SVG: no template relies on an emoji or symbol font."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template

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
