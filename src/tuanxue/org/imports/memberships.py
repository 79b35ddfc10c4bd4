"""The union memberships import: 学号, 组织, 部门, 职务, 任职开始 [, 任职结束].

Legacy posts load as they were: charter limits (how many ministers, terms) are not enforced
here. A post already in the registry (same student, body, title and start) is matched, and an end
date in the file closes it. A department unknown in an existing union is created.
"""

from __future__ import annotations

import datetime as dt
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
    not_one_of,
    parse_date,
    preview_of,
    row_values,
    tick,
    too_long,
)
from tuanxue.org.models import BodyKind, Department, EndReason, Membership, Student, Title, Union

REQUIRED = ("学号", "组织", "部门", "职务", "任职开始")
OPTIONAL = ("任职结束",)
TITLES = {
    "执行主席": Title.EXECUTIVE_CHAIR,
    "主席团成员": Title.PRESIDIUM_MEMBER,
    "主席": Title.CHAIR,
    "副主席": Title.VICE_CHAIR,
    "部长": Title.MINISTER,
    "副部长": Title.VICE_MINISTER,
    "干事": Title.STAFF,
    "工作人员": Title.STAFF,
}
SOURCE = "import"


@dataclass
class PostRow:
    row: int
    student_no: str
    student_id: int
    union: Union
    body_name: str
    title: str
    start: dt.date
    end: dt.date | None

    @property
    def identity(self) -> tuple:
        return (self.student_id, self.union.pk, self.body_name, self.title, self.start)


def check(school: School, table: Table, progress: Progress | None = None) -> Plan:
    index, errors = column_index(table, REQUIRED, OPTIONAL)
    columns = [c for c in (*REQUIRED, *OPTIONAL) if c in index]
    plan = Plan(kind="memberships", rows=len(table.rows), columns=columns)
    if errors:
        plan.errors = errors
        return plan
    plan.preview = preview_of(table, columns, index)
    students = dict(Student.objects.filter(school=school).values_list("student_no", "pk"))
    unions = {u.name: u for u in Union.objects.filter(school=school)}
    bodies = {(d.union_id, d.name): d for d in Department.objects.filter(union__school=school)}
    parsed: list[PostRow] = []
    report = tick(progress, "validate", len(table.rows))
    for done, (number, raw) in enumerate(table.rows, start=1):
        row_errors: list[RowError] = []
        item = _parse(number, row_values(raw, index), students, unions, bodies, row_errors)
        if row_errors:
            errors.extend(row_errors)
        elif item is not None:
            parsed.append(item)
        report(done)
    existing = {}
    body_names = {d.pk: d.name for d in bodies.values()}
    for post in Membership.objects.filter(school=school).select_related("union"):
        key = (post.student_id, post.union_id, body_names[post.body_id], post.title, post.start)
        existing[key] = post
    creates, updates, unchanged = _match(parsed, existing, errors)
    plan.errors = errors
    if errors:
        return plan
    new_bodies = sorted(
        {(p.union.pk, p.body_name) for p in creates if (p.union.pk, p.body_name) not in bodies}
    )
    plan.counts = {
        "memberships_created": len(creates),
        "memberships_updated": len(updates),
        "memberships_unchanged": unchanged,
        "departments_created": len(new_bodies),
    }
    union_by_id = {u.pk: u for u in unions.values()}
    plan.details = {"departments": [f"{union_by_id[u].name}{name}" for u, name in new_bodies]}

    def write(*, actor, progress: Progress | None = None) -> dict[str, int]:
        for union_id, name in new_bodies:
            bodies[(union_id, name)] = services.department_create(
                actor=actor, union=union_by_id[union_id], name=name
            )
        Membership.objects.bulk_update(updates, ["end", "end_reason"], batch_size=BATCH)
        Membership.objects.bulk_create(
            [
                Membership(
                    school=school,
                    union=item.union,
                    body=bodies[(item.union.pk, item.body_name)],
                    student_id=item.student_id,
                    title=item.title,
                    start=item.start,
                    end=item.end,
                    end_reason=EndReason.TERM_END if item.end else "",
                    source=SOURCE,
                )
                for item in creates
            ],
            batch_size=BATCH,
        )
        if progress is not None:
            progress("write", len(creates) + len(updates), len(creates) + len(updates))
        return dict(plan.counts)

    plan.write = write
    return plan


