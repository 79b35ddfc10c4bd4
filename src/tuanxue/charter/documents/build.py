"""The self-assessment documents: the report as Word and PDF, the table as Excel.

Each writer lays out the same outline (``documents_outline``), built from one ``Report``: the
figures come from data, the narrative from that year's ``Assessment``. The document is Chinese
whatever the reader's language, so the outline is built with Chinese active.
"""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from tuanxue.charter.documents.excel import build_xlsx
from tuanxue.charter.documents.outline import Outline, build_outline
from tuanxue.charter.documents.pdf import build_pdf
from tuanxue.charter.documents.word import build_docx
from tuanxue.charter.verdicts import Report

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def outline_of(report: Report) -> Outline:
    with translation.override("zh-hans"):
        return build_outline(report)


def docx_bytes(report: Report) -> bytes:
    return build_docx(outline_of(report))


def pdf_bytes(report: Report) -> bytes:
    return build_pdf(outline_of(report))


def xlsx_bytes(report: Report) -> bytes:
    return build_xlsx(outline_of(report))


def filename(report: Report, kind: str) -> str:
    base = "自评表" if kind == "xlsx" else "自评报告"
    return f"{report.school.name}学生会深化改革{base}-{report.day.isoformat()}.{kind}"


def write_docx(report: Report, path) -> Path:
    path = Path(path)
    path.write_bytes(docx_bytes(report))
    return path


def write_pdf(report: Report, path) -> Path:
    path = Path(path)
    path.write_bytes(pdf_bytes(report))
    return path
