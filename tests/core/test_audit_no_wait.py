"""On PostgreSQL, audited writes do not wait on each other: while one transaction holds its
audited write open, an unrelated write in the same school and a write in another school
complete at once, and the sealer chains all of them after commit."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from tests.conftest import SchoolKit
from tuanxue.core.audit import verify_chain
from tuanxue.core.chain.sealer import seal_until_done
from tuanxue.core.models import AuditEvent
from tuanxue.org import services

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_audited_writes_in_one_school_and_across_schools_do_not_wait():
    one = SchoolKit(code="one")
    two = SchoolKit(code="two", name="另一所学院")
    holding, release = threading.Event(), threading.Event()
    failures: list[str] = []

    def long_transaction():
        try:
            with transaction.atomic():
                services.college_create(actor=None, school=one.school, name="慢学院")
                holding.set()
                release.wait(timeout=30)
        except Exception as exc:  # the assertion below reports it
            failures.append(repr(exc))
        finally:
            connection.close()

    thread = threading.Thread(target=long_transaction)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        with connection.cursor() as cursor:
            # A wait for any lock would fail the write instead of hanging the test.
            cursor.execute("SET lock_timeout = '2s'")
        started = time.monotonic()
        services.college_create(actor=None, school=one.school, name="快学院")
        services.college_create(actor=None, school=two.school, name="别校学院")
        elapsed = time.monotonic() - started
        assert not release.is_set() and thread.is_alive()  # the first one is still open
        assert elapsed < 2
        # Ours are sealed already (after our commits) though an older event is uncommitted.
        fast = AuditEvent.objects.get(action="org.college.created", target_label="快学院")
        assert fast.seq is not None
    finally:
        release.set()
        thread.join(timeout=30)
    assert not failures, failures
    seal_until_done(one.school.pk)
    slow = AuditEvent.objects.get(action="org.college.created", target_label="慢学院")
    assert slow.seq > fast.seq  # chained in the order the commits became visible
    for kit in (one, two):
        assert verify_chain(kit.school, unsealed_bound=0) == []
