"""Reading an .xlsx sheet in pieces, so that memory stays bounded whatever the sheet's size.

python-calamine builds a whole sheet in memory, every cell of its extent, together with every
shared string of the workbook, including those of columns an import ignores. So the sheet's XML
is streamed out of the package and cut at row boundaries into pieces of about ``PIECE_BYTES``.
Each piece becomes a small workbook in memory, stored without compression: the
original sheet's opening tag, the piece's rows as they are, the original styles (number formats
say which numbers are dates) and date system, and only the shared strings those rows use (the
others are empty, so every index keeps its meaning). python-calamine reads one piece at a time.

The shared strings are unpacked once to a temporary file, with the offset where each begins, and
each piece reads the ones it needs from there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import os
import re
import tempfile
import zipfile
from array import array
from collections.abc import Iterator
from contextlib import ExitStack

from tuanxue.org.imports.files.limits import CHUNK, SHEET_DATA, SheetShape, whole_tags

MB = 1024 * 1024
PIECE_BYTES = 1 * MB
# The freed heap is handed back every this many pieces: each time costs a walk of the heap, and
# the pages given back must be faulted in again, so doing it after every piece made a 30,000-row
# import about 10% slower for no gain at that size.
TRIM_EVERY = 8

WORKSHEET_TAG = re.compile(rb"<(\w+:)?worksheet\b[^>]*>")
SHEET_DATA_TAG = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
STRINGS_TAG = re.compile(rb"<(\w+:)?sst\b[^>]*>")
STRING_COUNTS = re.compile(rb"""\s(?:count|uniqueCount)=["'][^"']*["']""")
# A shared string cell's index: <c r="B2" s="1" t="s"><v>12</v></c>, attributes in any order.
SHARED_INDEX = re.compile(rb"""(<(?:\w+:)?c\s[^>]*?\bt=["']s["'][^>]*>\s*<(?:\w+:)?v>\s*)(\d+)""")
# A piece whose strings would be mostly empty placeholders gets its indices renumbered instead.
SPARSE = 10_000
ROW_NUMBERED = re.compile(rb"""<(?:\w+:)?row\s[^>]*?\br=["']\d""")

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.styles+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{RELATIONS}"><workbookPr{{date1904}}/>'
    '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONS}/worksheet" Target="worksheets/sheet1.xml"/>'
)
STYLES_REL = f'<Relationship Id="rId2" Type="{RELATIONS}/styles" Target="styles.xml"/>'
STRINGS_REL = (
    f'<Relationship Id="rId3" Type="{RELATIONS}/sharedStrings" Target="sharedStrings.xml"/>'
)


def _malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None).malloc_trim
    except (OSError, AttributeError):
        return None  # not glibc


MALLOC_TRIM = _malloc_trim()


def release_free_memory() -> None:
    """Give the memory freed by the last piece back to the system (glibc keeps it otherwise,
    pinned between the Python objects the rows are made of, and the process only grows)."""
    if MALLOC_TRIM is not None:
        MALLOC_TRIM(0)


class SharedStrings:
    """The workbook's shared strings, unpacked to a temporary file and read by index."""

    def __init__(self, archive: zipfile.ZipFile, part: str):
        # Closed by close(), which the reader registers as soon as this is built.
        self.file = tempfile.TemporaryFile(prefix="tuanxue-strings-")  # noqa: SIM115
        self.starts = array("q")
        self.head = b""
        self.prefix = b""
        entry: re.Pattern | None = None
        written = 0
        before = b""  # what came before the root element was found
        end = -1
        with archive.open(part) as handle:
            for chunk in whole_tags(handle):
                if entry is None:
                    chunk = before + chunk
                    found = STRINGS_TAG.search(chunk)
                    if found is None:
                        before = chunk
                        continue
                    self.prefix = found.group(1) or b""
                    self.head = STRING_COUNTS.sub(b"", found.group(0))
                    entry = re.compile(rb"<" + re.escape(self.prefix) + rb"si[\s>/]")
                    chunk = chunk[found.end() :]
                for match in entry.finditer(chunk):
                    self.starts.append(written + match.start())
                closing = chunk.find(b"</" + self.prefix + b"sst")
                if closing >= 0 and end < 0:
                    end = written + closing
                self.file.write(chunk)
                written += len(chunk)
        self.file.flush()
        self.starts.append(end if end >= 0 else written)
        self.empty = b"<%ssi><%st></%st></%ssi>" % ((self.prefix,) * 4)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def part_for(self, indices: list[int], compact: bool = False) -> bytes:
        """A sharedStrings part holding the strings at ``indices`` (sorted), at their own
        positions (the others empty) or, ``compact``, one after the other."""
        out = [b'<?xml version="1.0" encoding="UTF-8"?>', self.head]
        position = 0
        fd = self.file.fileno()
        for index in indices:
            if index >= len(self):
                break
            if index > position and not compact:
                out.append(self.empty * (index - position))
            start, stop = self.starts[index], self.starts[index + 1]
            out.append(os.pread(fd, stop - start, start))
            position = index + 1
        out.append(b"</" + self.prefix + b"sst>")
        return b"".join(out)

    def close(self) -> None:
        self.file.close()


