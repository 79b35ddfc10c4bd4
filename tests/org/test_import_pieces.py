"""An .xlsx sheet read a piece at a time gives exactly what python-calamine gives reading it
whole: the same values (shared strings, dates, numbers, escaped text), at the same row numbers
and columns, however small the pieces."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from python_calamine import CalamineWorkbook

from tests.builders.org import handmade_xlsx
from tuanxue.org.imports.files import pieces
from tuanxue.org.imports.files.limits import xlsx_limits

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/>'
    '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def _workbook(path, rows=300):
    """As Excel saves it: shared strings, dates as styled numbers, a blank row, data from
    column B, repeated and unique strings, text that needs escaping."""
    strings: dict[str, int] = {}

    def shared(text):
        return strings.setdefault(text, len(strings))

    def text(ref, value):
        return f'<c r="{ref}" t="s"><v>{shared(value)}</v></c>'

    lines = ["".join(text(f"{c}1", h) for c, h in zip("BCDEF", HEADERS, strict=True))]
    for n in range(rows):
        r = n + 2
        if n == 40:
            lines.append("")
            continue
        day = (dt.date(2020, 9, 1) + dt.timedelta(days=n) - dt.date(1899, 12, 30)).days
        lines.append(
            text(f"B{r}", f"2021{n:06d}")
            + text(f"C{r}", f"学生{n} <&> “引号”")
            + f'<c r="D{r}" s="1"><v>{day}</v></c>'
            + f'<c r="E{r}"><v>{2020 + n % 4}</v></c>'
            + text(f"F{r}", "共青团员" if n % 3 else f"unique {n}")
        )
    sheet = "".join(
        f'<row r="{i}">{cells}</row>' if cells else f'<row r="{i}"/>'
        for i, cells in enumerate(lines, start=1)
    )
    escaped = [escape(t) for t in strings]
    sst = f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">' + "".join(
        f"<si><t>{t}</t></si>" for t in escaped
    )
    extra = {
        "xl/sharedStrings.xml": (sst + "</sst>").encode(),
        "xl/styles.xml": STYLES.encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{RELS}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ).encode(),
    }
    content = handmade_xlsx(sheet.encode(), extra={})
    # handmade_xlsx's own rels name the sheet only: rewrite the package with the extra parts.
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            if info.filename not in extra:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in extra.items():
            target.writestr(name, data)
    return path


HEADERS = ["学号", "姓名", "入团日期", "年级", "备注"]


def _pieces_read(path) -> list[tuple[int, list]]:
    shape = xlsx_limits(str(path))
    return [
        (number + offset, [""] * column + row)
        for number, column, rows in pieces.sheet_pieces(str(path), shape)
        for offset, row in enumerate(rows)
    ]


def _whole_read(path) -> list[tuple[int, list]]:
    """python-calamine reading the whole sheet, rows numbered and from column A."""
    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_index(0)
    start = sheet.start
    rows = sheet.to_python(skip_empty_area=True)
    workbook.close()
    return [(start[0] + i + 1, [""] * start[1] + row) for i, row in enumerate(rows)]


def _content(rows):
    return [(n, row) for n, row in rows if any(v not in ("", None) for v in row)]


@pytest.mark.parametrize("piece_bytes", [200, 5000, 10**9])
@pytest.mark.parametrize("sparse", [0, 10**9])
def test_pieces_give_what_a_whole_read_gives(tmp_path, monkeypatch, piece_bytes, sparse):
    path = _workbook(tmp_path / "roster.xlsx")
    with zipfile.ZipFile(path) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
    monkeypatch.setattr(pieces, "PIECE_BYTES", piece_bytes)
    # sparse=0: every piece renumbers its shared strings; a large value: none does.
    monkeypatch.setattr(pieces, "SPARSE", sparse)
    read = _content(_pieces_read(path))
    assert read == _content(_whole_read(path))
    assert read[0] == (1, ["", *HEADERS])
    assert read[1][1][3] == dt.date(2020, 9, 1)
    assert read[-1][0] == 301
    assert read[-1][1][2] == "学生299 <&> “引号”"


def test_rows_without_numbers_are_numbered_across_pieces(tmp_path, monkeypatch):
    """Some writers leave out the r attributes: rows are then numbered by position."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>%d</v></c></row>'
    content = b"".join(row % n for n in range(1, 201))
    path = tmp_path / "plain.xlsx"
    path.write_bytes(handmade_xlsx(content))
    monkeypatch.setattr(pieces, "PIECE_BYTES", 300)
    read = _pieces_read(path)
    assert [n for n, _row in read] == list(range(1, 201))
    assert all(int(values[1]) == n for n, values in read)


def test_kept_values_by_block_keep_known_columns_and_booleans():
    """Blocks of rows keep the known columns (the header found in the first block with
    content), hold each repeated value once, and never turn a boolean into a number."""
    from tuanxue.org.imports.files.reading import KeptValues

    kept = KeptValues(["学号", "备注"])
    first = kept.rows(1, 0, [["", ""], ["学号", "其他"], ["1", "x"]])
    # Only 学号 is known; the block starting at column B has no 学号 cells.
    assert first == [(2, ("学号",)), (3, ("1",))]
    kept = KeptValues(["学号", "备注"])
    kept.rows(1, 0, [["学号", "忽略", "备注"]])
    block = kept.rows(2, 0, [["a", "z", 1.0], ["a", "z", True], ["", "z", ""]])
    assert block == [(2, ("a", 1.0)), (3, ("a", True))]
    assert block[1][1][1] is True
    assert block[0][1][0] is block[1][1][0]
    # A later piece that starts at column C: 学号 (column A) is blank there.
    assert kept.rows(10, 2, [["备注"]]) == [(10, ("", "备注"))]
