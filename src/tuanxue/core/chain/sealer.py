"""The sealer: chains committed audit events, in batches, after commit, without making anyone
wait.

A request only inserts its events. After its commit, the sealer of each school it wrote to
takes the school's chain row with a try-lock (``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL; on SQLite a ``BEGIN IMMEDIATE`` with no busy wait): if another sealer has it, it
goes away and comes back, and nobody waits. Under the lock it gives the committed unsealed
events, in id order, the next places in the chain, their ``prev_hash`` and their MAC, and now
and then a signed checkpoint for the checkpoint file.

In the server (``tuanxue/wsgi.py``) sealing runs in one background thread per process, so a
request spends nothing on it. Elsewhere (commands, the demo, tests that commit) it runs right
after the commit. ``tuanxue audit seal`` catches up after a crash.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

BATCH = 500
# A school whose chain another sealer holds is tried again after this long.
RETRY_SECONDS = 0.05
# The background thread also sweeps for unsealed events (a crashed process's) this often.
SWEEP_SECONDS = 5.0
# After a pass the thread lets events gather this long, so a rush is sealed in a few large
# batches rather than one small pass per commit (the delay stays well under a second).
GATHER_SECONDS = 0.2


class ChainHeadMissing(RuntimeError):
    """Sealed events exist but the school's chain row does not: the log was tampered with."""


def _try_lock_chain(school_id: int, using: str):
    """The school's chain row, locked for this transaction, or None when another sealer has it.
    Creates the row for a school's first event."""
    from tuanxue.core.models import AuditChain, AuditEvent

    rows = AuditChain.objects.using(using).select_related("school")
    if connections[using].features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    chain = rows.filter(school_id=school_id).first()
    if chain is not None:
        return chain
    if AuditChain.objects.using(using).filter(school_id=school_id).exists():
        return None  # held by another sealer
    if AuditEvent.objects.using(using).filter(school_id=school_id, seq__isnull=False).exists():
        raise ChainHeadMissing(
            f"school {school_id}: sealed events exist but the chain head row is gone; "
            "run `tuanxue audit verify` (the sealer will not start a new chain)"
        )
    AuditChain.objects.using(using).bulk_create(
        [AuditChain(school_id=school_id)], ignore_conflicts=True
    )
    return rows.filter(school_id=school_id).first()


class _SqliteNoWait:
    """On SQLite the database's write lock is the try-lock: begin without a busy wait."""

    def __init__(self, using: str):
        self.connection = connections[using]
        self.active = self.connection.vendor == "sqlite" and not self.connection.in_atomic_block

    def __enter__(self):
        if self.active:
            self.connection.ensure_connection()
            self.connection.connection.execute("PRAGMA busy_timeout = 0")
        return self

    def __exit__(self, *exc):
        if self.active and self.connection.connection is not None:
            timeout = int(self.connection.settings_dict["OPTIONS"].get("timeout", 5) * 1000)
            self.connection.connection.execute(f"PRAGMA busy_timeout = {timeout}")
        return False


def seal_school(school_id: int, *, using: str = DEFAULT_DB_ALIAS) -> int | None:
    """Chain up to ``BATCH`` committed unsealed events of the school. Returns how many were
    sealed, or None when another sealer holds the chain (nothing waited for it)."""
    from tuanxue.core.chain import checkpoints
    from tuanxue.core.chain import digest as audit
    from tuanxue.core.models import AuditEvent

    key = audit.audit_key()
    written = None
    try:
        with _SqliteNoWait(using), transaction.atomic(using=using):
            chain = _try_lock_chain(school_id, using)
            if chain is None:
                return None
            events = list(
                AuditEvent.objects.using(using)
                .filter(school_id=school_id, seq__isnull=True)
                .order_by("id")[:BATCH]
            )
            if not events:
                return 0
            now = timezone.now()
            seq, prev = chain.last_seq, chain.last_hash or audit.GENESIS
            for event in events:
                seq += 1
                event.seq, event.prev_hash, event.sealed_at = seq, prev, now
                event.hash = audit.digest_of(event, key)
                prev = event.hash
            AuditEvent.objects.using(using).bulk_update(
                events, ["seq", "prev_hash", "hash", "sealed_at"]
            )
            chain.last_seq, chain.last_hash = seq, prev
            fields = ["last_seq", "last_hash"]
            due = chain.checkpoint_at is None or (
                (now - chain.checkpoint_at).total_seconds() >= settings.AUDIT_CHECKPOINT_SECONDS
                or seq - chain.checkpoint_seq >= settings.AUDIT_CHECKPOINT_EVENTS
            )
            if due:
                chain.checkpoint_seq, chain.checkpoint_at = seq, now
                fields += ["checkpoint_seq", "checkpoint_at"]
                written = checkpoints.sign(chain.school.code, seq, prev)
            chain.save(update_fields=fields)
    except OperationalError as exc:
        if connections[using].vendor == "sqlite" and "locked" in str(exc):
            return None  # another writer holds SQLite's write lock: come back later
        raise
    if written is not None:
        try:
            checkpoints.append(written)
        except OSError:
            logger.exception("could not append to the audit checkpoint file")
    return len(events)


def seal_until_done(school_id: int, *, patience: float = 5.0, using=DEFAULT_DB_ALIAS) -> int:
    """Seal every committed event of the school, coming back while another sealer holds the
    chain (at most ``patience`` seconds). Returns the number sealed here."""
    total = 0
    deadline = time.monotonic() + patience
    while True:
        done = seal_school(school_id, using=using)
        if done is None:
            if time.monotonic() > deadline:
                return total
            time.sleep(RETRY_SECONDS)
            continue
        total += done
        if done < BATCH:
            return total


def schools_with_unsealed(using=DEFAULT_DB_ALIAS) -> list[int]:
    from tuanxue.core.models import AuditEvent

    return list(
        AuditEvent.objects.using(using)
        .filter(seq__isnull=True)
        .order_by()
        .values_list("school_id", flat=True)
        .distinct()
    )


# -- after commit ---------------------------------------------------------------------------


class _SealHook:
    """The on-commit callback for one school (at most one per transaction and school)."""

    __slots__ = ("school_id",)

    def __init__(self, school_id: int):
        self.school_id = school_id

    def __call__(self):
        request_seal(self.school_id)


def seal_after_commit(school_id: int) -> None:
    connection = transaction.get_connection()
    for _savepoints, func, _robust in connection.run_on_commit:
        if isinstance(func, _SealHook) and func.school_id == school_id:
            return
    transaction.on_commit(_SealHook(school_id), robust=True)


def request_seal(school_id: int) -> None:
    worker = _background
    if worker is not None and worker.pid == os.getpid():
        worker.submit(school_id)
        return
    try:
        seal_until_done(school_id, patience=1.0)
    except ImproperlyConfigured as exc:
        # A command run without AUDIT_KEY: the events stay unsealed until `audit seal`.
        logger.warning("audit events left unsealed: %s", exc)


# -- the server's background thread ---------------------------------------------------------


class _Background:
    def __init__(self):
        self.pid = os.getpid()
        self.pending: set[int] = set()
        self.mutex = threading.Lock()
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None

    def submit(self, school_id: int) -> None:
        with self.mutex:
            self.pending.add(school_id)
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="audit-sealer", daemon=True)
                self.thread.start()
        self.wake.set()

    def run(self) -> None:
        last_sweep = time.monotonic()
        while True:
            self.wake.wait(timeout=SWEEP_SECONDS)
            self.wake.clear()
            with self.mutex:
                todo, self.pending = self.pending, set()
            try:
                if time.monotonic() - last_sweep >= SWEEP_SECONDS:
                    last_sweep = time.monotonic()
                    todo |= set(schools_with_unsealed())
                again = set()
                for school_id in todo:
                    done = seal_school(school_id)
                    if done is None or done == BATCH:
                        again.add(school_id)
            except Exception:
                logger.exception("the audit sealer failed; it will try again")
                connections[DEFAULT_DB_ALIAS].close()
                again = todo
                time.sleep(1)
            if again:
                with self.mutex:
                    self.pending |= again
                time.sleep(RETRY_SECONDS)
                self.wake.set()
            elif todo:
                time.sleep(GATHER_SECONDS)


_background: _Background | None = None


def start_server_sealer() -> None:
    """Called once by the WSGI application: refuse to serve without AUDIT_KEY, then seal in a
    background thread of this process (created on the first commit after a fork)."""
    global _background
    from tuanxue.core.chain.digest import audit_key

    audit_key()
    _background = _Background()


def _after_fork_in_child() -> None:
    global _background
    if _background is not None:
        _background = _Background()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
