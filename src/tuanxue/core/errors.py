"""Domain errors: raised by services with a message a user can read."""

from __future__ import annotations


class DomainError(Exception):
    """A refused change. ``message`` is already translated for the user."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
