"""Reads the charts a page or a module drew: the SVG as XML, and the table of values beside it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def svg_title(root: ET.Element) -> str:
    return root.find(f"{SVG}title").text


def bars(root: ET.Element) -> list[tuple[str, str]]:
    """(label, value) of every bar or column, in drawing order."""
    return [
        (g.get("data-label"), g.get("data-value"))
        for g in root.iter(f"{SVG}g")
        if g.get("class") in ("bar", "column")
    ]


def figures(html: str) -> list[tuple[ET.Element, list[list[str]]]]:
    """Every chart figure on a page: its parsed SVG and its table's rows as text cells."""
    out = []
    for block in re.findall(r'<figure class="chart-figure">(.*?)</figure>', html, re.S):
        svg = re.search(r"<svg.*?</svg>", block, re.S).group(0)
        body = re.search(r"<tbody>(.*?)</tbody>", block, re.S).group(1)
        rows = [
            [
                unescape(re.sub(r"<[^>]+>", "", c)).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
            ]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        ]
        out.append((parse_svg(svg), rows))
    return out
