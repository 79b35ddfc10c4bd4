"""The ledger as a spreadsheet for the comprehensive assessment (综合测评), per class or college.

The headers are in Chinese whatever the page language: the file goes to the assessment
office, whose templates expect these column names.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tuanxue.core.documents.exports import xlsx_append
from tuanxue.ledger.selectors import ZERO, assessment_rows

CATEGORY_ZH = {
    "activity": "活动",
    "volunteer": "志愿服务",
    "union_post": "学生会任职",
    "review": "述职评议",
    "correction": "更正",
}
UNIT_ZH = {"hours": "学时", "points": "分"}


def column_title(category: str, unit: str, *, certified: bool = False) -> str:
    label = f"{CATEGORY_ZH.get(category, category)}（{UNIT_ZH.get(unit, unit)}）"
    return f"已认证·{label}" if certified else label


def assessment_workbook(students, *, title: str) -> bytes:
    """One row per student: 学号, 姓名, 班级, the total per category and unit, then the
    certified total per category and unit. Returns the xlsx bytes."""
    columns, rows = assessment_rows(students)
    book = Workbook()
    sheet = book.active
    sheet.title = "第二课堂"
    header = ["学号", "姓名", "班级"]
    header += [column_title(cat, unit) for cat, unit in columns]
    header += [column_title(cat, unit, certified=True) for cat, unit in columns]
    xlsx_append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        student = row.student
        values = [student.student_no, student.name, student.class_group.name]
        values += [float(row.totals.get(key, ZERO)) for key in columns]
        values += [float(row.certified.get(key, ZERO)) for key in columns]
        xlsx_append(sheet, values)
    for index, _ in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 14 if index > 3 else 16
    sheet.freeze_panes = "D2"
    book.properties.title = title[:200]
    out = BytesIO()
    book.save(out)
    return out.getvalue()
