"""Shapes of the recruitment API's requests and responses."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import ValidationInfo, field_validator

from tuanxue.core.api.types import NON_BLANK_PATTERN, Id, Text
from tuanxue.org.api_schemas import ChoiceOut, NamedRef, StudentRef

MIN_STATEMENT = 10
# What the service accepts: at least 10 characters once the white space around is taken off.
STATEMENT_PATTERN = r"^\s*[^\s\x00][^\x00]{8,}[^\s\x00]\s*$"  # 1 + 8 + 1


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
    seat: Id = Field(description="id of a seat of the round")
    second_seat: Id | None = Field(
        None, description="id of another seat of the round, as a second choice"
    )
    statement: str = Field(
        description="Why the student applies (at least 10 characters besides the white space "
        "around).",
        json_schema_extra={"pattern": STATEMENT_PATTERN},
    )

    @field_validator("statement")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        # The pattern above, checked with Python's own idea of white space, like the service.
        if "\x00" in value or len(value.strip()) < MIN_STATEMENT:
            raise ValueError(f"at least {MIN_STATEMENT} characters are expected")
        return value


class DecisionIn(Schema):
    """A decision on the step the application waits at. ``return`` and ``reject`` need a
    comment."""

    model_config = {
        "json_schema_extra": {
            "if": {
                "properties": {"decision": {"enum": ["return", "reject"]}},
                "required": ["decision"],
            },
            "then": {
                "properties": {"comment": {"pattern": NON_BLANK_PATTERN}},
                "required": ["comment"],
            },
        }
    }

    decision: Literal["approve", "return", "reject"]
    comment: Text = Field("", description="Required to return or reject.", validate_default=True)
    step: Id = Field(description="The step the caller saw (refused as stale if it moved on).")
    cycle: Id = Field(description="The cycle the caller saw.")

    @field_validator("comment")
    @classmethod
    def _said_why(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("decision") in {"return", "reject"} and not value.strip():
            raise ValueError("a comment is required to return or reject")
        return value


class StudentEligibilityOut(EligibilityOut):
    student: StudentRef
    semesters: list[str] = Field(description="The semesters of the charter's period.")
