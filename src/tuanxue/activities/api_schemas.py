"""Shapes of the volunteer API's requests and responses."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from tuanxue.core.api.types import Id


class SignupIn(Schema):
    role: Id = Field(..., description="The id of a role of the project to sign up for.")


class SignupOut(Schema):
    """A sign-up. ``position`` is the place on the role's waiting list (1 = next), only while
    waiting."""

    id: int
    project: int
    role: int
    status: Literal["confirmed", "waiting", "pending", "rejected", "withdrawn", "released"]
    position: int | None
    created_at: dt.datetime


class RoleOut(Schema):
    id: int
    name: str
    slots: int
    taken: int
    left: int
    shift_starts_at: dt.datetime
    shift_ends_at: dt.datetime
    grades: list[int]
    colleges: list[int]
    classes: list[int]


class ProjectOut(Schema):
    id: int
    title: str
    description: str
    activity: int
    activity_title: str
    mode: Literal["first_come", "lottery", "review"]
    status: Literal["recruiting", "closed"]
    accepts_signups: bool
    opens_at: dt.datetime
    closes_at: dt.datetime
    withdraw_until: dt.datetime
    from_classes: list[int]
    roles: list[RoleOut]


class PingOut(Schema):
    user: str
