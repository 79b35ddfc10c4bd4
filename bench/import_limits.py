"""Benchmark: how fast an oversized upload is refused, and the peak memory of imports at the limits.

    .venv/bin/python bench/import_limits.py [--keep]

Each case runs the whole import (limits, read, check, write in one transaction) in a fresh child
process on a throwaway SQLite database, migrated beforehand by another process (as a web or
background worker finds it; migrating in the measured process would add about 30 MB that no
import uses), and prints the time and the child's peak resident memory:

- a small .xlsx (a few hundred KB) whose sheet holds 600,000 rows: refused by IMPORT_MAX_ROWS;
- a roster of 100,000 students, the row limit (IMPORT_MAX_ROWS), as openpyxl writes it (inline
  strings);
- the same 100,000 students with a 320-character column of random text the import ignores;
- a file near the 50 MB upload cap (about 45 MB, 90 MB unpacked): the 100,000 students with every
  string a shared string, as Excel saves them, and a 560-character random column the import
  ignores, the most an accepted upload can hold.

The goal is a quick refusal of the first and at most 200 MB for each. Timing is never asserted.
"""

from __future__ import annotations

import argparse
import base64
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
    from tuanxue.org import services
    from tuanxue.org.imports import import_file
    def peak_mb():
        # VmHWM is this process's own peak; ru_maxrss may carry the parent's from before exec.
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    school = services.school_add(actor=None, code="bench", name="bench")
    before = peak_mb()
    started = time.perf_counter()
    outcome = import_file(actor=None, school=school, kind="students",
                          filename=os.path.basename({path!r}), content={path!r})
    seconds = time.perf_counter() - started
    peak = peak_mb()
    result = "imported" if outcome.ok else "refused: " + outcome.plan.errors[0].message
    print(f"{{seconds:6.2f}}s  peak {{peak:5.0f}} MB (after start-up {{before:4.0f}} MB)  {{result[:90]}}")
    """
)


PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}

MIGRATE = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {src!r})
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuanxue.settings"
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    """
)


def huge_small_xlsx(path: Path, rows: int) -> None:
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c></row>' * rows
        + b"</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
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


HEADERS = ["学号", "姓名", "性别", "学院", "专业", "班级", "年级", "政治面貌", "校区", "备注"]
SST_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
SST_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def cap_workbook(path: Path, rows: int = 100_000, noise: int = 560) -> None:
    """The worst upload the limits let through: a roster whose every data string is a shared
    string (as Excel saves it; the header row is inline), with a column of ``noise`` random
    characters per row that compresses badly. About 45 MB uploaded, 90 MB unpacked. Written part
    by part so that it takes seconds."""
    block = base64.b64encode(random.Random(11).randbytes(rows * noise * 3 // 4 + 3))
    fixed = ["男", "女", "共青团员", "主校区", *[f"第{c}学院" for c in range(12)]]
    fixed += [f"第{c}学院专业{m}" for c in range(12) for m in range(4)]
    index = {text: i for i, text in enumerate(fixed)}

    def classes(n):
        college, grade = n % 12, 2020 + n % 4
        return college, grade, f"{college:02d}{n // 7 % 4}{grade % 100}{n // 40 % 5:02d}班"

    for name in sorted({classes(n)[2] for n in range(rows)}):
        index[name] = len(index)
    base = len(index)  # then per row: 学号, 姓名, 备注

    def unique(n):
        return (
            f"{classes(n)[1]}{n:06d}",
            f"学生{n}",
            block[n * noise : (n + 1) * noise].decode(),
        )

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in PARTS.items():
            if name == "[Content_Types].xml":
                text = text.replace("</Types>", SST_TYPE)
            elif name == "xl/_rels/workbook.xml.rels":
                text = text.replace("</Relationships>", SST_REL)
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main">'
            )
            part.write("".join(f"<si><t>{t}</t></si>" for t in index).encode())
            for n in range(rows):
                part.write("".join(f"<si><t>{t}</t></si>" for t in unique(n)).encode())
            part.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row>'
            )
            part.write(
                "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in HEADERS).encode()
            )
            part.write(b"</row>")
            for n in range(rows):
                college, grade, klass = classes(n)
                ids = [
                    base + 3 * n,
                    base + 3 * n + 1,
                    index["男" if n % 2 else "女"],
                    index[f"第{college}学院"],
                    index[f"第{college}学院专业{n // 7 % 4}"],
                    index[klass],
                    None,  # 年级: a number
                    index["共青团员"],
                    index["主校区"],
                    base + 3 * n + 2,
                ]
                cells = "".join(
                    f'<c t="s"><v>{i}</v></c>' if i is not None else f"<c><v>{grade}</v></c>"
                    for i in ids
                )
                part.write(f"<row>{cells}</row>".encode())
            part.write(b"</sheetData></worksheet>")


def run_case(label: str, path: Path, folder: Path) -> None:
    size = path.stat().st_size / 1024 / 1024
    env = dict(os.environ)
    env["TUANXUE_VAR_DIR"] = str(folder / label)
    env["DATABASE_URL"] = f"sqlite:///{folder / (label + '.sqlite3')}"
    migrate = MIGRATE.format(src=str(ROOT / "src"))
    subprocess.run([sys.executable, "-c", migrate], env=env, capture_output=True, check=True)
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
        near_cap = folder / "noise.xlsx"
        roster(near_cap, 100_000, noise=320)
        run_case("100,000 students + noise", near_cap, folder)
        cap = folder / "cap.xlsx"
        cap_workbook(cap)
        run_case("upload cap, shared strings", cap, folder)
        return 0
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
