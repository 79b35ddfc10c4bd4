"""The staff import: 工号, 姓名, 部门, 手机 [, 邮箱].

A staff member already in the school (same 工号) is updated, a new one created. When 部门 is the
name of one of the school's colleges, the record is tied to that college.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from tuanxue.core.models import School
from tuanxue.org.imports.common import (
    BATCH,
    Plan,
    Progress,
    RowError,
    Table,
    cell_text,
    column_index,
    missing,
    preview_of,
    row_values,
    tick,
    too_long,
)
from tuanxue.org.models import College, StaffPerson

REQUIRED = ("工号", "姓名", "部门", "手机")
OPTIONAL = ("邮箱",)
MAX_LENGTH = {"工号": 20, "姓名": 50, "部门": 80, "邮箱": 254}
# A mobile number, or an office line such as 020-12345678.
PHONE = re.compile(r"^(1[3-9]\d{9}|(0\d{2,3}-?)?\d{7,8})$")
FIELDS = ("name", "unit", "phone", "email", "college_id")


def clean_phone(text: str) -> str:
    return re.sub(r"[\s()（）]", "", text)


def check(school: School, table: Table, progress: Progress | None = None) -> Plan:
    index, errors = column_index(table, REQUIRED, OPTIONAL)
    columns = [c for c in (*REQUIRED, *OPTIONAL) if c in index]
    plan = Plan(kind="staff", rows=len(table.rows), columns=columns)
    if errors:
        plan.errors = errors
        return plan
    plan.preview = preview_of(table, columns, index)
    existing = {s.staff_no: s for s in StaffPerson.objects.filter(school=school)}
    colleges = dict(College.objects.filter(school=school).values_list("name", "pk"))
    seen: dict[str, int] = {}
    parsed: list[dict] = []
    report = tick(progress, "validate", len(table.rows))
    for done, (number, raw) in enumerate(table.rows, start=1):
        values = {name: cell_text(v) for name, v in row_values(raw, index).items()}
        row_errors = _check_row(number, values, seen)
        if row_errors:
            errors.extend(row_errors)
        else:
            parsed.append(
                {
                    "staff_no": values["工号"],
                    "name": values["姓名"],
                    "unit": values["部门"],
                    "phone": clean_phone(values["手机"]),
                    "email": values.get("邮箱", "").lower(),
                    "college_id": colleges.get(values["部门"]),
                }
            )
        report(done)
    plan.errors = errors
    if errors:
        return plan
    creates, updates, unchanged = [], [], 0
    for item in parsed:
        person = existing.get(item["staff_no"])
        if person is None:
            creates.append(StaffPerson(school=school, **item))
            continue
        # A blank 邮箱 keeps the e-mail already on record.
        if not item["email"]:
            item["email"] = person.email
        if item["college_id"] is None:
            item["college_id"] = person.college_id
        if any(getattr(person, name) != item[name] for name in FIELDS):
            for name in FIELDS:
                setattr(person, name, item[name])
            updates.append(person)
        else:
            unchanged += 1
    plan.counts = {
        "staff_created": len(creates),
        "staff_updated": len(updates),
        "staff_unchanged": unchanged,
    }
    plan.details = {"staff": [p.staff_no for p in creates]}

    def write(*, actor, progress: Progress | None = None) -> dict[str, int]:
        StaffPerson.objects.bulk_create(creates, batch_size=BATCH)
        StaffPerson.objects.bulk_update(updates, list(FIELDS), batch_size=BATCH)
        if progress is not None:
            total = len(creates) + len(updates)
            progress("write", total, total)
        return dict(plan.counts)

    plan.write = write
    return plan


def _check_row(number: int, values: dict[str, str], seen: dict[str, int]) -> list[RowError]:
    errors: list[RowError] = []
    for name in REQUIRED:
        if not values[name]:
            errors.append(missing(number, name))
    for name, limit in MAX_LENGTH.items():
        if len(values.get(name, "")) > limit:
            errors.append(too_long(number, name, limit))
    staff_no = values["工号"]
    if staff_no:
        if staff_no in seen:
            errors.append(
                RowError(
                    number,
                    _("Row %(row)s: %(column)s %(value)s repeats row %(first)s")
                    % {"row": number, "column": "工号", "value": staff_no, "first": seen[staff_no]},
                )
            )
        else:
            seen[staff_no] = number
    phone = values["手机"]
    if phone and not PHONE.match(clean_phone(phone)):
        errors.append(
            RowError(
                number,
                _(
                    "Row %(row)s: %(column)s must be a mobile number or an office line "
                    "such as 020-12345678, not “%(value)s”"
                )
                % {"row": number, "column": "手机", "value": phone},
            )
        )
    email = values.get("邮箱", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                RowError(
                    number,
                    _("Row %(row)s: %(column)s is not an e-mail address: “%(value)s”")
                    % {"row": number, "column": "邮箱", "value": email},
                )
            )
    return errors
