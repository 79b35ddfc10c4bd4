"""The figure in the self-assessment's Word and PDF files: the school union's rules, actual
against the charter's limit (the same bars as the compliance page's chart).

The PDF draws it with reportlab's vector graphics in the embedded font; Word gets a PNG drawn with
Pillow (already installed with reportlab; it needs no system library) in the same font file, so no
SVG converter and no plotting library is needed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from tuanxue.charter.compliance import union_rules
from tuanxue.charter.documents.charts import compliance_bars
from tuanxue.core.documents.charts import BROKEN, OK, TEXT, Bar

# The figure sits after this section of the report (精简规模: staff numbers and limits).
FIGURE_AFTER = "streamlining"


@dataclass
class Figure:
    title: str
    bars: list[Bar]


def compliance_figure(report) -> Figure | None:
    """The school-level union's countable rules on the report's day, from the report's context."""
    ctx = report.context
    if report.charter is None:
        return None
    structures = [s for s in ctx.structures if s.union.is_school_level] or ctx.structures
    if not structures:
        return None
    s = structures[0]
    bars = compliance_bars(union_rules(s, ctx.rules))
    if not bars:
        return None
    return Figure(f"图1  {s.union.name}各项规模指标与章程限额对照（虚线为限额）", bars)


def _scale(figure: Figure) -> float:
    return max([b.value for b in figure.bars] + [b.high or 0 for b in figure.bars] + [1]) * 1.1


def _label(text: str) -> str:
    return text if len(text) <= 16 else text[:15] + "…"


def figure_drawing(figure: Figure, font: str, width: float):
    """A reportlab Drawing (a flowable) of the bars, `width` points wide."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    row, label_w = 16, width * 0.38
    bar_w = width - label_w - 30
    height = row * len(figure.bars) + 8
    drawing = Drawing(width, height, initialFontName=font, initialFontSize=8)
    scale = bar_w / _scale(figure)
    for i, b in enumerate(figure.bars):
        y = height - (i + 1) * row
        drawing.add(
            String(
                label_w - 4,
                y + 4,
                _label(b.label),
                fontName=font,
                fontSize=8,
                textAnchor="end",
                fillColor=colors.HexColor(TEXT),
            )
        )
        colour = colors.HexColor(OK if b.ok else BROKEN)
        drawing.add(
            Rect(
                label_w,
                y + 2,
                max(b.value * scale, 0.5),
                row - 5,
                fillColor=colour,
                strokeColor=None,
            )
        )
        drawing.add(
            String(
                label_w + b.value * scale + 3,
                y + 4,
                f"{b.value}",
                fontName=font,
                fontSize=8,
                fillColor=colors.HexColor(TEXT),
            )
        )
        for limit in (b.low, b.high):
            if limit is not None:
                x = label_w + limit * scale
                drawing.add(
                    Line(
                        x,
                        y,
                        x,
                        y + row - 1,
                        strokeColor=colors.HexColor(TEXT),
                        strokeWidth=1.2,
                        strokeDashArray=[2, 1.5],
                    )
                )
    return drawing


def figure_png(figure: Figure, *, scale: int = 2) -> bytes:
    """The bars as a PNG for Word, drawn with Pillow in the PDFs' font file."""
    from PIL import Image, ImageDraw, ImageFont

    from tuanxue.core.documents.fonts import ensure_font_file

    font = ImageFont.truetype(str(ensure_font_file()), 13 * scale)
    row, label_w, bar_w = 26 * scale, 230 * scale, 380 * scale
    width, height = label_w + bar_w + 50 * scale, row * len(figure.bars) + 10 * scale
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    unit = bar_w / _scale(figure)
    for i, b in enumerate(figure.bars):
        y = 5 * scale + i * row
        draw.text(
            (label_w - 8 * scale, y + row / 2), _label(b.label), font=font, fill=TEXT, anchor="rm"
        )
        draw.rectangle(
            [label_w, y + 4 * scale, label_w + max(b.value * unit, 1), y + row - 4 * scale],
            fill=OK if b.ok else BROKEN,
        )
        draw.text(
            (label_w + b.value * unit + 5 * scale, y + row / 2),
            f"{b.value}",
            font=font,
            fill=TEXT,
            anchor="lm",
        )
        for limit in (b.low, b.high):
            if limit is not None:
                x = label_w + limit * unit
                for top in range(int(y), int(y + row), 6 * scale):
                    draw.line([x, top, x, top + 3 * scale], fill=TEXT, width=2 * scale)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
