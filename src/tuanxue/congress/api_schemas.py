"""Shapes of the congress API's responses."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from tuanxue.core.api.types import Id, Text
from tuanxue.org.api_schemas import ChoiceOut, NamedRef


class SessionOut(Schema):
    id: int
    number: int
    name: str
    held_on: dt.date
    venue: str
    status: ChoiceOut
    union: NamedRef


class SessionDetailOut(SessionOut):
    roster_cutoff: dt.date
    notice_until: dt.date | None
    delegates: int
    entitled: int
    present: int
    quorum_needed: int
    quorum_reached: bool
    motions: int
    polls: int


class DelegateOut(Schema):
    """A delegate as the school sees them: name, college, status; no personal data."""

    id: int
    name: str
    college: NamedRef
    society: NamedRef | None
    status: ChoiceOut
    present: bool


class CandidateOut(Schema):
    id: int
    name: str
    order: int


class PollOut(Schema):
    id: int
    kind: ChoiceOut
    title: str
    status: ChoiceOut
    motion: int | None
    seats: int
    write_in: bool
    candidates: list[CandidateOut]


class CandidateResultOut(Schema):
    id: int
    name: str
    votes: int
    elected: bool


class PollResultOut(Schema):
    poll: int
    kind: ChoiceOut
    title: str
    entitled: int
    present: int
    issued: int
    returned: int
    valid: int
    invalid: int
    rule: str
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    needed: int | None = None
    adopted: bool | None = None
    void: bool | None = None
    candidates: list[CandidateResultOut] = []
    winners: list[str] = []


class BallotMarks(Schema):
    """An election ballot with a write-in line."""

    marks: list[Id] = Field([], description="The candidates marked (ids).")
    write_in: Text = Field("", description="A name written in, if the election allows it.")


class BallotIn(Schema):
    """A motion vote is ``"yes"``, ``"no"`` or ``"abstain"``; an election ballot is the list of
    candidate ids marked, or ``{"marks": [ids], "write_in": "name"}``."""

    choice: Literal["yes", "no", "abstain"] | list[Id] | BallotMarks


class ReceiptOut(Schema):
    receipt: str
