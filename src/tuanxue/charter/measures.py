"""What each checklist item counts, in words with units: the "actual" and "limit" columns of the
self-assessment (page, public table and documents) say what the number means, never a bare
"0 / 0"."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tuanxue.charter.verdicts import ItemResult

# check key -> (actual with %(n)s, limit text) for checks that count things that must not exist.
_NONE_ALLOWED = {
    "no_admin_functions": lambda n: ngettext(
        "%(n)s department takes on administrative functions",
        "%(n)s departments take on administrative functions",
        n,
    ),
    "structure_form": lambda n: ngettext(
        "%(n)s problem with the presidium + departments form",
        "%(n)s problems with the presidium + departments form",
        n,
    ),
    "titles": lambda n: ngettext(
        "%(n)s post with a title the charter does not allow",
        "%(n)s posts with a title the charter does not allow",
        n,
    ),
    "political": lambda n: ngettext(
        "%(n)s staff member is not a Party or League member",
        "%(n)s staff members are not Party or League members",
        n,
    ),
    "academic": lambda n: ngettext(
        "%(n)s staff member fails the academic rule",
        "%(n)s staff members fail the academic rule",
        n,
    ),
}
_ATTESTED = ("selection_chain", "duty_review", "party_leadership", "filing")


# check key -> describe(item) for checks other apps evaluate from their own records.
_DESCRIBERS: dict = {}


def register_describer(check: str, describer) -> None:
    _DESCRIBERS[check] = describer


def _documents(n) -> str:
    return ngettext("%(n)s document recorded", "%(n)s documents recorded", n) % {"n": n}


def describe(check: str | None, item: ItemResult) -> tuple[str, str] | None:
    """(actual, limit) in words for ``item``, or None to show its values as they are (the
    staffing figures, which carry their own labels)."""
    actual, limit = item.actual, item.limit
    if check in _DESCRIBERS and item.basis == "data":
        described = _DESCRIBERS[check](check, item)
        if described is not None:
            return described
    if check in _NONE_ALLOWED and isinstance(actual, int):
        return _NONE_ALLOWED[check](actual) % {"n": actual}, _("none allowed")
    if check in _ATTESTED:
        return (
            _documents(actual) if isinstance(actual, int) else _("no document recorded"),
            _("at least one document"),
        )
    if check == "presidium_elected":
        return (
            _("latest congress held on %(day)s") % {"day": actual}
            if actual
            else _("no congress recorded"),
            _("the congress itself elects the presidium"),
        )
    if check == "congress_on_schedule":
        return (
            _("latest congress held on %(day)s") % {"day": actual}
            if actual
            else _("no congress recorded"),
            str(limit) if limit else "—",
        )
    if check == "delegate_coverage":
        if isinstance(actual, int) and isinstance(limit, int):
            return (
                ngettext("%(n)s delegate", "%(n)s delegates", actual) % {"n": actual},
                ngettext(
                    "at least %(n)s delegate (the colleges' quotas added up)",
                    "at least %(n)s delegates (the colleges' quotas added up)",
                    limit,
                )
                % {"n": limit},
            )
        return (
            _documents(actual) if isinstance(actual, int) else _("no congress recorded"),
            _("at least one document"),
        )
    if check == "league_guidance":
        return (
            _("%(n)s of 2 teachers recorded (advisor, secretary-general)") % {"n": actual}
            if isinstance(actual, int)
            else _("not recorded"),
            _("both teachers recorded"),
        )
    return None
