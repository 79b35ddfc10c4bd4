"""Showing a service's refusal on the form the user filled in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from tuanxue.core.errors import DomainError


def refuse_form(form, exc: DomainError) -> None:
    """Put ``exc``'s message on the field it names (or on the whole form). A refusal of the
    actor's right itself is a 403, as everywhere else."""
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message)
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def refuse_message(request, exc: DomainError) -> None:
    """The same for an action without a form: the message goes to the next page."""
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message)
    messages.error(request, exc.message)
