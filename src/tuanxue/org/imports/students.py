"""The student roster import: 学号, 姓名, 性别, 学院, 专业, 班级, 年级, 政治面貌 [, 校区, 手机].

Unknown colleges, majors and classes are created; a student already in the school (same 学号) is
updated, a new one created. Everything is checked in memory against data fetched once.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.models import School
from tuanxue.org.imports.common import (
    Plan,
    Progress,
    RowError,
    Table,
    cell_text,
    column_index,
    missing,
    not_one_of,
    preview_of,
    row_values,
    tick,
    too_long,
)
from tuanxue.org.imports.students_write import (
    Registry,
    StudentRow,
    differences,
    write_students,
)
from tuanxue.org.models import (
    Gender,
    PoliticalStatus,
)

REQUIRED = ("学号", "姓名", "性别", "学院", "专业", "班级", "年级", "政治面貌")
OPTIONAL = ("校区", "手机")
GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE}
POLITICAL = {
    "中共党员": PoliticalStatus.PARTY_MEMBER,
    "中共预备党员": PoliticalStatus.PARTY_PROBATIONARY,
    "共青团员": PoliticalStatus.LEAGUE_MEMBER,
    "群众": PoliticalStatus.MASSES,
}
# Other spellings colleges' rosters use for the same values. Anything else is still refused.
GENDER_SPELLINGS = {"男性": "男", "女性": "女"}
POLITICAL_SPELLINGS = {
    "党员": "中共党员",
    "中国共产党党员": "中共党员",
    "预备党员": "中共预备党员",
    "团员": "共青团员",
    "中国共产主义青年团团员": "共青团员",
    "共青团团员": "共青团员",
}
# A grade written as the year of entry, optionally followed by 级: 2023, 2023级, ２０２３级.
GRADE = re.compile(r"^(\d{4})\s*级?$")
MAX_LENGTH = {"学号": 20, "姓名": 50, "学院": 60, "专业": 80, "班级": 80, "校区": 40}
MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Columns read with full-width digits, letters and spaces made plain (NFKC), inner spaces dropped
# where no value has them.
NARROWED = ("学号", "性别", "年级", "政治面貌", "手机")


def narrow(text: str) -> str:
    """Full-width digits and letters as plain ones; no spaces at all (学号, 年级, 政治面貌…)."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if " " in text or "\t" in text:
        text = re.sub(r"\s+", "", text)
    return text


FIRST_GRADE = 1980


def check(school: School, table: Table, progress: Progress | None = None) -> Plan:
    index, errors = column_index(table, REQUIRED, OPTIONAL)
    columns = [c for c in (*REQUIRED, *OPTIONAL) if c in index]
    plan = Plan(kind="students", rows=len(table.rows), columns=columns)
    if errors:
        plan.errors = errors
        return plan
    plan.preview = preview_of(table, columns, index)
    registry = Registry.load(school)
    this_year = timezone.localdate().year
    seen: dict[str, int] = {}
    class_home: dict[str, tuple[str, str, int]] = {}
    parsed: list[StudentRow] = []
    report = tick(progress, "validate", len(table.rows))
    for done, (number, raw) in enumerate(table.rows, start=1):
        values = {name: cell_text(v) for name, v in row_values(raw, index).items()}
        for name in NARROWED:
            if name in values:
                values[name] = narrow(values[name])
        row_errors: list[RowError] = []
        for name in REQUIRED:
            if not values[name]:
                row_errors.append(missing(number, name))
        for name, limit in MAX_LENGTH.items():
            if len(values.get(name, "")) > limit:
                row_errors.append(too_long(number, name, limit))
        student_no = values["学号"]
        if student_no:
            if student_no in seen:
                row_errors.append(
                    RowError(
                        number,
                        _("Row %(row)s: %(column)s %(value)s repeats row %(first)s")
                        % {
                            "row": number,
                            "column": "学号",
                            "value": student_no,
                            "first": seen[student_no],
                        },
                    )
                )
            else:
                seen[student_no] = number
        gender = GENDER_SPELLINGS.get(values["性别"], values["性别"])
        if gender and gender not in GENDERS:
            row_errors.append(not_one_of(number, "性别", gender, GENDERS))
        status = POLITICAL_SPELLINGS.get(values["政治面貌"], values["政治面貌"])
        if status and status not in POLITICAL:
            row_errors.append(not_one_of(number, "政治面貌", status, POLITICAL))
        grade = _grade(number, values["年级"], this_year, row_errors)
        phone = re.sub(r"[\s-]", "", values.get("手机", ""))
        if phone and not MOBILE.match(phone):
            row_errors.append(
                RowError(
                    number,
                    _("Row %(row)s: %(column)s must be an 11-digit mobile number, not “%(value)s”")
                    % {"row": number, "column": "手机", "value": values["手机"]},
                )
            )
        college, major, class_name = values["学院"], values["专业"], values["班级"]
        if college and major and class_name:
            _check_class(
                number, college, major, class_name, grade, registry, class_home, row_errors
            )
        if row_errors:
            errors.extend(row_errors)
        else:
            parsed.append(
                StudentRow(
                    row=number,
                    student_no=student_no,
                    name=values["姓名"],
                    gender=GENDERS[gender],
                    college=college,
                    major=major,
                    class_name=class_name,
                    grade=grade,
                    political_status=POLITICAL[status],
                    campus=values.get("校区", ""),
                    phone=phone,
                )
            )
        report(done)
    plan.errors = errors
    if errors:
        return plan
    return _plan_writes(plan, school, registry, parsed, class_home)


