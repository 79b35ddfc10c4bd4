"""Which school a user belongs to, for the kernel's own records (API tokens' audit events).

The kernel does not know students, staff or role grants; the registry app tells it, once, at
start-up (``register_school_of``), so the arrows keep pointing one way.
"""

from __future__ import annotations

from collections.abc import Callable

from tuanxue.core.models import School

_resolver: Callable[[object], School | None] | None = None


def register_school_of(resolver: Callable[[object], School | None]) -> None:
    global _resolver
    _resolver = resolver


def school_of(user) -> School | None:
    if user is None or _resolver is None:
        return None
    return _resolver(user)
