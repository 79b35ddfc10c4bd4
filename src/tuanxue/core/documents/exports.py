"""Cells for every exported file (CSV and XLSX): a value that a spreadsheet would read as a
formula is written as text.

Spreadsheet programs treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a leading tab or carriage return) as a formula: a student named ``=HYPERLINK(...)`` would become
a live link in whoever opens the export. Every export writes its cells through this module.

- CSV has no types, so such a text gets a leading apostrophe (``'``), which spreadsheet programs
  take as "this is text" (OWASP's advice for CSV injection).
- XLSX has types: such a text is stored as a string cell (``data_type`` ``"s"``) with the
  quote-prefix style, never as a formula. Its value stays exactly as entered.

Numbers, dates and booleans are left alone: only text can smuggle a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    """Whether a spreadsheet could take this value for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """The value to write in a CSV cell: risky text gets a leading apostrophe."""
    return "'" + value if is_risky(value) else value


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through ``csv_cell``."""

    def __init__(self, out, **kwargs):
        kwargs.setdefault("lineterminator", "\n")
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(out, **kwargs)


def xlsx_cell(cell, value: Any):
    """Put ``value`` in an openpyxl cell; risky text is stored as text, not as a formula."""
    cell.value = value
    if is_risky(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def xlsx_append(sheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` with every cell through ``xlsx_cell``."""
    sheet.append([xlsx_cell(Cell(sheet), value) for value in values])
