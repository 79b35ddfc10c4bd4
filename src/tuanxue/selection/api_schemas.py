"""Shapes of the recruitment API's requests and responses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from tuanxue.org.api_schemas import ChoiceOut, NamedRef, StudentRef


class ProblemOut(Schema):
    """A refused request: the message in the caller's language, a machine-readable code
    (``forbidden``, ``closed``, ``duplicate``, ``ineligible``, ``stale``, ``invalid``) and the
    field it is about, if any."""

    detail: str
    code: str
    field: str | None = None


class InvalidOut(Schema):
    """Bad input: a message (or, for malformed JSON and wrong types, the list of errors)."""

    detail: str | list[dict[str, Any]]
    code: str = "invalid"
    field: str | None = None


# -- rounds --------------------------------------------------------------------------------


class RoundOut(Schema):
    id: int
    name: str
    union: NamedRef
    term_start: dt.date
    opens_at: dt.datetime
    closes_at: dt.datetime
    status: ChoiceOut
    accepting: bool = Field(description="Takes applications now.")
    cancel_reason: str
    places: int = Field(description="Places offered, all seats together.")


class SeatOut(Schema):
    id: int
    body: NamedRef
    title: ChoiceOut
    count: int
    chain: ChoiceOut = Field(description="The approval chain applications for it go through.")


class RoundDetailOut(RoundOut):
    seats: list[SeatOut]
    may_manage: bool = Field(description="The caller may extend, close or cancel the round.")
    my_application: int | None = Field(
        description="The caller's own application in this round (id), if any."
    )


# -- applications --------------------------------------------------------------------------


class SeatRef(Schema):
    id: int
    body: NamedRef
    title: ChoiceOut


class EligibilityOut(Schema):
    """A verdict: true, false, or null for "cannot decide", with the reasons."""

    eligible: bool | None
    reasons: list[str]
    charter: str | None
    day: dt.date


class ApplicationOut(Schema):
    id: int
    round: int
    student: StudentRef
    college: NamedRef
    seat: SeatRef
    second_seat: SeatRef | None
    status: ChoiceOut
    step: int = Field(description="The step it waits at (or stopped at), from 1.")
    step_name: str | None
    steps_total: int
    cycle: int = Field(description="1, and one more each time it was resubmitted.")
    step_since: dt.datetime
    created_at: dt.datetime
    eligibility: EligibilityOut | None = Field(
        description="The snapshot taken when applying; only for those allowed to see it."
    )


class StepOut(Schema):
    order: int
    name: str
    offices: list[ChoiceOut]
    scope: ChoiceOut
    state: str = Field(
        description="done, current, returned, rejected, stopped (withdrawn or cancelled), pending"
    )
    awaiting: list[ChoiceOut] = Field(description="Offices still to decide on the current step.")


class ActionOut(Schema):
    id: int
    cycle: int
    step: int
    office: ChoiceOut
    decision: ChoiceOut
    comment: str
    actor: str | None
    at: dt.datetime


class ApplicationDetailOut(ApplicationOut):
    statement: str
    held_reason: str
    steps: list[StepOut]
    actions: list[ActionOut]
    may_decide: list[ChoiceOut] = Field(
        description="The caller's offices that may decide on the current step now."
    )


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    count: int
    page: int
    pages: int


class ApplyIn(Schema):
    seat: int = Field(description="id of a seat of the round")
    second_seat: int | None = Field(None, description="id of another seat, as a second choice")
    statement: str = Field(description="Why the student applies (at least 10 characters).")


class DecisionIn(Schema):
    decision: str = Field(description="approve, return or reject")
    comment: str = Field("", description="Required to return or reject.")
    step: int = Field(description="The step the caller saw (refused as stale if it moved on).")
    cycle: int = Field(description="The cycle the caller saw.")


class StudentEligibilityOut(EligibilityOut):
    student: StudentRef
    semesters: list[str] = Field(description="The semesters of the charter's period.")
