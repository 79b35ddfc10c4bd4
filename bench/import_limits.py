"""Benchmark: how fast an oversized upload is refused, and the peak memory of imports at the limits.

    .venv/bin/python bench/import_limits.py [--keep]

Each case runs the whole import (limits, read, check, write in one transaction) in a fresh child
process on a throwaway SQLite database, and prints the time and the child's peak resident memory:

- a small .xlsx (a few hundred KB) whose sheet holds 600,000 rows: refused by IMPORT_MAX_ROWS;
- a roster of 100,000 students, the row limit (IMPORT_MAX_ROWS);
- a file near the 50 MB upload cap: the same 100,000 students with a column of random text the
  import ignores, the most an accepted upload can hold.

The goal is a quick refusal of the first and at most 200 MB for each. Timing is never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent(
    """
    import os, resource, sys, time
    sys.path.insert(0, {src!r})
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuanxue.settings"
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from tuanxue.org import services
    from tuanxue.org.imports import import_file
    school = services.school_add(actor=None, code="bench", name="bench")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    outcome = import_file(actor=None, school=school, kind="students",
                          filename=os.path.basename({path!r}), content={path!r})
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = "imported" if outcome.ok else "refused: " + outcome.plan.errors[0].message
    print(f"{{seconds:6.2f}}s  peak {{peak:5.0f}} MB (after start-up {{before:4.0f}} MB)  {{result[:90]}}")
    """
)


def huge_small_xlsx(path: Path, rows: int) -> None:
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c></row>' * rows
        + b"</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)


def roster(path: Path, rows: int, noise: int = 0) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    headers = ["学号", "姓名", "性别", "学院", "专业", "班级", "年级", "政治面貌", "校区", "手机"]
    sheet.append([*headers, "备注"] if noise else headers)
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    for n in range(rows):
        grade = 2020 + n % 4
        college = n % 12
        values = [
            f"{grade}{n:06d}",
            f"学生{n}",
            "男" if n % 2 else "女",
            f"第{college}学院",
            f"第{college}学院专业{n // 7 % 4}",
            f"{college:02d}{n // 7 % 4}{grade % 100}{n // 40 % 5:02d}班",
            grade,
            "共青团员",
            "主校区",
            f"13{n % 10}{n:08d}",
        ]
        if noise:
            values.append("".join(rng.choices(alphabet, k=noise)))
        sheet.append(values)
    workbook.save(path)


def run_case(label: str, path: Path, folder: Path) -> None:
    size = path.stat().st_size / 1024 / 1024
    env = dict(os.environ)
    env["TUANXUE_VAR_DIR"] = str(folder / label)
    env["DATABASE_URL"] = f"sqlite:///{folder / (label + '.sqlite3')}"
    code = CHILD.format(src=str(ROOT / "src"), path=str(path))
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    line = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-500:]
    print(f"{label:<28} {size:6.2f} MB file  {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tuanxue-limits-"))
    try:
        small = folder / "600k-rows.xlsx"
        huge_small_xlsx(small, 600_000)
        run_case("600,000 rows (refused)", small, folder)
        at_limit = folder / "100k-rows.xlsx"
        roster(at_limit, 100_000)
        run_case("100,000 students", at_limit, folder)
        near_cap = folder / "near-cap.xlsx"
        roster(near_cap, 100_000, noise=320)
        run_case("100,000 students + noise", near_cap, folder)
        return 0
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
