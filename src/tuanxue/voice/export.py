"""A department's demands as a spreadsheet (xlsx): what the office files or hands on.

The student's name and number are in the file only where the viewer may see them (never for a
confidential demand). A cell whose text starts with = + - @, a tab or a carriage return is
written as text, so a spreadsheet never runs it as a formula. Headers are in Chinese.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tuanxue.voice.access import VoiceRights
from tuanxue.voice.models import Demand

RISKY = ("=", "+", "-", "@", "\t", "\r")
HEADER = [
    "编号",
    "标题",
    "内容",
    "类别",
    "承办部门",
    "渠道",
    "状态",
    "提出时间",
    "答复期限",
    "督办级别",
    "附议人数",
    "保密",
    "学生姓名",
    "学号",
    "答复",
    "办理结果",
    "理由",
    "满意度",
]


def _put(sheet, row: int, column: int, value) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(RISKY):
        cell.data_type = "s"


def demands_workbook(demands: list[Demand], rights: VoiceRights) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "诉求"
    for column, title in enumerate(HEADER, start=1):
        sheet.cell(row=1, column=column, value=title).font = Font(bold=True)
    for row, d in enumerate(demands, start=2):
        identity = rights.sees_identity(d)
        values = [
            d.reference,
            d.title,
            d.text,
            d.category.name,
            d.department.name,
            d.get_channel_display(),
            d.get_status_display(),
            timezone.localtime(d.created_at).strftime("%Y-%m-%d %H:%M"),
            d.due_date.isoformat(),
            d.escalation,
            d.supporters,
            "是" if d.confidential else "否",
            d.student.name if identity else "",
            d.student.student_no if identity else "",
            d.answer,
            d.get_closure_display() if d.closure else "",
            d.closure_reason,
            d.rating if d.rating is not None else "",
        ]
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value)
    for index, width in enumerate(
        [9, 24, 40, 10, 12, 10, 10, 16, 11, 8, 8, 6, 10, 12, 40, 10, 20, 8]
    ):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "B2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
