"""Parameter and field types for the HTTP API: each states its constraint in the OpenAPI
document and enforces the same constraint, so a request the document calls valid is accepted
and one it calls invalid is refused with 422.

Use these in every router: ``PathId`` for an id in the path, ``QueryId`` for one in the query,
``Id`` for one in a body, ``IsoDate`` for a day, ``Text``/``NonBlank`` for strings.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from ninja import Field, Path
from pydantic import BeforeValidator, WithJsonSchema

# Primary keys are 64-bit (BigAutoField); a larger number could never name a record and
# would overflow the database's integer.
MAX_ID = 2**63 - 1

# Text may hold any character but NUL, which PostgreSQL cannot store or compare.
TEXT_PATTERN = r"^[^\x00]*$"
# At least one character that is not white space (services strip what they are given).
NON_BLANK_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value):
    """Only ``YYYY-MM-DD``: pydantic would otherwise read a number as a Unix timestamp."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value  # pydantic checks it is a real day
    raise ValueError("a day as YYYY-MM-DD is expected")


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
Text = Annotated[str, Field(pattern=TEXT_PATTERN)]
PathText = Annotated[str, Path(pattern=TEXT_PATTERN)]
NonBlank = Annotated[str, Field(pattern=NON_BLANK_PATTERN)]
