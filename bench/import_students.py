"""Benchmark: importing 30,000 students, compared with python-calamine merely reading the file.

    .venv/bin/python bench/import_students.py [--rows 30000] [--database-url URL] [--keep]

Builds a throwaway SQLite database in a temporary folder (or uses --database-url, which must name
an empty PostgreSQL database it may migrate), writes the roster with openpyxl in write-only mode,
times python-calamine's bare read of every row (the floor) and openpyxl's read-only read (for
reference), then times the whole import (limits, read, check, write in one transaction), a
re-import of the same file (every student matched, none changed) and a re-import that changes
every student's phone. Prints the times and the ratios against the calamine read; the goal for the
new-student import is 6× or less. Timing is never asserted anywhere.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def write_roster(path: Path, rows: int, phone_prefix: str = "13") -> None:
    import openpyxl

    colleges = [f"第{i}学院" for i in range(1, 13)]
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("学生名单")
    sheet.append(
        ["学号", "姓名", "性别", "学院", "专业", "班级", "年级", "政治面貌", "校区", "手机"]
    )
    statuses = ["共青团员", "共青团员", "共青团员", "群众", "中共预备党员", "中共党员"]
    for n in range(rows):
        college = n % len(colleges)
        major = n // 7 % 4
        grade = 2020 + n % 4
        klass = n // 40 % 5
        sheet.append(
            [
                f"{grade}{n:06d}",
                f"学生{n}",
                "男" if n % 2 else "女",
                colleges[college],
                f"{colleges[college]}专业{major}",
                f"{college:02d}{major}{grade % 100}{klass:02d}班",
                grade,
                statuses[n % len(statuses)],
                "主校区" if n % 3 else "南校区",
                f"{phone_prefix}{n % 10}{n:08d}",
            ]
        )
    workbook.save(path)


def time_calamine_read(path: Path) -> tuple[float, int]:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    workbook = CalamineWorkbook.from_object(io.BytesIO(path.read_bytes()))
    count = 0
    for _row in workbook.get_sheet_by_index(0).iter_rows():
        count += 1
    workbook.close()
    return time.perf_counter() - started, count


def time_openpyxl_read(path: Path) -> tuple[float, int]:
    import openpyxl

    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = 0
    for _row in workbook.active.iter_rows(values_only=True):
        count += 1
    workbook.close()
    return time.perf_counter() - started, count


class StageClock:
    """A progress callback that notes when each stage (read, validate, write) starts and ends."""

    def __init__(self):
        self.started = time.perf_counter()
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.first.setdefault(stage, now)
        self.last[stage] = now

    def summary(self) -> str:
        parts, previous = [], self.started
        for stage in ("read", "validate", "write"):
            if stage in self.last:
                parts.append(f"{stage} {self.last[stage] - previous:.2f}s")
                previous = self.last[stage]
        return ", ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "src"))
    folder = Path(tempfile.mkdtemp(prefix="tuanxue-bench-"))
    os.environ["TUANXUE_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuanxue.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from tuanxue.org import services
        from tuanxue.org.imports import import_file
        from tuanxue.org.models import ClassGroup, College, Student

        call_command("migrate", verbosity=0)
        school = services.school_add(actor=None, code="bench", name="基准测试学院")

        path = folder / "roster.xlsx"
        started = time.perf_counter()
        write_roster(path, args.rows)
        print(
            f"wrote {args.rows} rows to {path.name} "
            f"({path.stat().st_size / 1024 / 1024:.1f} MB) in {time.perf_counter() - started:.2f}s"
        )

        # The floor is the best of three reads: conservative for the ratios on a busy machine.
        read_seconds, count = min(time_calamine_read(path) for _ in range(3))
        print(f"python-calamine, every row:    {read_seconds:6.2f}s  ({count} rows, best of 3)")
        openpyxl_seconds, _count = time_openpyxl_read(path)
        print(f"openpyxl read-only, every row: {openpyxl_seconds:6.2f}s  (for reference)")
        print(f"database: {connection.vendor}")

        content = path.read_bytes()
        clock = StageClock()
        started = time.perf_counter()
        outcome = import_file(
            actor=None,
            school=school,
            kind="students",
            filename=path.name,
            content=content,
            progress=clock,
        )
        import_seconds = time.perf_counter() - started
        if not outcome.ok:
            for error in outcome.plan.errors[:20]:
                print(error.message)
            print("the benchmark file was refused")
            return 1
        print(f"full import (new students):    {import_seconds:6.2f}s  ({clock.summary()})")
        print(f"  {outcome.job.summary['counts']}")

        clock = StageClock()
        started = time.perf_counter()
        again = import_file(
            actor=None,
            school=school,
            kind="students",
            filename=path.name,
            content=content,
            progress=clock,
        )
        reimport_seconds = time.perf_counter() - started
        print(f"re-import (all matched):       {reimport_seconds:6.2f}s  ({clock.summary()})")
        print(f"  {again.job.summary['counts']}")

        changed_path = folder / "roster-changed.xlsx"
        write_roster(changed_path, args.rows, phone_prefix="15")
        clock = StageClock()
        started = time.perf_counter()
        changed = import_file(
            actor=None,
            school=school,
            kind="students",
            filename=changed_path.name,
            content=changed_path.read_bytes(),
            progress=clock,
        )
        change_seconds = time.perf_counter() - started
        print(f"re-import (every phone new):   {change_seconds:6.2f}s  ({clock.summary()})")
        print(f"  {changed.job.summary['counts']}")

        count = Student.objects.filter(school=school).count()
        if count != args.rows:
            print(f"expected {args.rows} students, found {count}")
            return 1
        print(
            f"registry: {College.objects.filter(school=school).count()} colleges, "
            f"{ClassGroup.objects.filter(school=school).count()} classes, "
            f"{count} students"
        )
        print(
            f"ratio import / calamine read:            {import_seconds / read_seconds:6.2f}  (goal <= 6)"
        )
        print(f"ratio re-import (unchanged) / calamine:  {reimport_seconds / read_seconds:6.2f}")
        print(f"ratio re-import (all changed) / calamine: {change_seconds / read_seconds:6.2f}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process: {peak:.0f} MB")
        return 0
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
