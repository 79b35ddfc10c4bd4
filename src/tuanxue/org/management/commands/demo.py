"""``tuanxue demo``: build (or rebuild) the demo school 广东工贸职业技术学院 and print its logins."""

from __future__ import annotations

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from tuanxue.core.errors import DomainError


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = (
        "Build the demo school gdgm (广东工贸职业技术学院) into the configured database, "
        "replacing an existing gdgm school. Nothing else is touched."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        from tuanxue.demo import build_living_demo

        try:
            living = build_living_demo()
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        result = living.seed
        out = self.stdout
        out.write(f"演示学校 Demo school: {result.school.name} ({result.school.code})")
        out.write(f"地址 URL: {result.url}")
        out.write(f"密码 Password (all accounts): {result.password}")
        out.write("")
        rows = [("角色", "Role", "用户名 Username", "密码 Password")]
        rows += [(zh, en, username, result.password) for username, zh, en in result.logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        for number, row in enumerate(rows):
            out.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
            if number == 0:
                out.write("  ".join("-" * w for w in widths))
        s = result.structure
        out.write("")
        out.write(f"学生 Students: {result.students}")
        out.write(f"学院 Colleges: {result.colleges}")
        out.write(f"班级 Classes: {result.classes}")
        out.write(
            f"2020-09-30 校学生会 School union (seed): 工作人员 staff {s.staff_total} / 主席团 presidium "
            f"{s.presidium_size} / 工作部门 departments {s.department_count} / "
            f"来自学院学生会 from college unions {s.from_college_unions} = "
            f"{s.from_college_unions_ratio:.2%}"
        )
        for line in living.summary():
            out.write(line)
        out.write(self.style.SUCCESS(f"构建用时 Built in {seconds:.1f} s"))
