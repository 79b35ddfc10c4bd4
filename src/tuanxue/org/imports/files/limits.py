"""Limits on what an import may read: rows, cells and (for xlsx) the unpacked size.

An .xlsx file is a zip of XML parts. Before python-calamine reads it (it builds the whole sheet in
memory, one slot per cell between the first and the last), ``xlsx_limits`` streams every part once
through ``zipfile``:

- the declared unpacked size of all parts must stay under ``IMPORT_MAX_UNPACKED_BYTES``, and each
  part must unpack to exactly its declared size (``zipfile`` stops at the declared size and checks
  the CRC), so a zip bomb is refused after reading at most that many bytes;
- the active sheet's rows are counted while its XML streams past, and reading stops as soon as
  there are more than ``IMPORT_MAX_ROWS`` data rows, or the sheet's extent (last row × widest
  column) passes ``IMPORT_MAX_CELLS``.

Each refusal names the limit and the setting that raises it. Nothing is written when a file is
refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from tuanxue.org.imports.common import ImportRefused, Progress, RowError

MB = 1024 * 1024
CHUNK = 1024 * 1024
# The small parts that say which sheet is active and where it is stored.
SMALL_PART = 4 * MB

# The sheet's XML element prefix ("" or "x:"), found once so that the patterns below start with a
# literal the regular expression engine can search for quickly.
SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b")


@dataclass
class RowPatterns:
    row_start: bytes
    opened: re.Pattern
    empty: re.Pattern
    numbered: re.Pattern
    cell_column: re.Pattern

    @classmethod
    def for_prefix(cls, prefix: bytes) -> RowPatterns:
        p = re.escape(prefix)
        return cls(
            row_start=b"<" + prefix + b"row ",
            opened=re.compile(rb"<" + p + rb"row[\s>]"),
            empty=re.compile(rb"<" + p + rb"row\s[^>]*/>"),
            numbered=re.compile(rb"<" + p + rb'row\s[^>]*?\br="(\d+)"'),
            # The column letters of a cell reference, as writers put it: <c r="AB12" …>.
            cell_column=re.compile(rb"<" + p + rb'c r="([A-Z]{1,3})\d'),
        )


SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
RELATION_ID = re.compile(rb'\s\w+:id="([^"]+)"')
ACTIVE_TAB = re.compile(rb'activeTab="(\d+)"')
DATE1904 = re.compile(rb'\sdate1904="(?:1|true)"')
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
REL_ID = re.compile(rb'\sId="([^"]+)"')
REL_TARGET = re.compile(rb'\sTarget="([^"]+)"')
REL_TYPE = re.compile(rb'\sType="([^"]+)"')


@dataclass
class SheetShape:
    """What the streaming pass learnt about the active sheet."""

    sheet_index: int = 0
    rows: int = 0
    last_row: int = 0
    columns: int = 0
    # The package's parts (None when absent or not found) and its date system.
    sheet_part: str | None = None
    strings_part: str | None = None
    styles_part: str | None = None
    date1904: bool = False


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def too_many_rows() -> ImportRefused:
    limit = max_rows()
    return ImportRefused(
        [
            RowError(
                None,
                _(
                    "The file has more than %(limit)s data rows, the most one import may hold "
                    "(setting IMPORT_MAX_ROWS). Split it into smaller files."
                )
                % {"limit": limit},
            )
        ]
    )


def too_many_cells(rows: int, columns: int) -> ImportRefused:
    return ImportRefused(
        [
            RowError(
                None,
                _(
                    "The sheet spans %(rows)s rows × %(columns)s columns, more than the "
                    "%(limit)s cells one import may read (setting IMPORT_MAX_CELLS). Delete "
                    "unused rows and columns, or split the file."
                )
                % {"rows": rows, "columns": columns, "limit": settings.IMPORT_MAX_CELLS},
            )
        ]
    )


def too_large_unpacked() -> ImportRefused:
    return ImportRefused(
        [
            RowError(
                None,
                _(
                    "The workbook unpacks to more than %(limit)s MB (setting "
                    "IMPORT_MAX_UNPACKED_BYTES); it is refused as possibly damaged or malicious. "
                    "Save only the sheet to import as a new .xlsx file."
                )
                % {"limit": f"{settings.IMPORT_MAX_UNPACKED_BYTES / MB:g}"},
            )
        ]
    )


def not_xlsx() -> ImportRefused:
    return ImportRefused(
        [RowError(None, _("The file is not a readable .xlsx workbook; save it again as .xlsx"))]
    )


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def xlsx_limits(data: bytes | str, progress: Progress | None = None) -> SheetShape:
    """Check a workbook's package (its bytes or, better, its path) against the limits,
    streaming it once. Raises ImportRefused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, ValueError) as exc:
        raise not_xlsx() from exc
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if sum(info.file_size for info in members) > settings.IMPORT_MAX_UNPACKED_BYTES:
            raise too_large_unpacked()
        names = {info.filename for info in members}
        shape = SheetShape()
        _locate(archive, names, shape)
        sheet_part = shape.sheet_part
        try:
            if sheet_part is not None:
                _scan_sheet(archive, sheet_part, shape)
            # Every other part is unpacked once too: zipfile refuses a part whose content does
            # not match its declared size (CRC), so what the reader sees is what was counted.
            for info in members:
                if info.filename != sheet_part:
                    _drain(archive, info.filename)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise not_xlsx() from exc
    return shape


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as handle:
        return handle.read(SMALL_PART)


