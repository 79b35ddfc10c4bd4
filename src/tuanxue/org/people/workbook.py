"""The workbook of initial passwords handed to class secretaries: one sheet per class (staff: per
department). Every cell is written as text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


def sheet_title(name: str, used: set[str]) -> str:
    base = SHEET_NAME_BAD.sub("_", name).strip("'") or "-"
    base = base[:SHEET_NAME_MAX]
    title, n = base, 2
    while title.lower() in used:
        suffix = f"({n})"
        title = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def text_row(sheet, row: int, values: Iterable[str], *, bold: bool = False) -> None:
    """Write values as text, so a value starting with = + - @ is never taken as a formula."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        cell.value = str(value)
        cell.data_type = TYPE_STRING
        if bold:
            cell.font = Font(bold=True)


def logins_workbook(groups: dict[str, list[list[str]]], headers: list[str], note: str) -> bytes:
    """``groups`` maps a sheet (class or department) to its rows, in order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for name, rows in groups.items():
        sheet = workbook.create_sheet(sheet_title(name, used))
        text_row(sheet, 1, [name, note])
        text_row(sheet, 2, headers, bold=True)
        for offset, values in enumerate(rows, start=3):
            text_row(sheet, offset, values)
        for letter, width in zip("ABCDE", (16, 12, 18, 16, 14), strict=False):
            sheet.column_dimensions[letter].width = width
    if not workbook.worksheets:
        workbook.create_sheet("-")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
