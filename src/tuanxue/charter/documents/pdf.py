"""The self-assessment report as a PDF (reportlab with an embedded subset of the Chinese font from
``core.pdffonts``, so no system font is needed and the text layer stays searchable)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tuanxue.charter.documents.figure import FIGURE_AFTER, figure_drawing
from tuanxue.charter.documents.outline import TABLE_HEADER, Outline
from tuanxue.core.documents.fonts import cjk_font

COLUMN_CM = [1.2, 1.2, 4.4, 3.0, 2.4, 1.8, 3.0]
STATUS_COLOURS = {"pass": "#067647", "fail": "#b42318", "not_evidenced": "#667085"}


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=cjk_font(), fontSize=11.5, leading=19, wordWrap="CJK", firstLineIndent=23
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER, firstLineIndent=0
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=10,
            alignment=TA_CENTER,
            firstLineIndent=0,
            textColor=colors.HexColor("#444444"),
            spaceAfter=10,
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontSize=14, leading=22, firstLineIndent=0, spaceBefore=10
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=12.5, leading=20, firstLineIndent=23, spaceBefore=6
        ),
        "body": base,
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontSize=9.5,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceBefore=4,
            spaceAfter=6,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11.5, firstLineIndent=0),
        "head": ParagraphStyle(
            "head", parent=base, fontSize=9, leading=12, firstLineIndent=0, alignment=TA_CENTER
        ),
    }


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(cjk_font(), 9)
    canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"— {doc.page} —")
    canvas.restoreState()


def build_pdf(outline: Outline) -> bytes:
    styles = _styles()
    story = [
        Paragraph(escape(outline.title), styles["title"]),
        Paragraph(escape(outline.subtitle), styles["subtitle"]),
    ]
    for section in outline.sections:
        if section.heading and section.level:
            style = styles["h1"] if section.level == 1 else styles["h2"]
            story.append(Paragraph(escape(section.heading), style))
        for text in [*section.paragraphs, *section.narrative]:
            story.append(Paragraph(escape(text), styles["body"]))
        if outline.figure and section.key == FIGURE_AFTER:
            story += [
                Spacer(1, 6),
                figure_drawing(outline.figure, cjk_font(), 16.5 * cm),
                Paragraph(escape(outline.figure.title), styles["caption"]),
            ]

    story += [Spacer(1, 8), Paragraph(escape(outline.table_title), styles["h1"]), Spacer(1, 4)]
    data = [[Paragraph(escape(h), styles["head"]) for h in TABLE_HEADER]]
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), cjk_font()),  # a table draws in Helvetica unless told
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
    ]
    for row in outline.table:
        cells = [escape(text) for text in row.cells()]
        colour = STATUS_COLOURS.get(row.status_key)
        if colour is not None:
            cells[5] = f'<font color="{colour}">{cells[5]}</font>'
        data.append([Paragraph(text, styles["cell"]) for text in cells])
    table = Table(data, colWidths=[w * cm for w in COLUMN_CM], repeatRows=1)
    table.setStyle(TableStyle(commands))
    story.append(table)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2.2 * cm,
        bottomMargin=2.2 * cm,
        title=outline.title,
        author=outline.title.removesuffix("学生会深化改革自评报告"),
        initialFontName=cjk_font(),
    )
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()