def _grade(number: int, text: str, this_year: int, errors: list[RowError]) -> int:
    if not text:
        return 0
    match = GRADE.match(text)
    if match and FIRST_GRADE <= int(match.group(1)) <= this_year + 1:
        return int(match.group(1))
    errors.append(
        RowError(
            number,
            _(
                "Row %(row)s: %(column)s must be the year of entry, "
                "%(first)s to %(last)s, not “%(value)s”"
            )
            % {
                "row": number,
                "column": "年级",
                "first": FIRST_GRADE,
                "last": this_year + 1,
                "value": text,
            },
        )
    )
    return 0


def _check_class(
    number: int,
    college: str,
    major: str,
    class_name: str,
    grade: int,
    registry: Registry,
    class_home: dict[str, tuple[str, str, int]],
    errors: list[RowError],
) -> None:
    existing = registry.classes.get(class_name)
    if existing is not None:
        if (existing.college.name, existing.major.name) != (college, major):
            errors.append(
                RowError(
                    number,
                    _(
                        "Row %(row)s: class %(class)s belongs to %(college)s / %(major)s "
                        "in the registry, not %(given_college)s / %(given_major)s"
                    )
                    % {
                        "row": number,
                        "class": class_name,
                        "college": existing.college.name,
                        "major": existing.major.name,
                        "given_college": college,
                        "given_major": major,
                    },
                )
            )
        return
    first = class_home.setdefault(class_name, (college, major, number))
    if first[:2] != (college, major):
        errors.append(
            RowError(
                number,
                _(
                    "Row %(row)s: class %(class)s is listed under %(college)s / %(major)s "
                    "in row %(first)s, not %(given_college)s / %(given_major)s"
                )
                % {
                    "row": number,
                    "class": class_name,
                    "college": first[0],
                    "major": first[1],
                    "first": first[2],
                    "given_college": college,
                    "given_major": major,
                },
            )
        )


def _plan_writes(
    plan: Plan,
    school: School,
    registry: Registry,
    parsed: list[StudentRow],
    class_home: dict[str, tuple[str, str, int]],
) -> Plan:
    new_colleges: list[str] = []
    new_majors: list[tuple[str, str]] = []
    new_classes: dict[str, tuple[str, str, int]] = {}
    creates: list[StudentRow] = []
    updates: list[StudentRow] = []
    changes: dict[str, dict[str, list]] = {}
    unchanged = 0
    for item in parsed:
        if item.college not in registry.colleges and item.college not in new_colleges:
            new_colleges.append(item.college)
        key = (item.college, item.major)
        if key not in registry.majors and key not in new_majors:
            new_majors.append(key)
        if item.class_name not in registry.classes and item.class_name not in new_classes:
            new_classes[item.class_name] = (item.college, item.major, item.grade)
        existing = registry.students.get(item.student_no)
        if existing is None:
            creates.append(item)
            continue
        changed = differences(existing, item, registry)
        if changed:
            updates.append(item)
            changes[item.student_no] = changed
        else:
            unchanged += 1
    plan.counts = {
        "students_created": len(creates),
        "students_updated": len(updates),
        "students_unchanged": unchanged,
        "colleges_created": len(new_colleges),
        "majors_created": len(new_majors),
        "classes_created": len(new_classes),
    }
    plan.details = {
        "colleges": new_colleges,
        "majors": [f"{college}/{name}" for college, name in new_majors],
        "classes": [
            {"name": name, "college": college, "major": major, "grade": grade}
            for name, (college, major, grade) in new_classes.items()
        ],
        "created": [item.student_no for item in creates],
    }
    plan.changes = changes

    def write(*, actor, progress: Progress | None = None) -> dict[str, int]:
        write_students(
            school=school,
            actor=actor,
            registry=registry,
            new_colleges=new_colleges,
            new_majors=new_majors,
            new_classes=new_classes,
            creates=creates,
            updates=updates,
            progress=progress,
        )
        return dict(plan.counts)

    plan.write = write
    return plan
