"""The minutes as a PDF (the embedded Chinese font of ``core.pdffonts``, no system font needed)
and as a Word file (python-docx), both from ``minutes.minutes``."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tuanxue.congress.minutes.services import Minutes
from tuanxue.core.documents.fonts import cjk_font


def _sections(m: Minutes) -> list[tuple[str, list[str]]]:
    """Headings with their lines, after the facts table: the agenda items, the presidium and
    the narrative."""
    out = []
    for item in m.items:
        head = _("Item %(n)s: %(title)s (%(kind)s) — %(outcome)s") % {
            "n": item.number,
            "title": item.title,
            "kind": item.kind_label,
            "outcome": item.outcome_label,
        }
        out.append((head, item.lines))
    out.append((_("The elected presidium"), [m.presidium_names or _("No presidium was elected.")]))
    if m.narrative:
        out.append((_("Proceedings"), m.narrative.splitlines()))
    return out


def minutes_pdf(m: Minutes) -> bytes:
    font = cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=17, leading=26, alignment=TA_CENTER)
    head = ParagraphStyle("head", parent=body, fontSize=12.5, leading=20, spaceBefore=8)
    story = [Paragraph(escape(m.title), title), Spacer(1, 0.4 * cm)]
    table = Table(
        [[Paragraph(escape(k), body), Paragraph(escape(v), body)] for k, v in m.facts],
        colWidths=[4 * cm, 12 * cm],
    )
    table.setStyle(
        TableStyle(
            [("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, "#888888")]
        )
    )
    story.append(table)
    for heading, lines in _sections(m):
        story.append(Paragraph(escape(heading), head))
        story.extend(Paragraph(escape(line), body) for line in lines if line.strip())
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=m.title,
        initialFontName=font,
    )
    doc.build(story)
    return buffer.getvalue()


def minutes_docx(m: Minutes) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    doc.add_heading(m.title, level=0)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in m.facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value
    for heading, lines in _sections(m):
        doc.add_heading(heading, level=2)
        for line in lines:
            if line.strip():
                doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
