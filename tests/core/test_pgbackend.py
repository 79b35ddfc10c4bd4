"""The PostgreSQL backend skips the per-request health check only for a connection that ended
a request cleanly a moment ago; an idle connection, or one after an error, is checked."""

from __future__ import annotations

import pytest
from django.db import connection

from tuanxue.core.pgbackend import base as pgbase

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend"),
]


@pytest.fixture
def checks(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = pgbase.DatabaseWrapper.is_usable

    def counting(self):
        calls.append(1)
        return real(self)

    monkeypatch.setattr(pgbase.DatabaseWrapper, "is_usable", counting)
    assert connection.health_check_enabled
    connection.ensure_connection()
    return calls


def _next_request() -> None:
    connection.close_if_unusable_or_obsolete()  # the request ends
    connection.close_if_unusable_or_obsolete()  # the next one starts
    connection.close_if_health_check_failed()  # before its first query


def test_a_connection_used_a_moment_ago_is_not_checked(checks):
    _next_request()
    assert checks == []
    assert connection.connection is not None


def test_an_idle_connection_is_checked(checks, monkeypatch):
    monkeypatch.setattr(pgbase, "FRESH_SECONDS", 0.0)
    _next_request()
    assert checks == [1]


def test_a_connection_after_an_error_is_checked(checks):
    connection.errors_occurred = True
    connection.close_if_unusable_or_obsolete()  # Django checks it here
    connection.close_if_unusable_or_obsolete()
    connection.close_if_health_check_failed()  # and, not fresh, here again
    assert len(checks) >= 1
    assert not connection._fresh
