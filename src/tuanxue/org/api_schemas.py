"""Shapes of the organisation API's responses."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from tuanxue.core.api.errors import ErrorOut

__all__ = ["ErrorOut"]  # the API's one error shape, imported from here by older modules


class ChoiceOut(Schema):
    """A coded value with its label in the request's language."""

    code: str
    label: str


class NamedRef(Schema):
    id: int
    name: str


class StudentRef(Schema):
    """A student as others see them; ``student_no`` only for viewers allowed personal data."""

    id: int
    name: str
    student_no: str | None


class SchoolOut(Schema):
    code: str
    name: str


class SchoolDetailOut(Schema):
    code: str
    name: str
    union_id: int | None
    college_count: int
    class_count: int
    student_count: int


class CollegeOut(Schema):
    id: int
    name: str
    order: int
    union_id: int | None
    class_count: int
    student_count: int


class ClassOut(Schema):
    id: int
    name: str
    grade: int
    college: NamedRef
    major: NamedRef
    student_count: int


class UnionOut(Schema):
    id: int
    name: str
    level: str  # "school" or "college"
    school: str
    college: NamedRef | None
    staff_total: int
    department_count: int


class UnionDetailOut(UnionOut):
    on: dt.date
    presidium_size: int
    from_college_unions: int
    from_college_unions_ratio: float
    executive_chair: StudentRef | None


class BodyOut(Schema):
    id: int
    name: str
    kind: ChoiceOut
    remit: str
    order: int
    member_count: int
    head_count: int


class MembershipOut(Schema):
    id: int
    union: int
    body: NamedRef
    title: ChoiceOut
    start: dt.date
    end: dt.date | None
    end_reason: ChoiceOut | None
    from_college_union: bool
    student: StudentRef


# Paged lists share one shape: the page's items, the total count, the page number and the page
# count. ``page`` beyond the last page gives an empty ``items``.


class ClassPage(Schema):
    items: list[ClassOut]
    count: int
    page: int
    pages: int


class MembershipPage(Schema):
    items: list[MembershipOut]
    count: int
    page: int
    pages: int
