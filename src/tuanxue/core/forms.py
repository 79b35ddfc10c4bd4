"""Showing a service's refusal on the form the user filled in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from tuanxue.core.errors import DomainError


def refusal_text(exc: DomainError) -> str:
    """The one error path: a refusal of the actor's right itself is a 403, as everywhere else;
    any other refusal is a message for the user."""
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message) from exc
    return exc.message


def refuse_form(form, exc: DomainError, fields: dict[str, str] | None = None) -> None:
    """Put ``exc``'s message on the field it names (``fields`` maps a service's argument to the
    form's field where they differ), or on the whole form."""
    message = refusal_text(exc)
    field = (fields or {}).get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, message)


def refuse_message(request, exc: DomainError) -> None:
    """The same for an action without a form: the message goes to the next page."""
    messages.error(request, refusal_text(exc))
