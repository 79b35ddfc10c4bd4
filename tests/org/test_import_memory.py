"""Memory of an import at the upload cap, and the 600,000-row upload through the page.

The big workbook is written by a streaming writer (its XML parts go straight into the zip), so it
takes seconds to build: 100,000 students (the row limit) with a column of random text the import
ignores, a real .xlsx that Excel would open, with shared strings, at close to the 50 MB upload
cap and 100 MB unpacked. The import runs in a fresh child process on a throwaway SQLite database,
and the child's peak resident memory (``ru_maxrss``) must stay at or under 200 MB.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from tests.org.test_import_limits import (
    CONTENT_TYPES,
    ROOT_RELS,
    WORKBOOK,
    WORKBOOK_RELS,
    handmade_xlsx,
)
from tests.org.test_imports import counts
from tuanxue.org.models import ImportJob, ImportStatus, Role

ROOT = Path(__file__).resolve().parents[2]
HEADERS = ["学号", "姓名", "性别", "学院", "专业", "班级", "年级", "政治面貌", "校区", "备注"]
MB = 1024 * 1024
SST_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
SST_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def cap_workbook(path: Path, rows: int = 100_000, noise: int = 560) -> None:
    """A roster whose data strings are shared strings (as Excel saves them; the header row is
    inline), with a column of ``noise`` random characters per row that compresses badly,
    written part by part."""
    block = base64.b64encode(os.urandom(rows * noise * 3 // 4 + 3))
    fixed = ["男", "女", "共青团员", "主校区", *[f"第{c}学院" for c in range(12)]]
    fixed += [f"第{c}学院专业{m}" for c in range(12) for m in range(4)]
    index = {text: i for i, text in enumerate(fixed)}

    def classes(n):
        college, grade = n % 12, 2020 + n % 4
        return college, grade, f"{college:02d}{n // 7 % 4}{grade % 100}{n // 40 % 5:02d}班"

    class_names = sorted({classes(n)[2] for n in range(rows)})
    for name in class_names:
        index[name] = len(index)
    base = len(index)  # then per row: 学号, 姓名, 备注

    def unique(n):
        _college, grade, _klass = classes(n)
        return (
            f"{grade}{n:06d}",
            f"学生{n}",
            block[n * noise : (n + 1) * noise].decode(),
        )

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.replace("</Types>", SST_TYPE))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr(
            "xl/_rels/workbook.xml.rels", WORKBOOK_RELS.replace("</Relationships>", SST_REL)
        )
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
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            part.write(b"<row>" + _inline_cells(HEADERS) + b"</row>")
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


def _inline_cells(values: list[str]) -> bytes:
    return "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values).encode()


CHILD = textwrap.dedent(
    """
    import os, resource, sys, json
    sys.path.insert(0, {src!r})
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuanxue.settings"
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from tuanxue.org import services
    from tuanxue.org.imports import import_file
    from tuanxue.org.models import Student
    school = services.school_add(actor=None, code="mem", name="内存测试学院")
    outcome = import_file(actor=None, school=school, kind="students",
                          filename="roster.xlsx", content={path!r})
    print(json.dumps({{
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ok": outcome.ok,
        "errors": [e.message for e in outcome.plan.errors[:3]],
        "students": Student.objects.count(),
    }}))
    """
)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "the bound is not met yet: 321 MB measured with python-calamine (the sheet and its shared "
        "strings built whole) and 265 MB with a row-by-row reader; see docs/imports.md"
    ),
)
def test_an_import_at_the_upload_cap_stays_under_200_mb(tmp_path):
    import json

    path = tmp_path / "roster.xlsx"
    cap_workbook(path)
    size = path.stat().st_size
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    # Close to the caps: 40-50 MB uploaded, under the 100 MB unpacked limit.
    assert 40 * MB < size <= 50 * MB, size / MB
    assert 80 * MB < unpacked <= 100 * MB, unpacked / MB
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'mem.sqlite3'}"
    env["TUANXUE_VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(src=str(ROOT / "src"), path=str(path))],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"], report["errors"]
    assert report["students"] == 100_000
    assert report["peak_mb"] <= 200, report


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_600000_row_upload_is_refused_by_the_row_limit_and_writes_nothing(
    client, kit, media_in_tmp
):
    """Through the upload page: a small file whose sheet holds 600,000 rows is refused at
    once with the limit named, and nothing is imported."""
    row = b'<row><c t="inlineStr"><is><t>1</t></is></c><c t="n"><v>2</v></c></row>'
    content = handmade_xlsx(row * 600_000)
    assert len(content) < 400 * 1024
    client.force_login(kit.user("registrar", role=Role.SCHOOL_LEAGUE))
    before = counts()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("org:imports", kwargs={"school": kit.school.code}),
        {"kind": "students", "file": SimpleUploadedFile("600k.xlsx", content)},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REFUSED
    [error] = job.errors
    assert "100000" in error["message"] and "IMPORT_MAX_ROWS" in error["message"]
    page = client.get(response.url)
    assert "IMPORT_MAX_ROWS" in page.content.decode()
    after = counts()
    # Only the refused job's audit trail may differ; no student, class or college was written.
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }
