"""The audit log read as sentences: one renderer per kind of event.

Each app says, in its ``audit_display`` module, how its events read ("%(actor)s appointed
%(target)s") and where a target's page is; the audit and history pages print those sentences with
links, and keep the raw values one click away. Labels that name students carry their numbers;
those numbers are shown only to viewers with a right to personal data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from tuanxue.core.models import AuditEvent


@dataclass(frozen=True)
class EventKind:
    code: str
    sentence: Any  # a lazy translation with %(actor)s and %(target)s


_KINDS: dict[str, EventKind] = {}
_GROUPS: dict[str, Any] = {}
_LINKS: dict[str, Callable[[str, str], str | None]] = {}
_ACTOR_NAMES: list[Callable[[set[int]], dict[int, str]]] = []
_discovered = False

GENERIC = _("%(actor)s changed %(target)s")
SYSTEM = _("the system")


def kinds(entries: dict[str, Any]) -> None:
    """Register how events read: ``{"org.college.created": _("%(actor)s added …")}``."""
    for code, sentence in entries.items():
        _KINDS[code] = EventKind(code, sentence)


def group(prefix: str, label) -> None:
    """A family of events the audit page can filter by (``org`` → 组织机构)."""
    _GROUPS[prefix] = label


def link(target_type: str, url_name: str) -> None:
    """Targets of this type have a page at ``url_name`` taking the school code and the id."""

    def resolve(school_code: str, target_id: str) -> str | None:
        try:
            return reverse(url_name, args=[school_code, int(target_id)])
        except (NoReverseMatch, ValueError):
            return None

    _LINKS[target_type] = resolve


def actor_names(resolver: Callable[[set[int]], dict[int, str]]) -> None:
    """A function from user ids to display names (the registry knows students and staff)."""
    _ACTOR_NAMES.append(resolver)


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("audit_display")
        _discovered = True


def known_kinds() -> dict[str, EventKind]:
    _discover()
    return dict(_KINDS)


def groups() -> list[tuple[str, str]]:
    _discover()
    return [(prefix, str(label)) for prefix, label in sorted(_GROUPS.items())]


# A student or staff number inside a label: six or more digits, possibly after a letter.
_NUMBER = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]?\d{6,}(?![0-9])")


def mask_numbers(text: str) -> str:
    return _NUMBER.sub("＊＊＊", text)


@dataclass
class Line:
    event: AuditEvent
    actor: str
    sentence: SafeString
    target_url: str | None
    history_url: str
    old: Any
    new: Any

    @property
    def has_values(self) -> bool:
        return bool(self.old) or bool(self.new)


def _names(user_ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for resolver in _ACTOR_NAMES:
        if user_ids - names.keys():
            names.update(resolver(user_ids - names.keys()))
    return names


def _mask_values(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _mask_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_values(v) for v in value]
    if isinstance(value, str):
        return mask_numbers(value)
    return value


def describe(
    events: Iterable[AuditEvent], *, school_code: str, personal: bool, link_targets: bool = True
) -> list[Line]:
    """Sentences for ``events``. ``personal``: the viewer may see students' numbers."""
    _discover()
    events = list(events)
    names = _names({e.actor_id for e in events if e.actor_id})
    lines = []
    for event in events:
        if event.actor_id in names:
            actor = names[event.actor_id]
        elif event.actor_label == "system" or not event.actor_label:
            actor = str(SYSTEM)
        else:
            actor = event.actor_label
        label = event.target_label if personal else mask_numbers(event.target_label)
        if not personal:
            actor = mask_numbers(actor)
        resolver = _LINKS.get(event.target_type) if link_targets else None
        url = resolver(school_code, event.target_id) if resolver else None
        target = (
            format_html('<a href="{}">{}</a>', url, label)
            if url
            else format_html("<b>{}</b>", label)
        )
        kind = _KINDS.get(event.action)
        template = str(kind.sentence if kind else GENERIC)
        sentence = mark_safe(
            conditional_escape(template) % {"actor": conditional_escape(actor), "target": target}
        )
        lines.append(
            Line(
                event=event,
                actor=actor,
                sentence=sentence,
                target_url=url,
                history_url=reverse(
                    "org:history", args=[school_code, event.target_type, event.target_id]
                ),
                old=event.old if personal else _mask_values(event.old),
                new=event.new if personal else _mask_values(event.new),
            )
        )
    return lines
