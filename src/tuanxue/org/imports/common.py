"""Pieces shared by the registry imports: the parsed table, row errors, cell parsing, progress."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# progress(stage, done, total): stage is "read", "validate" or "write".
Progress = Callable[[str, int, int], None]

PREVIEW_ROWS = 20
BATCH = 1000


@dataclass(frozen=True)
class RowError:
    """One reason a file is refused. ``row`` is the row number the spreadsheet shows (or None)."""

    row: int | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "message": self.message}


class ImportRefused(Exception):
    """The file cannot be imported; ``errors`` lists every reason."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors[:3]))
        self.errors = errors


@dataclass
class Table:
    """A sheet read into memory: the header cells and the data rows with their row numbers."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, tuple]]


@dataclass
class Plan:
    """What a checked file would do. ``write(actor=..., progress=...)`` does it, returning counts.

    ``counts`` are shown to the uploader; ``details`` (names of what gets created) and
    ``changes`` (each changed record's columns before and after) go into the audit event.
    """

    kind: str
    rows: int
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)
    details: dict[str, list] = field(default_factory=dict)
    # Per record changed: key (such as the 学号) -> column -> [before, after], for the audit log.
    changes: dict[str, dict[str, list]] = field(default_factory=dict)
    write: Callable[..., dict[str, int]] | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def tick(progress: Progress | None, stage: str, total: int) -> Callable[[int], None]:
    """A cheap per-row progress call: reports about every 1% of ``total``."""
    if progress is None or total <= 0:
        return lambda done: None
    step = max(total // 100, 1)

    def report(done: int) -> None:
        if done % step == 0 or done == total:
            progress(stage, done, total)

    return report


# -- columns ---------------------------------------------------------------------------------


def normalise_header(value: Any) -> str:
    text = cell_text(value)
    return re.sub(r"\s+", "", text).rstrip("*＊")


def column_index(
    table: Table, required: Iterable[str], optional: Iterable[str] = ()
) -> tuple[dict[str, int], list[RowError]]:
    """Where each known column is. A missing required column, or one given twice, is an error."""
    index: dict[str, int] = {}
    errors: list[RowError] = []
    known = set(required) | set(optional)
    for position, header in enumerate(table.headers):
        if header not in known:
            continue
        if header in index:
            errors.append(
                RowError(
                    table.header_row,
                    _("Row %(row)s: the column %(column)s appears more than once")
                    % {"row": table.header_row, "column": header},
                )
            )
            continue
        index[header] = position
    for name in required:
        if name not in index:
            errors.append(
                RowError(
                    table.header_row,
                    _("Row %(row)s: the required column %(column)s is missing")
                    % {"row": table.header_row, "column": name},
                )
            )
    return index, errors


def row_values(row: tuple, index: dict[str, int]) -> dict[str, Any]:
    return {name: (row[i] if i < len(row) else None) for name, i in index.items()}


def preview_of(table: Table, columns: list[str], index: dict[str, int]) -> list[list[str]]:
    preview = []
    for number, row in table.rows[:PREVIEW_ROWS]:
        values = row_values(row, index)
        preview.append([str(number), *(cell_text(values.get(c)) for c in columns)])
    return preview


# -- cells -----------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as trimmed text: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip().strip("\u3000\ufeff").strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def missing(row: int, column: str) -> RowError:
    return RowError(row, _("Row %(row)s: %(column)s is missing") % {"row": row, "column": column})


def too_long(row: int, column: str, limit: int) -> RowError:
    return RowError(
        row,
        _("Row %(row)s: %(column)s is longer than %(limit)s characters")
        % {"row": row, "column": column, "limit": limit},
    )


def not_one_of(row: int, column: str, value: str, choices: Iterable[str]) -> RowError:
    return RowError(
        row,
        _("Row %(row)s: %(column)s must be one of %(choices)s, not “%(value)s”")
        % {"row": row, "column": column, "choices": "、".join(choices), "value": value},
    )


INTEGER = re.compile(r"^[+-]?\d+$")


def parse_int(row: int, column: str, text: str, errors: list[RowError]) -> int | None:
    """A whole number, or None with an error recorded."""
    if not INTEGER.match(text):
        errors.append(
            RowError(
                row,
                _("Row %(row)s: %(column)s must be a whole number, not “%(value)s”")
                % {"row": row, "column": column, "value": text},
            )
        )
        return None
    return int(text)


DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Excel day numbers for 1950-01-01 .. 2100-12-31, in case a date cell lost its number format.
EXCEL_DAYS = (18264, 73415)
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(row: int, column: str, value: Any, errors: list[RowError]) -> dt.date | None:
    """YYYY-MM-DD text or a real spreadsheet date; None with an error recorded otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and float(value).is_integer()
        and EXCEL_DAYS[0] <= value <= EXCEL_DAYS[1]
    ):
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = cell_text(value)
    match = DATE_TEXT.match(text)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    errors.append(
        RowError(
            row,
            _("Row %(row)s: %(column)s must be a date like 2020-09-01, not “%(value)s”")
            % {"row": row, "column": column, "value": text},
        )
    )
    return None


def sort_errors(errors: list[RowError]) -> list[RowError]:
    """File-level errors first, then by row, keeping the order found within a row."""
    return sorted(errors, key=lambda e: -1 if e.row is None else e.row)
