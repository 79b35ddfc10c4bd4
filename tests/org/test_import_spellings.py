"""The roster accepts the spellings colleges use for the same values, and still refuses others."""

from __future__ import annotations

import pytest

from tests.builders.org import STUDENT_HEADERS, messages, run_import, student_row, write_xlsx
from tuanxue.org.models import PoliticalStatus, Student


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def import_one(kit, tmp_path, **cells):
    row = student_row(1, **{k: v for k, v in cells.items() if k != "student_no"})
    if "student_no" in cells:
        row[0] = cells["student_no"]
    path = write_xlsx(tmp_path / "one.xlsx", STUDENT_HEADERS, [row])
    return run_import(kit.school, "students", path)


@pytest.mark.parametrize(
    "written, grade",
    [
        ("2023级", 2023),
        ("2023 级", 2023),
        ("２０２３级", 2023),
        ("２０２２", 2022),
        (" 2021 ", 2021),
    ],
)
def test_grade_spellings(kit, tmp_path, written, grade):
    outcome = import_one(kit, tmp_path, grade=written)
    assert outcome.ok, messages(outcome)
    assert Student.objects.get().grade == grade


@pytest.mark.parametrize(
    "written, status",
    [
        ("团员", PoliticalStatus.LEAGUE_MEMBER),
        ("共青团员", PoliticalStatus.LEAGUE_MEMBER),
        ("预备党员", PoliticalStatus.PARTY_PROBATIONARY),
        ("中共预备党员", PoliticalStatus.PARTY_PROBATIONARY),
        ("党员", PoliticalStatus.PARTY_MEMBER),
        ("中共党员", PoliticalStatus.PARTY_MEMBER),
        (" 群众\u3000", PoliticalStatus.MASSES),
        ("团 员", PoliticalStatus.LEAGUE_MEMBER),
    ],
)
def test_political_status_spellings(kit, tmp_path, written, status):
    outcome = import_one(kit, tmp_path, status=written)
    assert outcome.ok, messages(outcome)
    assert Student.objects.get().political_status == status


def test_full_width_digits_and_surrounding_spaces_in_numbers(kit, tmp_path):
    outcome = import_one(
        kit,
        tmp_path,
        student_no="\u3000２０２１０００００１ ",
        phone=" １３９０００００００１ ",
        gender=" 女 ",
        name=" 李华\u3000",
    )
    assert outcome.ok, messages(outcome)
    student = Student.objects.get()
    assert (student.student_no, student.phone, student.name) == (
        "2021000001",
        "13900000001",
        "李华",
    )


@pytest.mark.parametrize(
    "cells, needle",
    [
        ({"grade": "2023届"}, "年级"),
        ({"grade": "23级"}, "年级"),
        ({"grade": "二〇二三级"}, "年级"),
        ({"status": "入党积极分子"}, "政治面貌"),
        ({"status": "团员员"}, "政治面貌"),
        ({"status": "党"}, "政治面貌"),
        ({"gender": "M"}, "性别"),
    ],
)
def test_unknown_values_are_still_refused(kit, tmp_path, cells, needle):
    outcome = import_one(kit, tmp_path, **cells)
    assert not outcome.ok
    assert needle in messages(outcome)[0]
    assert not Student.objects.exists()
