"""Links to pages that may not exist in every build (people and accounts pages)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def link_or_none(name: str, *args) -> str | None:
    """The URL of ``name``, or None when no such page is installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
