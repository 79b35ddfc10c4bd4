"""The self-assessment report as a Word document (python-docx)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from tuanxue.charter.documents.figure import FIGURE_AFTER, figure_png
from tuanxue.charter.documents.outline import TABLE_HEADER, Outline

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
LATIN_FONT = "Times New Roman"
# Column widths of the self-assessment table, in centimetres (A4 portrait, 2 cm margins).
COLUMN_CM = [1.2, 1.2, 4.4, 3.0, 2.4, 1.8, 3.0]


def _fonts(style_or_run, east_asian: str, size: float | None = None, bold: bool | None = None):
    font = style_or_run.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2.5)
    styles = document.styles
    _fonts(styles["Normal"], BODY_FONT, 12)
    styles["Normal"].paragraph_format.line_spacing = 1.5
    _fonts(styles["Title"], HEADING_FONT, 20, True)
    _fonts(styles["Heading 1"], HEADING_FONT, 15, True)
    _fonts(styles["Heading 2"], SUBHEADING_FONT, 13, True)


def _body(document, text: str) -> None:
    paragraph = document.add_paragraph(text)
    paragraph.paragraph_format.first_line_indent = Pt(24)


def build_docx(outline: Outline) -> bytes:
    document = Document()
    _setup(document)
    document.core_properties.title = outline.title
    title = document.add_heading(outline.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(outline.subtitle)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for section in outline.sections:
        if section.heading and section.level:
            document.add_heading(section.heading, level=section.level)
        for text in section.paragraphs:
            _body(document, text)
        for text in section.narrative:
            _body(document, text)
        if outline.figure and section.key == FIGURE_AFTER:
            document.add_picture(io.BytesIO(figure_png(outline.figure)), width=Cm(16))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = document.add_paragraph(outline.figure.title)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading(outline.table_title, level=1)
    table = document.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        _fonts(run, HEADING_FONT, 10, True)
    for row in outline.table:
        cells = table.add_row().cells
        for cell, text in zip(cells, row.cells(), strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            _fonts(run, BODY_FONT, 9)
    for row in table.rows:
        for cell, width in zip(row.cells, COLUMN_CM, strict=True):
            cell.width = Cm(width)
            cell.paragraphs[0].paragraph_format.line_spacing = 1.15

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
