"""Where to fix a checklist item that does not pass: the page on which its missing record is
kept."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tuanxue.charter.verdicts import PASS, ItemResult

# check key -> (URL name, link text); the URL takes the school's code.
_PAGES = {
    "duty_review": ("records:documents", "Record the documents"),
    "party_leadership": ("oversight:index", "Record the Party committee's oversight"),
    "filing": ("oversight:filings", "Open the filing register"),
    "presidium_elected": ("records:congresses", "Record a congress"),
    "congress_on_schedule": ("records:congresses", "Record a congress"),
    "league_guidance": ("records:guidance", "Record the guidance"),
    "academic": ("org:imports", "Import academic records"),
}


def _text(key: str) -> str:
    # The texts, spelled out for the message catalogue.
    return {
        "Record the documents": _("Record the documents"),
        "Record a congress": _("Record a congress"),
        "Record the guidance": _("Record the guidance"),
        "Import academic records": _("Import academic records"),
        "Record the Party committee's oversight": _("Record the Party committee's oversight"),
        "Open the filing register": _("Open the filing register"),
    }[key]


def fix_link(school, check: str | None, item: ItemResult, viewer=None) -> tuple[str, str] | None:
    """(url, text) of the page where a missing record of ``item`` is recorded, or None when the
    item passes or is not fixed by recording something. The imports page is linked only for
    those who may import."""
    if item.status == PASS or check not in _PAGES:
        return None
    if check == "academic" and (
        item.status != "not_evidenced" or viewer is None or not viewer.can_manage_registry(school)
    ):
        return None
    name, text = _PAGES[check]
    url = reverse(name, args=[school.code])
    if name == "records:documents":
        url += f"#item-{item.code}"
    return url, _text(text)
