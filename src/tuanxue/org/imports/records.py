"""The academic records import: 学号, 学期, 学习成绩排名, 综合测评排名, 专业人数, 不及格门数.

One row per student and semester. Importing a semester replaces every record of that semester
in the school.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tuanxue.core.errors import DomainError
from tuanxue.core.models import School
from tuanxue.org import services
from tuanxue.org.imports.common import (
    BATCH,
    Plan,
    Progress,
    RowError,
    Table,
    cell_text,
    column_index,
    missing,
    parse_int,
    preview_of,
    row_values,
    tick,
)
from tuanxue.org.models import AcademicRecord, Student

REQUIRED = ("学号", "学期", "学习成绩排名", "综合测评排名", "专业人数", "不及格门数")
# PositiveSmallIntegerField / PositiveIntegerField limits, so every database accepts the row.
MAX_FAILED = 32767
MAX_SIZE = 2_147_483_647


@dataclass
class RecordRow:
    student_id: int
    semester: str
    study_rank: int
    assessment_rank: int
    major_size: int
    failed_courses: int


def check(school: School, table: Table, progress: Progress | None = None) -> Plan:
    index, errors = column_index(table, REQUIRED)
    columns = list(REQUIRED)
    plan = Plan(kind="records", rows=len(table.rows), columns=columns)
    if errors:
        plan.errors = errors
        return plan
    plan.preview = preview_of(table, columns, index)
    students = dict(Student.objects.filter(school=school).values_list("student_no", "pk"))
    seen: dict[tuple[str, str], int] = {}
    semesters_ok: dict[str, bool] = {}
    parsed: list[RecordRow] = []
    report = tick(progress, "validate", len(table.rows))
    for done, (number, raw) in enumerate(table.rows, start=1):
        values = {name: cell_text(v) for name, v in row_values(raw, index).items()}
        row_errors: list[RowError] = []
        for name in REQUIRED:
            if not values[name]:
                row_errors.append(missing(number, name))
        student_no, semester = values["学号"], values["学期"]
        student_id = students.get(student_no)
        if student_no and student_id is None:
            row_errors.append(
                RowError(
                    number,
                    _("Row %(row)s: there is no student with %(column)s %(value)s in this school")
                    % {"row": number, "column": "学号", "value": student_no},
                )
            )
        if semester:
            if semester not in semesters_ok:
                try:
                    services.parse_semester_code(semester)
                    semesters_ok[semester] = True
                except DomainError:
                    semesters_ok[semester] = False
            if not semesters_ok[semester]:
                row_errors.append(
                    RowError(
                        number,
                        _("Row %(row)s: %(column)s must look like 2019-2020-2, not “%(value)s”")
                        % {"row": number, "column": "学期", "value": semester},
                    )
                )
        if student_no and semester:
            first = seen.setdefault((student_no, semester), number)
            if first != number:
                row_errors.append(
                    RowError(
                        number,
                        _(
                            "Row %(row)s: student %(student)s already has a row for semester "
                            "%(semester)s (row %(first)s)"
                        )
                        % {
                            "row": number,
                            "student": student_no,
                            "semester": semester,
                            "first": first,
                        },
                    )
                )
        numbers = _numbers(number, values, row_errors)
        if row_errors:
            errors.extend(row_errors)
        elif numbers is not None:
            parsed.append(RecordRow(student_id, semester, *numbers))
        report(done)
    plan.errors = errors
    if errors:
        return plan
    return _plan_writes(plan, school, parsed)


def _numbers(
    number: int, values: dict[str, str], errors: list[RowError]
) -> tuple[int, int, int, int] | None:
    found = {}
    for name in ("专业人数", "学习成绩排名", "综合测评排名", "不及格门数"):
        if values[name]:
            found[name] = parse_int(number, name, values[name], errors)
    size = found.get("专业人数")
    if size is not None and not 1 <= size <= MAX_SIZE:
        errors.append(
            RowError(
                number,
                _("Row %(row)s: %(column)s must be at least 1, not %(value)s")
                % {"row": number, "column": "专业人数", "value": size},
            )
        )
        size = None
    for name in ("学习成绩排名", "综合测评排名"):
        rank = found.get(name)
        if rank is None:
            continue
        if rank < 1 or (size is not None and rank > size):
            errors.append(
                RowError(
                    number,
                    _(
                        "Row %(row)s: %(column)s must be between 1 and %(size)s (专业人数), not %(value)s"
                    )
                    % {
                        "row": number,
                        "column": name,
                        "size": size if size is not None else "?",
                        "value": rank,
                    },
                )
            )
    failed = found.get("不及格门数")
    if failed is not None and not 0 <= failed <= MAX_FAILED:
        errors.append(
            RowError(
                number,
                _("Row %(row)s: %(column)s must be 0 or more, not %(value)s")
                % {"row": number, "column": "不及格门数", "value": failed},
            )
        )
    if len(found) < 4 or None in found.values():
        return None
    return (
        found["学习成绩排名"],
        found["综合测评排名"],
        found["专业人数"],
        found["不及格门数"],
    )


def _plan_writes(plan: Plan, school: School, parsed: list[RecordRow]) -> Plan:
    codes = sorted({item.semester for item in parsed})
    existing = AcademicRecord.objects.filter(school=school, semester__code__in=codes).count()
    plan.counts = {
        "records_created": len(parsed),
        "records_replaced": existing,
        "semesters": len(codes),
    }
    plan.details = {"semesters": codes}

    def write(*, actor, progress: Progress | None = None) -> dict[str, int]:
        semesters = {
            code: services.semester_ensure(actor=actor, school=school, code=code) for code in codes
        }
        replaced, _per_model = AcademicRecord.objects.filter(
            school=school, semester__in=list(semesters.values())
        ).delete()
        total = len(parsed)
        for start in range(0, total, BATCH):
            AcademicRecord.objects.bulk_create(
                [
                    AcademicRecord(
                        school=school,
                        student_id=item.student_id,
                        semester=semesters[item.semester],
                        study_rank=item.study_rank,
                        assessment_rank=item.assessment_rank,
                        major_size=item.major_size,
                        failed_courses=item.failed_courses,
                    )
                    for item in parsed[start : start + BATCH]
                ]
            )
            if progress is not None:
                progress("write", min(start + BATCH, total), total)
        return {**plan.counts, "records_replaced": replaced}

    plan.write = write
    return plan
