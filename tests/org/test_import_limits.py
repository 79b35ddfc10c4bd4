"""Import limits: rows, cells and unpacked size are checked while the file streams past, before
python-calamine builds the sheet; every refusal names its limit and writes nothing. Also: row
numbers still match Excel's with the new reader.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.builders.org import (  # noqa: F401
    CONTENT_TYPES,
    ROOT_RELS,
    STUDENT_HEADERS,
    WORKBOOK,
    WORKBOOK_RELS,
    counts,
    handmade_xlsx,
    messages,
    run_import,
    student_row,
    student_rows,
    write_csv,
    write_xlsx,
)
from tuanxue.org.imports.files.limits import xlsx_limits
from tuanxue.org.models import ImportStatus, Student


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def no_full_read(monkeypatch):
    """Fail the test if python-calamine is asked to build the sheet."""
    import python_calamine

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was read in full")

    for opener in ("from_object", "from_path", "from_filelike"):
        monkeypatch.setattr(python_calamine.CalamineWorkbook, opener, refuse)


def test_600000_rows_in_a_small_xlsx_are_refused_before_the_sheet_is_built(
    kit, tmp_path, no_full_read
):
    row = b'<row><c t="inlineStr"><is><t>1</t></is></c><c t="n"><v>2</v></c></row>'
    content = handmade_xlsx(row * 600_000)
    assert len(content) < 400 * 1024  # a small upload that unpacks to 600,000 rows
    path = tmp_path / "huge.xlsx"
    path.write_bytes(content)
    before = counts()
    outcome = run_import(kit.school, "students", path)
    assert not outcome.ok
    [message] = messages(outcome)
    assert "100000" in message and "IMPORT_MAX_ROWS" in message
    assert outcome.job.status == ImportStatus.REFUSED
    assert counts() == before


def test_the_row_limit_is_a_setting_for_xlsx_and_csv(kit, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 5
    for path in (
        write_xlsx(tmp_path / "six.xlsx", STUDENT_HEADERS, student_rows(6)),
        write_csv(tmp_path / "six.csv", STUDENT_HEADERS, student_rows(6)),
    ):
        outcome = run_import(kit.school, "students", path)
        assert not outcome.ok
        assert "5" in messages(outcome)[0] and "IMPORT_MAX_ROWS" in messages(outcome)[0]
    assert not Student.objects.exists()
    # Exactly at the limit is fine.
    outcome = run_import(
        kit.school, "students", write_xlsx(tmp_path / "five.xlsx", STUDENT_HEADERS, student_rows(5))
    )
    assert outcome.ok, messages(outcome)
    assert Student.objects.count() == 5


def test_a_far_away_cell_is_refused_by_the_cell_limit(kit, tmp_path, no_full_read):
    # One cell at column ZZ (702) in row 5000: a 3.5-million-cell sheet for the reader.
    sheet = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        b'<row r="5000"><c r="ZZ5000" t="n"><v>1</v></c></row>'
    )
    path = tmp_path / "far.xlsx"
    path.write_bytes(handmade_xlsx(sheet))
    outcome = run_import(kit.school, "students", path)
    [message] = messages(outcome)
    assert "5000" in message and "702" in message and "IMPORT_MAX_CELLS" in message


def test_a_csv_over_the_cell_limit_is_refused(kit, tmp_path, settings):
    settings.IMPORT_MAX_CELLS = 50
    outcome = run_import(
        kit.school, "students", write_csv(tmp_path / "a.csv", STUDENT_HEADERS, student_rows(6))
    )
    assert "IMPORT_MAX_CELLS" in messages(outcome)[0]
    assert not Student.objects.exists()


def test_a_zip_bomb_is_refused_by_its_unpacked_size(kit, tmp_path, settings, no_full_read):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    # 8 MB of zeros in a part squeezes into a few kilobytes.
    content = handmade_xlsx(b"", extra={"xl/sharedStrings.xml": b"\0" * (8 * 1024 * 1024)})
    assert len(content) < 64 * 1024
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(content)
    outcome = run_import(kit.school, "students", path)
    [message] = messages(outcome)
    assert "IMPORT_MAX_UNPACKED_BYTES" in message and "1 MB" in message


def test_a_part_larger_than_it_declares_is_refused(kit, tmp_path):
    content = bytearray(handmade_xlsx(b"<row><c><v>1</v></c></row>" * 50))
    # Make the sheet's central directory entry claim a smaller unpacked size than it has.
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    central = bytes(content).rfind(b"PK\x01\x02", 0, bytes(content).find(b"PK\x05\x06"))
    while True:  # find this part's central entry
        name_length = int.from_bytes(content[central + 28 : central + 30], "little")
        if content[central + 46 : central + 46 + name_length] == info.filename.encode():
            break
        central = bytes(content).rfind(b"PK\x01\x02", 0, central)
    content[central + 24 : central + 28] = (info.file_size // 2).to_bytes(4, "little")
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bytes(content))
    outcome = run_import(kit.school, "students", path)
    assert not outcome.ok
    assert ".xlsx" in messages(outcome)[0]


def test_rows_are_numbered_as_excel_shows_them_when_data_starts_lower_and_to_the_right(
    kit, tmp_path
):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    # Two blank rows and a blank column A: the header is in row 3, from column B.
    for offset, values in enumerate(
        [STUDENT_HEADERS, student_row(1), student_row(2, gender="X"), student_row(3)]
    ):
        for column, value in enumerate(values, start=2):
            sheet.cell(row=3 + offset, column=column, value=value)
    path = tmp_path / "lower.xlsx"
    workbook.save(path)
    outcome = run_import(kit.school, "students", path)
    assert [e.row for e in outcome.plan.errors] == [5]
    assert messages(outcome)[0].startswith("第5行：性别")


def test_the_active_sheet_is_read(kit, tmp_path):
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "说明"
    notes.append(["请填写第二个工作表"])
    roster = workbook.create_sheet("名单")
    roster.append(STUDENT_HEADERS)
    for row in student_rows(3):
        roster.append(row)
    workbook.active = 1
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    assert xlsx_limits(path.read_bytes()).sheet_index == 1
    outcome = run_import(kit.school, "students", path)
    assert outcome.ok, messages(outcome)
    assert Student.objects.count() == 3


def test_the_scan_counts_rows_and_columns_of_a_normal_workbook(tmp_path):
    path = write_xlsx(tmp_path / "n.xlsx", STUDENT_HEADERS, student_rows(12))
    shape = xlsx_limits(Path(path).read_bytes())
    assert (shape.rows, shape.last_row, shape.columns) == (13, 13, len(STUDENT_HEADERS))
