"""Reading numbers out of user input without surprises.

``str.isdigit()`` is true for characters such as "²" that ``int()`` refuses, and a long string of
digits overflows a database integer; these helpers accept plain ASCII digits of sensible length.
"""

from __future__ import annotations


def is_number(value: str, *, max_length: int = 18) -> bool:
    return bool(value) and len(value) <= max_length and value.isascii() and value.isdigit()


def to_id(value) -> int | None:
    """A database id from user input, or None when it is not one."""
    value = str(value or "").strip()
    return int(value) if is_number(value) else None
