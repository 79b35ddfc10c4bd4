"""`tuanxue role …`, `tuanxue accounts create …` and `tuanxue import staff …`: Chinese output,
clear errors with a non-zero exit status, real workbooks."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command, load_command_class
from django.db import connections
from django.utils import translation

from tests.builders.org import write_csv, write_xlsx
from tests.org.people_kit import second_college, staff_user
from tuanxue.core.models import AuditEvent
from tuanxue.org.models import AccountState, ImportJob, ImportStatus, Role, RoleGrant, StaffPerson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def keep_connection(monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(name, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def exit_code(name, *args) -> tuple[int, str, str]:
    command = load_command_class("tuanxue.org", name)
    out, err = io.StringIO(), io.StringIO()
    command.stdout._out, command.stderr._out = out, err
    try:
        command.run_from_argv(["tuanxue", name, *args])
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


# -- role ------------------------------------------------------------------------------------


def test_role_grant_list_revoke(kit):
    teacher = staff_user(kit, name="林老师")
    out, _ = run("role", "grant", teacher.username, "school_league", "--school", kit.school.code)
    assert "林老师" in out and "校团委" in out and "全校" in out and "=" not in out
    assert RoleGrant.objects.filter(user=teacher, role=Role.SCHOOL_LEAGUE).exists()
    out, _ = run(
        "role",
        "grant",
        teacher.username,
        "学院团委",
        "--school",
        kit.school.code,
        "--college",
        kit.college.name,
    )
    assert "学院团委" in out and kit.college.name in out
    out, _ = run("role", "list", "--school", kit.school.code)
    assert "2" in out.splitlines()[0]
    assert "校团委" in out and "学院团委" in out and teacher.username in out
    out, _ = run("role", "revoke", teacher.username, "college_league", "--school", kit.school.code)
    assert "学院团委" in out
    assert RoleGrant.objects.filter(user=teacher, revoked_at__isnull=False).count() == 1
    actions = list(
        AuditEvent.objects.filter(action__startswith="org.role.").values_list("action", flat=True)
    )
    assert actions == ["org.role.granted", "org.role.granted", "org.role.revoked"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["grant", "nobody", "school_league", "--school", "tst"], "nobody"),
        (["grant", "{user}", "chairman", "--school", "tst"], "chairman"),
        (["grant", "{user}", "school_league", "--school", "nope"], "nope"),
        (["grant", "{user}", "college_league", "--school", "tst"], "学院"),
        (["grant", "{user}", "league_branch", "--school", "tst", "--class", "无此班"], "无此班"),
        (["revoke", "{user}", "school_party", "--school", "tst"], "校党委"),
    ],
)
def test_role_errors_exit_non_zero(kit, keep_connection, args, expected):
    teacher = staff_user(kit)
    args = [a.replace("{user}", teacher.username) for a in args]
    code, _out, err = exit_code("role", *args)
    assert code != 0
    assert expected in err
    assert not RoleGrant.objects.filter(user=teacher).exists()


def test_role_grant_help_lists_roles_in_chinese(capsys):
    command = load_command_class("tuanxue.org", "role")
    parser = command.create_parser("tuanxue", "role")
    with pytest.raises(SystemExit):
        parser.parse_args(["grant", "--help"])
    text = capsys.readouterr().out
    for role, label in (
        ("school_league", "校团委"),
        ("league_branch", "班团支部"),
        ("college_party", "学院党总支"),
    ):
        assert role in text and label in text


def test_role_grant_of_a_class_must_match_the_college(kit, keep_connection):
    student_user = get_user_model().objects.create_user("s1", password="x")
    kit.student(user=student_user)
    other_college, _ = second_college(kit)
    code, _, err = exit_code(
        "role",
        "grant",
        "s1",
        "league_branch",
        "--school",
        "tst",
        "--college",
        other_college.name,
        "--class",
        kit.class_group.name,
    )
    assert code != 0 and kit.class_group.name in err and other_college.name in err
    out, _ = run(
        "role", "grant", "s1", "league_branch", "--school", "tst", "--class", kit.class_group.name
    )
    assert kit.class_group.name in out


# -- accounts --------------------------------------------------------------------------------


def test_accounts_create_writes_a_workbook_per_class(kit, tmp_path):
    other_college, other_class = second_college(kit)
    for _ in range(2):
        kit.student()
    kit.student(college=other_college, major=other_class.major, class_group=other_class)
    out_file = tmp_path / "logins.xlsx"
    out, _ = run("accounts", "create", "--school", "tst", "--students", "--out", str(out_file))
    assert "已创建账号：3" in out and "=" not in out
    book = openpyxl.load_workbook(out_file)
    assert book.sheetnames == ["软件2001", "机电2001"]
    row = [c.value for c in book["机电2001"][3]]
    user = get_user_model().objects.get(username=row[3])
    assert user.check_password(row[4]) and user.student.class_group == other_class
    assert AccountState.objects.filter(must_change_password=True).count() == 3
    # A second run has nothing to do and writes no file.
    again = tmp_path / "again.xlsx"
    out, _ = run("accounts", "create", "--school", "tst", "--students", "--out", str(again))
    assert "已创建账号：0" in out and "已有账号：3" in out
    assert not again.exists()


def test_accounts_create_for_one_class_and_for_staff(kit, tmp_path):
    other_college, other_class = second_college(kit)
    kit.student()
    kit.student(college=other_college, major=other_class.major, class_group=other_class)
    StaffPerson.objects.create(school=kit.school, staff_no="T1", name="甲", unit="教务处")
    out_file = tmp_path / "class.xlsx"
    run(
        "accounts",
        "create",
        "--school",
        "tst",
        "--students",
        "--class",
        "机电2001",
        "--out",
        str(out_file),
    )
    assert openpyxl.load_workbook(out_file).sheetnames == ["机电2001"]
    staff_file = tmp_path / "staff.xlsx"
    run("accounts", "create", "--school", "tst", "--staff", "--out", str(staff_file))
    sheet = openpyxl.load_workbook(staff_file)["教务处"]
    assert [c.value for c in sheet[2]][:3] == ["工号", "姓名", "部门"]
    assert StaffPerson.objects.get(staff_no="T1").user.username == "T1"


@pytest.mark.parametrize(
    "args",
    [
        ["create", "--school", "nope", "--students", "--out", "{tmp}/a.xlsx"],
        ["create", "--school", "tst", "--students", "--out", "{tmp}/a.csv"],
        [
            "create",
            "--school",
            "tst",
            "--students",
            "--college",
            "无此学院",
            "--out",
            "{tmp}/a.xlsx",
        ],
        ["create", "--school", "tst", "--staff", "--class", "软件2001", "--out", "{tmp}/a.xlsx"],
        ["create", "--school", "tst", "--students", "--out", "{tmp}/missing/a.xlsx"],
        ["create", "--school", "tst", "--out", "{tmp}/a.xlsx"],
    ],
)
def test_accounts_errors_exit_non_zero(kit, keep_connection, tmp_path, capsys, args):
    kit.student()
    code, _, err = exit_code("accounts", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    err += capsys.readouterr().err  # argparse's own errors go to the process's stderr
    assert code != 0 and err.strip()
    assert not get_user_model().objects.filter(student__isnull=False).exists()


def test_accounts_refuses_to_overwrite_a_workbook(kit, keep_connection, tmp_path):
    kit.student()
    existing = tmp_path / "a.xlsx"
    existing.write_bytes(b"keep me")
    code, _, _err = exit_code(
        "accounts", "create", "--school", "tst", "--students", "--out", str(existing)
    )
    assert code != 0 and existing.read_bytes() == b"keep me"


# -- import staff ----------------------------------------------------------------------------

HEADERS = ["工号", "姓名", "部门", "手机", "邮箱"]


def test_import_staff_xlsx_creates_and_updates(kit, tmp_path):
    StaffPerson.objects.create(school=kit.school, staff_no="T2", name="旧名", unit="教务处")
    path = write_xlsx(
        tmp_path / "staff.xlsx",
        HEADERS,
        [
            ["T1", "刘老师", "校团委", "13800000001", "liu@example.edu.cn"],
            ["T2", "新名", "教务处", "020-87654321", None],
            [3003, "黄老师", "信息学院", 13800000003, None],
        ],
    )
    _out, _ = run("import", "staff", str(path), "--school", "tst")
    assert StaffPerson.objects.get(staff_no="T1").email == "liu@example.edu.cn"
    assert StaffPerson.objects.get(staff_no="T2").name == "新名"
    huang = StaffPerson.objects.get(staff_no="3003")
    assert huang.college == kit.college and huang.phone == "13800000003"
    job = ImportJob.objects.get(status=ImportStatus.DONE)
    assert job.summary["counts"] == {"staff_created": 2, "staff_updated": 1, "staff_unchanged": 0}
    event = AuditEvent.objects.get(action="org.import.staff")
    assert event.new["staff"] == ["T1", "3003"]


def test_import_staff_refuses_every_bad_row(kit, keep_connection, tmp_path):
    path = write_csv(
        tmp_path / "staff.csv",
        HEADERS,
        [
            ["T1", "刘老师", "校团委", "13800000001", ""],
            ["T1", "重复", "校团委", "13800000002", ""],
            ["T3", "", "教务处", "12345", "bad-mail"],
            ["T4", "何老师", "", "", ""],
        ],
        encoding="gbk",
    )
    code, _, err = exit_code("import", "staff", str(path), "--school", "tst")
    assert code == 2
    for expected in ("第3行", "第4行", "第5行", "工号", "姓名", "邮箱", "手机", "部门"):
        assert expected in err, expected
    assert StaffPerson.objects.count() == 0
    assert ImportJob.objects.get().status == ImportStatus.REFUSED


def test_import_staff_dry_run_writes_nothing(kit, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", HEADERS[:4], [["T1", "甲", "教务处", "13800000001"]])
    run("import", "staff", str(path), "--school", "tst", "--dry-run")
    assert StaffPerson.objects.count() == 0 and ImportJob.objects.count() == 0


def test_import_staff_missing_column_is_named(kit, keep_connection, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", ["工号", "姓名", "部门"], [["T1", "甲", "教务处"]])
    code, _, err = exit_code("import", "staff", str(path), "--school", "tst")
    assert code == 2 and "手机" in err


def test_role_list_of_an_empty_school_says_how_to_start(kit):
    out, _ = run("role", "list", "--school", "tst")
    assert "tuanxue role grant" in out and kit.school.name in out
