"""Builders the org tests share: one place, so no test module imports another."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tuanxue.core.models import AuditEvent
from tuanxue.org.imports import import_file
from tuanxue.org.models import (
    AcademicRecord,
    ClassGroup,
    College,
    Department,
    Major,
    Membership,
    Student,
)


def upload(client, kit, path, kind="students"):
    with open(path, "rb") as handle:
        return client.post(
            reverse("org:imports", args=[kit.school.code]),
            {"kind": kind, "file": SimpleUploadedFile(path.name, handle.read())},
        )


STUDENT_HEADERS = [
    "学号",
    "姓名",
    "性别",
    "学院",
    "专业",
    "班级",
    "年级",
    "政治面貌",
    "校区",
    "手机",
]


RECORD_HEADERS = ["学号", "学期", "学习成绩排名", "综合测评排名", "专业人数", "不及格门数"]


MEMBERSHIP_HEADERS = ["学号", "组织", "部门", "职务", "任职开始", "任职结束"]


def student_row(
    n: int,
    *,
    name: str | None = None,
    gender: str = "女",
    college: str = "机电学院",
    major: str = "数控技术",
    class_name: str = "数控2101",
    grade: object = 2021,
    status: str = "共青团员",
    campus: str = "南校区",
    phone: object = None,
) -> list:
    return [
        f"2021{n:06d}",
        name or f"学生{n}",
        gender,
        college,
        major,
        class_name,
        grade,
        status,
        campus,
        phone if phone is not None else f"139{n:08d}",
    ]


def student_rows(count: int, start: int = 1) -> list[list]:
    rows = []
    for n in range(start, start + count):
        klass = n % 3
        rows.append(
            student_row(
                n,
                gender="男" if n % 2 else "女",
                college=["机电学院", "机电学院", "经管学院"][klass],
                major=["数控技术", "机器人技术", "会计"][klass],
                class_name=["数控2101", "机器人2101", "会计2101"][klass],
            )
        )
    return rows


def write_xlsx(path: Path, headers: list, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, headers: list, rows: list[list], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def run_import(school, kind: str, path: Path, *, dry_run: bool = False, actor=None):
    return import_file(
        actor=actor,
        school=school,
        kind=kind,
        filename=path.name,
        content=path.read_bytes(),
        dry_run=dry_run,
    )


def counts() -> dict[str, int]:
    return {
        "students": Student.objects.count(),
        "colleges": College.objects.count(),
        "majors": Major.objects.count(),
        "classes": ClassGroup.objects.count(),
        "records": AcademicRecord.objects.count(),
        "memberships": Membership.objects.count(),
        "departments": Department.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def messages(outcome) -> list[str]:
    return [e.message for e in outcome.plan.errors]


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)


ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def handmade_xlsx(sheet_data: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal workbook whose one sheet holds ``sheet_data`` (the rows' XML)."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + sheet_data + b"</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()
