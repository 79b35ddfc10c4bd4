"""`tuanxue import students|records|memberships FILE --school CODE [--dry-run]`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.db import connections

from tests.builders.org import (
    MEMBERSHIP_HEADERS,
    RECORD_HEADERS,
    STUDENT_HEADERS,
    counts,
    student_rows,
    write_csv,
    write_xlsx,
)
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import (
    AcademicRecord,
    ImportJob,
    ImportStatus,
    Membership,
    Student,
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def keep_connection(monkeypatch):
    """run_from_argv closes the connections when it ends; the test database must stay open."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def exit_code(*args) -> tuple[int, str]:
    """Run the command as the console script does, returning its exit status and stderr."""
    command = load_command_class("tuanxue.org", "import")
    err = io.StringIO()
    command.stderr._out = err
    command.stdout._out = io.StringIO()
    try:
        command.run_from_argv(["tuanxue", "import", *args])
    except SystemExit as exc:
        return exc.code, err.getvalue()
    return 0, err.getvalue()


def test_students_then_records_then_memberships(kit, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", STUDENT_HEADERS, student_rows(12))
    out, err = run("students", str(path), "--school", kit.school.code)
    assert "12" in out
    assert "新增学生：12" in out and "=" not in out
    assert err == ""  # small files import quietly
    assert Student.objects.filter(school=kit.school).count() == 12
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE
    assert job.created_by is None

    records = [[f"2021{n:06d}", "2021-2022-1", n, 13 - n, 12, 0] for n in range(1, 13)]
    run("records", str(write_xlsx(tmp_path / "r.xlsx", RECORD_HEADERS, records)), "--school", "tst")
    assert AcademicRecord.objects.count() == 12

    posts = [["2021000001", "机电学院学生会", "学习部", "干事", "2021-10-01", ""]]
    path = write_csv(tmp_path / "m.csv", MEMBERSHIP_HEADERS, posts, "gbk")
    run("memberships", str(path), "--school", "tst")
    assert Membership.objects.get().body.name == "学习部"


def test_a_bad_file_exits_non_zero_lists_every_row_and_writes_nothing(
    kit, tmp_path, keep_connection
):
    rows = student_rows(6)
    rows[0][2] = "X"
    rows[4][9] = "12345"
    path = write_xlsx(tmp_path / "bad.xlsx", STUDENT_HEADERS, rows)
    before = counts()
    code, err = exit_code("students", str(path), "--school", kit.school.code)
    assert code != 0
    assert "2" in err and "性别" in err
    assert "6" in err and "手机" in err
    assert counts() == before
    assert ImportJob.objects.get().status == ImportStatus.REFUSED


def test_call_command_raises_with_a_non_zero_return_code(kit, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError) as caught:
        run("students", str(path), "--school", kit.school.code)
    assert caught.value.returncode != 0


def test_dry_run_writes_nothing(kit, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", STUDENT_HEADERS, student_rows(4))
    before = counts()
    out, _err = run("students", str(path), "--school", kit.school.code, "--dry-run")
    assert "4" in out
    assert counts() == before
    assert ImportJob.objects.count() == 0


def test_dry_run_of_a_bad_file_still_fails(kit, tmp_path, keep_connection):
    rows = student_rows(3)
    rows[1][6] = "abcd"
    path = write_xlsx(tmp_path / "bad.xlsx", STUDENT_HEADERS, rows)
    code, err = exit_code("students", str(path), "--school", kit.school.code, "--dry-run")
    assert code != 0
    assert "年级" in err
    assert ImportJob.objects.count() == 0


def test_unknown_school_and_missing_file(kit, tmp_path):
    with pytest.raises(CommandError):
        run("students", str(tmp_path / "nope.xlsx"), "--school", kit.school.code)
    path = write_xlsx(tmp_path / "a.xlsx", STUDENT_HEADERS, student_rows(1))
    with pytest.raises(CommandError):
        run("students", str(path), "--school", "nowhere")


def test_wrong_type_is_refused(kit, tmp_path, keep_connection):
    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    code, err = exit_code("students", str(path), "--school", kit.school.code)
    assert code != 0
    assert ".xlsx" in err
    assert ImportJob.objects.get().status == ImportStatus.REFUSED


def test_progress_is_shown_for_large_files(kit, tmp_path, monkeypatch):
    monkeypatch.setattr("tuanxue.org.management.commands.import.PROGRESS_FROM_ROWS", 50)
    path = write_csv(tmp_path / "名单.csv", STUDENT_HEADERS, student_rows(120))
    _out, err = run("students", str(path), "--school", kit.school.code)
    assert "100%" in err
    assert err.count("\n") >= 3
    assert AuditEvent.objects.filter(action="org.import.students").count() == 1
