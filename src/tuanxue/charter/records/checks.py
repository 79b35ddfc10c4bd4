"""The checks on a record's fields (past congresses, documents), shared by adding them in
``tuanxue.charter.services`` and editing them in ``tuanxue.charter.records.services``; kept
apart so that neither of those modules imports the other."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.charter.models import ChecklistItem
from tuanxue.core.errors import DomainError

# The checks that pass on documents the League committee recorded.
ATTESTED_CHECKS = (
    "selection_chain",
    "delegate_coverage",
    "duty_review",
    "party_leadership",
    "filing",
)
NAME_MAX = 80
TITLE_MAX = 200
DELEGATES_MAX = 100000


def attested_items() -> list[ChecklistItem]:
    """The checklist items a document can support, newest checklist version first."""
    return list(
        ChecklistItem.objects.filter(check_key__in=ATTESTED_CHECKS)
        .select_related("version")
        .order_by("-version__effective_from", "order")
    )


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(
            _("%(day)s is in the future; record only what has happened.")
            % {"day": day.isoformat()},
            field=field,
        )


def check_congress_day(held_on: dt.date) -> None:
    """A congress recorded by hand has been held (the congress module records its own)."""
    _not_future(held_on, "held_on")


def check_congress_fields(*, union, school, name: str, held_on: dt.date, delegates: int) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the congress, e.g. 第十四次学生代表大会."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(
            _("The name is longer than %(n)s characters.") % {"n": NAME_MAX}, field="name"
        )
    if union.school_id != school.pk:
        raise DomainError(_("The union belongs to another school."), field="union")
    if not 1 <= delegates <= DELEGATES_MAX:
        raise DomainError(
            _("The number of delegates must be between 1 and %(n)s.") % {"n": DELEGATES_MAX},
            field="delegates",
        )
    return name


def check_attestation_fields(*, item_code: str, title: str, dated: dt.date) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Name the document."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("The document's name is longer than %(n)s characters.") % {"n": TITLE_MAX},
            field="title",
        )
    if item_code not in {i.code for i in attested_items()}:
        raise DomainError(
            _("Checklist item %(code)s is not one that documents can support.")
            % {"code": item_code},
            field="item_code",
        )
    _not_future(dated, "dated")
    return title
