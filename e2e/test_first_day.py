"""A real college's first day, exactly as the README's "First day at a college" says.

The commands between the README's ``first-day`` markers run one by one in a shell, on an empty
database (a fresh PostgreSQL database when ``TUANXUE_TEST_DATABASE_URL`` is set, else SQLite),
with the spreadsheets a college has: 300 students in three colleges, a semester of academic
records, the staff list and 20 union posts. Only the install lines are left out (the suite
already runs in an installed environment) and the addresses are the test's own. Then the
README's gunicorn command serves the site, and people log in with the first passwords from the
workbooks, on a phone: the League committee teacher, who must choose a password and sees the
setup checklist, and students.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from e2e.conftest import log_in

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COLLEGES = ["信息工程学院", "机电工程学院", "经济管理学院"]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- first-day:begin -->", 1)[1].split("<!-- first-day:end -->", 1)[0]
    script = block.split("```sh", 1)[1].split("```", 1)[0]
    commands = []
    for line in script.splitlines():
        line = line.split("  #", 1)[0].strip()
        if line and not line.startswith("#"):
            commands.append(line)
    return commands


def _sheet(path: Path, header: list[str], rows: list[list]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_college_files(folder: Path) -> dict:
    """The spreadsheets of a college with 300 students, as the README's formats describe."""
    students, records = [], []
    number = 0
    for c, college in enumerate(COLLEGES):
        for k in range(2):
            class_name = f"{college[:2]}20{k + 1:02d}"
            for i in range(50):
                number += 1
                no = f"20200{c + 1}{k + 1}{i + 1:03d}"
                status = "共青团员" if i % 5 else "中共预备党员"
                students.append(
                    [
                        no,
                        f"学生{number:03d}",
                        "女" if i % 2 else "男",
                        college,
                        f"{college[:2]}专业",
                        class_name,
                        "2020级",
                        status,
                    ]
                )
                records.append([no, "2019-2020-2", i + 1, i + 1, 50, 0])
    _sheet(
        folder / "roster.xlsx",
        ["学号", "姓名", "性别", "学院", "专业", "班级", "年级", "政治面貌"],
        students,
    )
    _sheet(
        folder / "2019-2020-2.xlsx",
        ["学号", "学期", "学习成绩排名", "综合测评排名", "专业人数", "不及格门数"],
        records,
    )
    _sheet(
        folder / "staff.xlsx",
        ["工号", "姓名", "部门", "手机", "邮箱"],
        [
            ["T0001", "王老师", "校团委", "13800000001", "wang@example.edu"],
            ["T0002", "李老师", "党委学生工作部", "13800000002", ""],
            ["T0003", "赵老师", COLLEGES[0], "13800000003", ""],
        ],
    )
    # 20 posts in the school union: 5 in the presidium, 3 departments of 5. The best students
    # of each class (rank 1-4) serve, so every one of them passes the charter's academic rule.
    posts = []
    best = [s for s in students if int(s[0][-3:]) <= 4]
    for n, student in enumerate(best[:20]):
        if n < 5:
            body, title = "主席团", "主席团成员"
        else:
            body = ["办公室", "学习部", "文体部"][(n - 5) // 5]
            body = "秘书部" if body == "办公室" else body
            title = "部长" if (n - 5) % 5 == 0 else "干事"
        posts.append([student[0], "校学生会", body, title, "2020-09-01"])
    _sheet(folder / "posts.xlsx", ["学号", "组织", "部门", "职务", "任职开始"], posts)
    return {"students": students, "posts": posts}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(folder: Path) -> str:
    base = os.environ.get("TUANXUE_TEST_DATABASE_URL", "")
    if not base.startswith("postgres"):
        return f"sqlite:///{folder / 'first-day.sqlite3'}"
    import psycopg

    name = f"first_day_{secrets.token_hex(4)}"
    server, _, _ = base.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def _passwords(path: Path) -> dict[str, str]:
    """username → one-time password, from every sheet of a workbook the command wrote."""
    book = openpyxl.load_workbook(path)
    found = {}
    for sheet in book.worksheets:
        rows = [[str(c or "") for c in row] for row in sheet.iter_rows(values_only=True)]
        start = next(n for n, row in enumerate(rows) if "用户名" in row)
        user_col, pass_col = rows[start].index("用户名"), rows[start].index("初始密码")
        for row in rows[start + 1 :]:
            if row[user_col]:
                found[row[user_col]] = row[pass_col]
    return found


@pytest.fixture
def college(tmp_path):
    folder = tmp_path / "college"
    folder.mkdir()
    data = write_college_files(folder)
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "TUANXUE_", "DATABASE_URL", "SECRET_KEY", "AUDIT_KEY"))
        and k != "DEBUG"
    }
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    ran = []
    for command in readme_commands():
        if command.startswith("python3 -m venv") or re.search(r"(^|/)pip install", command):
            continue  # installing: the suite already runs in an installed environment
        if command.startswith("export DATABASE_URL="):
            command = f"export DATABASE_URL={shlex.quote(_database_url(folder))}"
        elif command.startswith("export ALLOWED_HOSTS="):
            command = "export ALLOWED_HOSTS=127.0.0.1"
        elif command.startswith("export TUANXUE_VAR_DIR="):
            command = f"export TUANXUE_VAR_DIR={shlex.quote(str(folder / 'var'))}"
        elif command.startswith("gunicorn "):
            server_command = re.sub(r"--bind \S+", f"--bind 127.0.0.1:{port}", command)
            continue
        ran.append(command)
    script = "set -euo pipefail\n" + "\n".join(ran) + "\nenv -0 > environment.bin\n"
    done = subprocess.run(
        ["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    served_env = dict(
        item.split("=", 1)
        for item in (folder / "environment.bin").read_bytes().decode().split("\0")
        if "=" in item
    )
    server = subprocess.Popen(
        shlex.split(server_command),
        cwd=folder,
        env=served_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise AssertionError(server.stderr.read().decode()[-3000:]) from None
                time.sleep(0.2)
        yield {"base": base, "folder": folder, "output": done.stdout, **data}
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_first_day_from_the_readme(college, phone):
    base, folder = college["base"], college["folder"]
    output = college["output"]
    # The commands spoke Chinese to the operator.
    assert "已添加学校" in output

    # gunicorn alone serves a styled site: the stylesheet comes from the application.
    css = urllib.request.urlopen(f"{base}/static/core/tuanxue.css", timeout=5)
    assert css.status == 200 and b".topbar" in css.read()

    staff = _passwords(folder / "staff-logins.xlsx")
    students = _passwords(folder / "student-logins.xlsx")
    assert len(students) == 300

    # The League committee teacher: first password, then their own, then the setup checklist.
    log_in(phone, base, "T0001", staff["T0001"])
    assert "/account/password" in phone.url
    own = "Tuanxue-first-day-2026"
    phone.fill("input[name=old_password]", staff["T0001"])
    phone.fill("input[name=new_password1]", own)
    phone.fill("input[name=new_password2]", own)
    phone.click("button[type=submit]")
    phone.wait_for_load_state()
    phone.goto(f"{base}/")
    # The home page leads with what is still missing, each step linked to where it is done.
    panel = phone.locator("#setup-panel")
    assert panel.is_visible()
    assert panel.locator("a").count() >= 3
    # The charter was adopted from the command line: that step is no longer open.
    phone.goto(f"{base}/s/gdgm/setup/")
    assert phone.locator("#setup-charter .tag.green").count() == 1
    # Student Affairs and the college League committees have no roles yet: still to do.
    assert phone.locator("#setup-roles .tag.red").count() == 1
    assert phone.locator("#setup-roles a").count() == 1
    topbar = phone.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
    assert topbar not in ("", "rgba(0, 0, 0, 0)"), "the page is styled"

    # Two students log in with the passwords their class secretary handed out.
    for number in list(students)[:2]:
        phone.context.clear_cookies()
        log_in(phone, base, number, students[number])
        assert "/account/password" in phone.url
        mine = "Qiu-shi-xue-2026!"
        phone.fill("input[name=old_password]", students[number])
        phone.fill("input[name=new_password1]", mine)
        phone.fill("input[name=new_password2]", mine)
        phone.click("button[type=submit]")
        phone.wait_for_load_state()
        phone.context.clear_cookies()
        log_in(phone, base, number, mine)
        assert "/login/" not in phone.url and "/account/password" not in phone.url
