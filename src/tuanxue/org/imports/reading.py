"""Reading an uploaded file into a ``Table``: type and size checks, xlsx and CSV, encodings."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Collection

from django.conf import settings
from django.utils.translation import gettext as _

from tuanxue.org.imports.common import (
    ImportRefused,
    Progress,
    RowError,
    Table,
    normalise_header,
)
from tuanxue.org.imports.limits import (
    max_rows,
    not_xlsx,
    too_many_cells,
    too_many_rows,
    xlsx_limits,
)

EXTENSIONS = (".xlsx", ".csv")
ZIP_MAGIC = b"PK\x03\x04"
MB = 1024 * 1024
# Progress is reported every this many rows when the sheet does not say how many it has.
UNKNOWN_STEP = 5000


def extension(filename: str) -> str:
    return os.path.splitext(filename or "")[1].lower()


def check_file(filename: str, size: int) -> None:
    """Refuse a file by its name and size alone, before reading a byte of it."""
    if extension(filename) not in EXTENSIONS:
        raise ImportRefused(
            [
                RowError(
                    None,
                    _("Only .xlsx and .csv files can be imported, not %(name)s")
                    % {"name": filename or "?"},
                )
            ]
        )
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(
            [
                RowError(
                    None,
                    _("The file is %(size)s MB; files up to %(limit)s MB can be imported")
                    % {"size": f"{size / MB:.1f}", "limit": f"{limit / MB:g}"},
                )
            ]
        )
    if size == 0:
        raise ImportRefused([RowError(None, _("The file is empty"))])


def read_table(
    filename: str,
    data: bytes,
    progress: Progress | None = None,
    columns: Collection[str] | None = None,
) -> Table:
    """The first sheet (xlsx) or the rows (CSV) of a file. Raises ImportRefused.

    With ``columns`` (the header names an import knows), other columns are dropped as the rows
    are read, so a sheet's unrelated columns cost no memory.
    """
    check_file(filename, len(data))
    kept = KeptValues(columns)
    if extension(filename) == ".xlsx":
        rows = _xlsx_rows(data, progress, kept)
    else:
        rows = _csv_rows(data, progress, kept)
    return _table(rows)


def _table(rows: list[tuple[int, tuple]]) -> Table:
    rows = [(number, row) for number, row in rows if _has_content(row)]
    if not rows:
        raise ImportRefused([RowError(None, _("The file is empty"))])
    header_row, header = rows[0]
    if len(rows) == 1:
        raise ImportRefused(
            [RowError(None, _("The file has a header row but no data rows under it"))]
        )
    return Table(
        headers=[normalise_header(h) for h in header], header_row=header_row, rows=rows[1:]
    )


class KeptValues:
    """What is kept of each row read: the known columns only, each repeated value once.

    The first row given is the header: when the import names its ``known`` columns, only those
    positions are kept (all of them if the header names none, so the missing ones can be named).
    A roster's cells are mostly repeats (college, class, 政治面貌…); holding each once keeps a
    100,000-row sheet in a fraction of the memory. A column stops being shared once it has shown
    many distinct values (学号, 姓名).
    """

    DISTINCT = 2000

    def __init__(self, known: Collection[str] | None = None):
        self.known = set(known) if known else None
        self.keep: list[int] | None = None
        self.columns: list[dict | None] = []

    def row(self, values) -> tuple:
        if self.keep is None:
            positions = range(len(values))
            if self.known is not None:
                wanted = [i for i in positions if normalise_header(values[i]) in self.known]
                self.keep = wanted or list(positions)
            else:
                self.keep = []  # everything
        if self.keep:
            size = len(values)
            values = [values[i] if i < size else None for i in self.keep]
        columns = self.columns
        if len(columns) < len(values):
            columns.extend({} for _ in range(len(values) - len(columns)))
        out = []
        for position, value in enumerate(values):
            seen = columns[position]
            if seen is not None and isinstance(value, str):
                kept = seen.get(value)
                if kept is None:
                    if len(seen) >= self.DISTINCT:
                        columns[position] = None
                    else:
                        seen[value] = value
                    kept = value
                value = kept
            out.append(value)
        return tuple(out)


def _has_content(row: tuple) -> bool:
    for value in row:
        if value is None:
            continue
        if isinstance(value, str) and not value.strip():
            continue
        return True
    return False


def _xlsx_rows(data: bytes, progress: Progress | None, kept: KeptValues) -> list[tuple[int, tuple]]:
    """Every row of the active sheet, numbered as Excel numbers them.

    The package is inspected first (``xlsx_limits``): its unpacked size, and the sheet's rows and
    columns counted while streaming its XML, so an oversized sheet is refused before python-calamine
    builds it in memory.
    """
    from python_calamine import CalamineWorkbook

    if not data.startswith(ZIP_MAGIC):
        raise not_xlsx()
    shape = xlsx_limits(data, progress)
    # From a file rather than from memory: the reader then holds no second copy of the upload.
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as spool:
        spool.write(data)
        spool.flush()
        try:
            workbook = CalamineWorkbook.from_path(spool.name)
        except Exception as exc:  # calamine raises several types for a damaged file
            raise not_xlsx() from exc
        return _sheet_rows(workbook, shape, progress, kept)


def _sheet_rows(workbook, shape, progress: Progress | None, kept: KeptValues):
    try:
        if not workbook.sheet_names:
            return []
        index = shape.sheet_index if shape.sheet_index < len(workbook.sheet_names) else 0
        sheet = workbook.get_sheet_by_index(index)
        start = sheet.start
        if start is None:
            return []
        total = start[0] + sheet.height
        step = max(total // 100, 1)
        rows = []
        yielded = 0
        for offset, values in enumerate(sheet.iter_rows()):
            yielded += 1
            if _has_content(values):
                rows.append((offset + 1, kept.row(values)))
            if progress is not None and offset % step == 0:
                progress("read", offset, total)
        if yielded == sheet.height and start[0]:
            # A reader that starts at the first used row rather than at row 1: renumber.
            rows = [(number + start[0], values) for number, values in rows]
        if progress is not None:
            progress("read", len(rows), len(rows))
        return rows
    except ImportRefused:
        raise
    except Exception as exc:
        raise not_xlsx() from exc
    finally:
        workbook.close()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes strictly, else GBK (as GB18030)."""
    if data.startswith(ZIP_MAGIC) or b"\x00" in data[:4096]:
        raise ImportRefused(
            [
                RowError(
                    None,
                    _(
                        "The file is not CSV text; an Excel workbook must be named .xlsx, "
                        "or saved as CSV"
                    ),
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            [RowError(None, _("The CSV file is neither UTF-8 nor GBK text"))]
        ) from exc


def _csv_rows(data: bytes, progress: Progress | None, kept: KeptValues) -> list[tuple[int, tuple]]:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    total = text.count("\n") + 1
    step = max(total // 100, 1)
    rows = []
    limit_rows = max_rows() + 1  # the header row too
    limit_cells = settings.IMPORT_MAX_CELLS
    cells = 0
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            if not _has_content(values):
                continue
            rows.append((number, kept.row(values)))
            cells += len(values)
            if len(rows) > limit_rows:
                raise too_many_rows()
            if cells > limit_cells:
                raise too_many_cells(number, max(len(v) for _n, v in rows))
            if progress is not None and number % step == 0:
                progress("read", number, max(total, number))
    except csv.Error as exc:
        raise ImportRefused(
            [
                RowError(
                    number + 1,
                    _("Row %(row)s: the CSV cannot be read: %(reason)s")
                    % {"row": number + 1, "reason": str(exc)},
                )
            ]
        ) from exc
    if progress is not None:
        progress("read", len(rows), len(rows))
    return rows