def _parse(
    number: int,
    raw: dict,
    students: dict[str, int],
    unions: dict[str, Union],
    bodies: dict[tuple[int, str], Department],
    errors: list[RowError],
) -> PostRow | None:
    values = {name: cell_text(v) for name, v in raw.items()}
    for name in REQUIRED:
        if not values[name]:
            errors.append(missing(number, name))
    student_no = values["学号"]
    student_id = students.get(student_no)
    if student_no and student_id is None:
        errors.append(
            RowError(
                number,
                _("Row %(row)s: there is no student with %(column)s %(value)s in this school")
                % {"row": number, "column": "学号", "value": student_no},
            )
        )
    union = unions.get(values["组织"])
    if values["组织"] and union is None:
        errors.append(
            RowError(
                number,
                _(
                    "Row %(row)s: there is no union named %(value)s; write %(school_union)s "
                    "or a college's union such as %(example)s"
                )
                % {
                    "row": number,
                    "value": values["组织"],
                    "school_union": services.SCHOOL_UNION_NAME,
                    "example": services.college_union_name("信息学院"),
                },
            )
        )
    body_name = values["部门"]
    if len(body_name) > 40:
        errors.append(too_long(number, "部门", 40))
    title_text = values["职务"]
    title = TITLES.get(title_text)
    if title_text and title is None:
        errors.append(not_one_of(number, "职务", title_text, TITLES))
    if union is not None and body_name and title is not None:
        body = bodies.get((union.pk, body_name))
        if body is None:
            # A department this import will create; the presidium always exists already.
            body = Department(union=union, kind=BodyKind.DEPARTMENT, name=body_name)
        try:
            services.check_title_fits_body(title=title, body=body)
        except DomainError as exc:
            errors.append(
                RowError(
                    number,
                    _("Row %(row)s: %(reason)s") % {"row": number, "reason": exc.message},
                )
            )
    start = end = None
    if values["任职开始"]:
        start = parse_date(number, "任职开始", raw["任职开始"], errors)
    if values.get("任职结束"):
        end = parse_date(number, "任职结束", raw["任职结束"], errors)
    if start is not None and end is not None and end < start:
        errors.append(
            RowError(
                number,
                _("Row %(row)s: %(end)s is before %(start)s")
                % {"row": number, "end": "任职结束", "start": "任职开始"},
            )
        )
    if (
        student_id is None
        or union is None
        or not body_name
        or title is None
        or start is None
        or errors
    ):
        return None
    return PostRow(number, student_no, student_id, union, body_name, title, start, end)


def _match(
    parsed: list[PostRow], existing: dict[tuple, Membership], errors: list[RowError]
) -> tuple[list[PostRow], list[Membership], int]:
    """Split rows into new posts, posts to close and unchanged ones; check open-post overlaps."""
    creates: list[PostRow] = []
    updates: list[Membership] = []
    unchanged = 0
    first_row: dict[tuple, int] = {}
    closing: set[int] = set()
    for item in parsed:
        first = first_row.setdefault(item.identity, item.row)
        if first != item.row:
            errors.append(
                RowError(
                    item.row,
                    _("Row %(row)s: the same post is already listed in row %(first)s")
                    % {"row": item.row, "first": first},
                )
            )
            continue
        post = existing.get(item.identity)
        if post is None:
            creates.append(item)
        elif item.end is not None and post.end != item.end:
            if post.end is None:
                closing.add(post.pk)
            post.end = item.end
            post.end_reason = post.end_reason or EndReason.TERM_END
            updates.append(post)
        else:
            unchanged += 1
    # At most one open post per student and union, counting what stays open in the registry.
    holders: dict[tuple[int, int], Membership | PostRow] = {
        (post.student_id, post.union_id): post
        for post in existing.values()
        if post.end is None and post.pk not in closing
    }
    for item in creates:
        if item.end is not None:
            continue
        key = (item.student_id, item.union.pk)
        holder = holders.setdefault(key, item)
        if holder is item:
            continue
        if isinstance(holder, PostRow):
            message = _(
                "Row %(row)s: student %(student)s also has an open post in %(union)s in row "
                "%(first)s; give one of them an end date (任职结束)"
            ) % {
                "row": item.row,
                "student": item.student_no,
                "union": item.union.name,
                "first": holder.row,
            }
        else:
            message = _(
                "Row %(row)s: student %(student)s already holds %(title)s in %(union)s since "
                "%(start)s; give one of the posts an end date (任职结束)"
            ) % {
                "row": item.row,
                "student": item.student_no,
                "title": holder.get_title_display(),
                "union": item.union.name,
                "start": holder.start.isoformat(),
            }
        errors.append(RowError(item.row, message))
    return creates, updates, unchanged