def _sheet_pieces(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[bytes, bytes, bytes]]:
    """The sheet's opening tag, its element prefix, and pieces of whole rows."""
    carry = b""
    head: bytes | None = None
    prefix = b""
    row_start: re.Pattern | None = None
    closing = b""
    with archive.open(part) as handle:
        done = False
        while not done:
            chunk = handle.read(CHUNK)
            buffer = carry + chunk
            seen = max(len(carry) - len(closing), 0)  # searched already for the closing tag
            if head is None:
                found = SHEET_DATA.search(buffer)
                if found is None:
                    if not chunk:
                        return
                    carry = buffer
                    continue
                tag = SHEET_DATA_TAG.match(buffer, found.start())
                opening = WORKSHEET_TAG.search(buffer)
                if tag is None or opening is None:
                    if not chunk:
                        return
                    carry = buffer  # the tag is split; wait for more
                    continue
                if tag.group(2):
                    return  # <sheetData/>: no rows
                head = opening.group(0)
                prefix = opening.group(1) or b""
                row_start = re.compile(b"<" + re.escape(prefix) + rb"row[\s>/]")
                closing = b"</" + prefix + b"sheetData"
                buffer = buffer[tag.end() :]
                seen = 0
            end = buffer.find(closing, seen)
            if end >= 0:
                buffer = buffer[:end]
                done = True
            elif not chunk:
                done = True
            # Cut at the first row that begins after PIECE_BYTES: what precedes it is whole rows.
            while len(buffer) > PIECE_BYTES:
                found = row_start.search(buffer, PIECE_BYTES)
                if found is None:
                    break
                yield head, prefix, buffer[: found.start()]
                buffer = buffer[found.start() :]
            if done:
                if buffer.strip():
                    yield head, prefix, buffer
                return
            carry = buffer


def _piece_strings(rows: bytes, strings: SharedStrings) -> tuple[bytes, bytes]:
    """The piece's rows and the shared strings they use. When most of the strings up to the
    highest index would be empty placeholders, the rows' indices are renumbered instead."""
    indices = sorted({int(found[2]) for found in SHARED_INDEX.finditer(rows)})
    if not indices or indices[-1] + 1 - len(indices) <= max(len(indices), SPARSE):
        return rows, strings.part_for(indices)
    renumbered = {old: str(new).encode() for new, old in enumerate(indices)}
    rows = SHARED_INDEX.sub(lambda found: found[1] + renumbered[int(found[2])], rows)
    return rows, strings.part_for(indices, compact=True)


def _write_piece(
    target: io.BytesIO,
    head: bytes,
    prefix: bytes,
    rows: bytes,
    strings: bytes | None,
    styles: bytes | None,
    date1904: bool,
) -> None:
    relations = WORKBOOK_RELS_HEAD
    if styles is not None:
        relations += STYLES_REL
    if strings is not None:
        relations += STRINGS_REL
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as piece:
        piece.writestr("[Content_Types].xml", CONTENT_TYPES)
        piece.writestr("_rels/.rels", ROOT_RELS)
        workbook = WORKBOOK.format(date1904=' date1904="1"' if date1904 else "")
        piece.writestr("xl/workbook.xml", workbook.encode())
        piece.writestr("xl/_rels/workbook.xml.rels", (relations + "</Relationships>").encode())
        if styles is not None:
            piece.writestr("xl/styles.xml", styles)
        if strings is not None:
            piece.writestr("xl/sharedStrings.xml", strings)
        with piece.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?>')
            sheet.write(head)
            sheet.write(b"<" + prefix + b"sheetData>")
            sheet.write(rows)
            sheet.write(b"</" + prefix + b"sheetData></" + prefix + b"worksheet>")


def sheet_pieces(path: str, shape: SheetShape) -> Iterator[tuple[int, int, list[list]]]:
    """The active sheet a piece at a time: the number (as Excel shows it) of the piece's first
    row, the position of its first column (0 for A) and its rows, all as wide as each other.

    python-calamine starts a piece at its first used row and column, which may differ from one
    piece to the next. Damaged content raises what python-calamine or zipfile raise; the caller
    turns that into a refusal.
    """
    from python_calamine import CalamineWorkbook

    with ExitStack() as stack:
        archive = stack.enter_context(zipfile.ZipFile(path))
        styles = None
        if shape.styles_part is not None:
            with archive.open(shape.styles_part) as handle:
                styles = handle.read()
        strings = None
        if shape.strings_part is not None:
            strings = SharedStrings(archive, shape.strings_part)
            stack.callback(strings.close)
        numbered: bool | None = None
        rows_before = 0
        read = 0
        for head, prefix, rows in _sheet_pieces(archive, shape.sheet_part):
            part = None
            if strings is not None:
                rows, part = _piece_strings(rows, strings)
            if numbered is None:
                numbered = ROW_NUMBERED.match(rows, rows.find(b"<" + prefix + b"row")) is not None
            # Rows without an r attribute are numbered by position, which restarts each piece.
            offset = 0 if numbered else rows_before
            if not numbered:
                rows_before += sum(
                    rows.count(b"<" + prefix + b"row" + c) for c in (b" ", b">", b"/")
                )
            piece = io.BytesIO()
            _write_piece(piece, head, prefix, rows, part, styles, shape.date1904)
            del part, rows
            piece.seek(0)
            workbook = CalamineWorkbook.from_filelike(piece)
            del piece
            try:
                sheet = workbook.get_sheet_by_index(0)
                start = sheet.start
                if start is None:
                    continue
                values = sheet.to_python(skip_empty_area=True)
            finally:
                workbook.close()
            yield offset + start[0] + 1, start[1], values
            del values
            read += 1
            if read % TRIM_EVERY == 0:
                release_free_memory()
