"""Reading an uploaded file into a ``Table``: type and size checks, xlsx and CSV, encodings."""

from __future__ import annotations

import codecs
import csv
import gc
import os
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from itertools import repeat
from operator import itemgetter

from django.conf import settings
from django.utils.translation import gettext as _

from tuanxue.org.imports.common import (
    ImportRefused,
    Progress,
    RowError,
    Table,
    normalise_header,
)
from tuanxue.org.imports.files.limits import (
    max_rows,
    not_xlsx,
    too_many_cells,
    too_many_rows,
    xlsx_limits,
)
from tuanxue.org.imports.files.pieces import sheet_pieces
from tuanxue.org.imports.files.source import Source, on_disk, size_of

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
    data: Source,
    progress: Progress | None = None,
    columns: Collection[str] | None = None,
) -> Table:
    """The first sheet (xlsx) or the rows (CSV) of a file. Raises ImportRefused.

    ``data`` is the file's bytes, its path or a file object (an upload): a path or an upload
    Django spooled to disk is read from there, anything else is written to a temporary file
    first, so no second copy of a large file is held in memory. With ``columns`` (the header
    names an import knows), other columns are dropped as the rows are read, so a sheet's
    unrelated columns cost no memory.
    """
    check_file(filename, size_of(data))
    kept = KeptValues(columns)
    with on_disk(data, suffix=extension(filename)) as path:
        if extension(filename) == ".xlsx":
            rows = _xlsx_rows(path, progress, kept)
        else:
            rows = _csv_rows(path, progress, kept)
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
    A roster's cells are mostly repeats (college, class, 政治面貌, 年级…); holding each text or
    number once keeps a 100,000-row sheet in a fraction of the memory. A column stops being
    shared once it has shown many distinct values (学号, 姓名).
    """

    DISTINCT = 2000

    def __init__(self, known: Collection[str] | None = None):
        self.known = set(known) if known else None
        self.keep: list[int] | None = None
        # Per kept column: value -> the one copy kept, or None once the column stopped repeating.
        self.seen: list[dict | None] = []

    def _start(self, header) -> None:
        positions = range(len(header))
        self.keep = []  # everything
        if self.known is not None:
            wanted = [i for i in positions if normalise_header(header[i]) in self.known]
            self.keep = wanted or list(positions)

    def _seen(self, index: int) -> dict | None:
        while len(self.seen) <= index:
            self.seen.append({})
        return self.seen[index]

    def row(self, values) -> tuple:
        """One row (the header first)."""
        if self.keep is None:
            self._start(values)
        if self.keep:
            size = len(values)
            values = [values[i] if i < size else None for i in self.keep]
        out = list(values)
        for index, value in enumerate(out):
            seen = self._seen(index)
            if seen is not None and value.__class__ is str:
                out[index] = seen.setdefault(value, value)
                if len(seen) >= self.DISTINCT:
                    self.seen[index] = None
        return tuple(out)

    def rows(self, number: int, column: int, values: list[list]) -> list[tuple[int, tuple]]:
        """A block of rows as wide as each other, the first numbered ``number`` and starting at
        position ``column``: those with content, each with its number. Column by column."""
        out = []
        skipped = 0
        while self.keep is None and skipped < len(values):
            row = [""] * column + values[skipped]
            if _has_content(row):
                out.append((number + skipped, self.row(row)))
            skipped += 1
        values = values[skipped:] if skipped else values
        if not values:
            return out
        width = len(values[0])
        positions = self.keep or range(column + width)
        columns = []
        for index, position in enumerate(positions):
            at = position - column
            if 0 <= at < width:
                cells = list(map(itemgetter(at), values))
                columns.append(self._share(index, cells))
            else:
                columns.append(repeat(""))
        first = number + skipped
        out.extend(
            (first + offset, row)
            for offset, row in enumerate(zip(*columns, strict=False))
            if _has_content(row)
        )
        return out

    def _share(self, index: int, cells: list) -> list:
        seen = self._seen(index)
        # True == 1.0: a column holding booleans is not shared, so they stay booleans.
        if seen is None or bool in set(map(type, cells)):
            return cells
        cells = list(map(seen.setdefault, cells, cells))
        if len(seen) >= self.DISTINCT:
            self.seen[index] = None
        return cells


def _has_content(row: tuple) -> bool:
    for value in row:
        if value is None:
            continue
        if isinstance(value, str) and not value.strip():
            continue
        return True
    return False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while pieces are read. A piece's rows are created all at
    once (thousands of lists), which sets off collections that each walk every object the
    process holds, the rows read so far included; rows, lists, strings and numbers form no
    cycles, so reference counting frees all of it anyway."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _xlsx_rows(path: str, progress: Progress | None, kept: KeptValues) -> list[tuple[int, tuple]]:
    """Every row of the active sheet, numbered as Excel numbers them.

    The package is inspected first (``xlsx_limits``): its unpacked size, and the sheet's rows and
    columns counted while streaming its XML, so an oversized sheet is refused before anything
    is built in memory. python-calamine then reads the sheet a piece at a time
    (``pieces.sheet_pieces``), and only the columns the import knows are kept of each row.
    """
    with open(path, "rb") as handle:
        if handle.read(len(ZIP_MAGIC)) != ZIP_MAGIC:
            raise not_xlsx()
    shape = xlsx_limits(path, progress)
    if shape.sheet_part is None:
        return _whole_sheet_rows(path, shape, progress, kept)
    total = max(shape.last_row, 1)
    rows = []
    try:
        with _collector_paused():
            for number, column, values in sheet_pieces(path, shape):
                rows.extend(kept.rows(number, column, values))
                del values
                if progress is not None:
                    progress("read", min(number, total), total)
    except ImportRefused:
        raise
    except Exception as exc:  # calamine and zipfile raise several types for a damaged file
        raise not_xlsx() from exc
    if progress is not None:
        progress("read", len(rows), len(rows))
    return rows


def _whole_sheet_rows(path: str, shape, progress: Progress | None, kept: KeptValues):
    """A workbook whose sheet part could not be located: python-calamine reads it whole."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(path)
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
    _refuse_binary(data[:4096])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise not_text() from exc


def _refuse_binary(head: bytes) -> None:
    if head.startswith(ZIP_MAGIC) or b"\x00" in head:
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


def not_text() -> ImportRefused:
    return ImportRefused([RowError(None, _("The CSV file is neither UTF-8 nor GBK text"))])


def text_encoding(path: str) -> tuple[str, int]:
    """The file's encoding (UTF-8, else GBK as GB18030) and its number of lines, found by
    decoding it once in chunks, without holding it."""
    with open(path, "rb") as handle:
        _refuse_binary(handle.read(4096))
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 1
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(MB):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise not_text()


def _csv_rows(path: str, progress: Progress | None, kept: KeptValues) -> list[tuple[int, tuple]]:
    encoding, total = text_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        first_line = handle.readline()
        handle.seek(0)
        delimiter = max(",\t;", key=first_line.count)
        return _csv_read(csv.reader(handle, delimiter=delimiter), total, progress, kept)


def _csv_read(reader, total: int, progress: Progress | None, kept: KeptValues):
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