def _part_path(folder: str, target: bytes) -> str:
    path = target.decode()
    return path.lstrip("/") if path.startswith("/") else f"{folder}/{path}".lstrip("/")


def _locate(archive: zipfile.ZipFile, names: set[str], shape: SheetShape) -> None:
    """Find the active sheet (its position and part) and the parts a reader of it needs: the
    shared strings and the styles (for dates). A part that cannot be found stays None."""
    workbook_part = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for relation in RELATIONSHIP.findall(_read_small(archive, "_rels/.rels")):
            kind = REL_TYPE.search(relation)
            target = REL_TARGET.search(relation)
            if kind and target and kind.group(1).endswith(b"/officeDocument"):
                workbook_part = target.group(1).decode().lstrip("/")
    if workbook_part not in names:
        raise not_xlsx()
    workbook = _read_small(archive, workbook_part)
    shape.date1904 = DATE1904.search(workbook) is not None
    sheets = SHEET_TAG.findall(workbook)
    if not sheets:
        return
    active = ACTIVE_TAB.search(workbook)
    index = int(active.group(1)) if active else 0
    if index >= len(sheets):
        index = 0
    shape.sheet_index = index
    folder, _slash, base = workbook_part.rpartition("/")
    rels_part = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if rels_part not in names:
        return
    relation_id = RELATION_ID.search(sheets[index])
    for relation in RELATIONSHIP.findall(_read_small(archive, rels_part)):
        found = REL_ID.search(relation)
        target = REL_TARGET.search(relation)
        kind = REL_TYPE.search(relation)
        if not (found and target):
            continue
        part = _part_path(folder, target.group(1))
        if part not in names:
            continue
        if relation_id is not None and found.group(1) == relation_id.group(1):
            shape.sheet_part = part
        elif kind and kind.group(1).endswith(b"/sharedStrings"):
            shape.strings_part = part
        elif kind and kind.group(1).endswith(b"/styles"):
            shape.styles_part = part


def whole_tags(handle) -> Iterator[bytes]:
    """An unpacked XML part in chunks of about ``CHUNK`` bytes, each cut after its last complete
    tag (the rest waits for the next chunk)."""
    carry = b""
    while chunk := handle.read(CHUNK):
        chunk = carry + chunk
        cut = chunk.rfind(b">") + 1
        carry = chunk[cut:]
        yield chunk[:cut]


def _scan_sheet(archive: zipfile.ZipFile, part: str, shape: SheetShape) -> None:
    """Count the sheet's rows and its widest column while unpacking it; stop at a limit."""
    limit_rows = max_rows() + 1  # the header row too
    limit_cells = settings.IMPORT_MAX_CELLS
    last = 0
    counted = 0
    wide = 0
    patterns: RowPatterns | None = None
    with archive.open(part) as handle:
        for chunk in whole_tags(handle):
            if patterns is None:
                found = SHEET_DATA.search(chunk)
                if found is None:
                    continue  # still before the sheet's data
                patterns = RowPatterns.for_prefix(found.group(1) or b"")
            opened = len(patterns.opened.findall(chunk))
            shape.rows += opened - len(patterns.empty.findall(chunk))
            # Rows come in ascending order: the chunk's last numbered row is the furthest yet.
            tail = chunk.rfind(patterns.row_start)
            numbered = patterns.numbered.match(chunk, tail) if tail >= 0 else None
            counted += opened
            last = max(last, int(numbered.group(1)) if numbered else 0, counted)
            shape.last_row = last
            letters = set(patterns.cell_column.findall(chunk))
            if letters:
                wide = max(wide, *(column_number(x) for x in letters))
            shape.columns = wide
            if shape.rows > limit_rows:
                raise too_many_rows()
            if shape.last_row * shape.columns > limit_cells:
                raise too_many_cells(shape.last_row, shape.columns)


def _drain(archive: zipfile.ZipFile, name: str) -> None:
    with archive.open(name) as handle:
        while handle.read(CHUNK):
            pass
