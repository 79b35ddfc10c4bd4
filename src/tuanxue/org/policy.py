"""Rules that writes to the organisation must satisfy, supplied by the apps above ``org``.

``org`` cannot import the charter (the arrows point the other way), so the charter app registers
a policy here when it starts. The org services call the policies inside their transaction, after
locking the union, so that two concurrent writes cannot both pass a cap.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class OrgPolicy(Protocol):
    def check_membership(self, *, body, student, title: str, day: dt.date) -> None:
        """Raise DomainError if ``student`` may not take ``title`` in ``body`` from ``day``."""

    def check_department(self, *, union, name: str, remit: str, department=None) -> None:
        """Raise DomainError if ``union`` may not have this department (new or changed)."""


_policies: list[OrgPolicy] = []


def register(policy: OrgPolicy) -> None:
    if policy not in _policies:
        _policies.append(policy)


def policies() -> list[OrgPolicy]:
    return list(_policies)


def check_membership(*, body, student, title: str, day: dt.date) -> None:
    for policy in _policies:
        policy.check_membership(body=body, student=student, title=title, day=day)


def check_department(*, union, name: str, remit: str, department=None) -> None:
    for policy in _policies:
        policy.check_department(union=union, name=name, remit=remit, department=department)


def allowed_titles(*, union, day: dt.date) -> list[str] | None:
    """The titles a post in ``union`` may have on ``day`` (None: no policy limits them), so a
    form offers only those. A policy may leave out ``allowed_titles``."""
    allowed = None
    for policy in _policies:
        titles = getattr(policy, "allowed_titles", lambda **_kw: None)(union=union, day=day)
        if titles is not None:
            allowed = list(titles) if allowed is None else [t for t in allowed if t in titles]
    return allowed
