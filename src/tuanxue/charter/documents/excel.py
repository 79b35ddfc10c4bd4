"""The self-assessment table as an Excel workbook (openpyxl)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from tuanxue.charter.documents.outline import TABLE_HEADER, Outline
from tuanxue.core.documents.exports import xlsx_append

COLUMN_WIDTHS = [6, 6, 48, 30, 26, 10, 40]
STATUS_FILLS = {"pass": "DCFAE6", "fail": "FEE4E2", "not_evidenced": "F2F4F7"}


def build_xlsx(outline: Outline) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "改革自评表"
    xlsx_append(sheet, [outline.title.replace("自评报告", "自评表")])
    xlsx_append(sheet, [outline.subtitle])
    sheet["A1"].font = Font(bold=True, size=14)
    xlsx_append(sheet, TABLE_HEADER)
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
    for row in outline.table:
        xlsx_append(sheet, row.cells())
        status = sheet.cell(row=sheet.max_row, column=6)
        status.fill = PatternFill("solid", fgColor=STATUS_FILLS.get(row.status_key, "FFFFFF"))
    for number, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[chr(ord("A") + number - 1)].width = width
    for cells in sheet.iter_rows(min_row=header):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    verdict = "自评通过" if outline.passed else "自评未通过"
    sheet.append([])
    xlsx_append(sheet, [f"结论：{verdict}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
