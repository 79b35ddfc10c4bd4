"""Cutting the link that storage order makes between a voter mark and a ballot.

While a poll is open, a phone vote inserts a ``VoterMark`` and a ``Ballot`` in one transaction,
so the database stores them in the same order (SQLite's rowid, PostgreSQL's ctid and ``xmin``,
the id of the inserting transaction). When the poll closes, ``storage_shuffle`` rewrites both
tables' rows for the poll inside the closing transaction: each table is read, deleted, and
inserted again in its own independent random order (``secrets.SystemRandom``) with new random
primary keys. Afterwards:

- rowid / ctid order is a fresh random permutation of each table, independent of the other;
- every rewritten row on PostgreSQL carries the closing transaction's ``xmin``;
- on SQLite the deleted rows are overwritten with zeros (``secure_delete``) and the WAL is
  checkpointed after commit; on PostgreSQL the dead row versions are vacuumed after commit.

Receipts, choices and who-voted are kept exactly; only their storage changes.
"""

from __future__ import annotations

import logging
import secrets
import uuid

from django.db import DatabaseError, connection, transaction

from tuanxue.congress.models import Ballot, Poll, VoterMark

log = logging.getLogger(__name__)


def storage_shuffle(poll: Poll) -> None:
    """Rewrite the poll's voter marks and ballots in random order with new keys. Call inside
    the transaction that closes the poll (holding the poll's row lock)."""
    rng = secrets.SystemRandom()
    marks = list(VoterMark.objects.filter(poll_id=poll.pk).values_list("delegate_id", flat=True))
    rows = list(
        Ballot.objects.filter(poll_id=poll.pk).values_list("receipt", "choice", "valid", "source")
    )
    rng.shuffle(marks)
    rng.shuffle(rows)
    with _secure_delete():
        VoterMark.objects.filter(poll_id=poll.pk).delete()
        Ballot.objects.filter(poll_id=poll.pk).delete()
    VoterMark.objects.bulk_create(
        [VoterMark(id=uuid.uuid4(), poll_id=poll.pk, delegate_id=d) for d in marks]
    )
    Ballot.objects.bulk_create(
        [
            Ballot(
                id=uuid.uuid4(),
                poll_id=poll.pk,
                receipt=receipt,
                choice=choice,
                valid=valid,
                source=source,
            )
            for receipt, choice, valid, source in rows
        ]
    )
    transaction.on_commit(_clean_old_versions)


class _secure_delete:
    """On SQLite, zero the deleted rows' bytes in the database file while deleting."""

    def __enter__(self):
        self.previous = None
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA secure_delete")
                self.previous = cursor.fetchone()[0]
                cursor.execute("PRAGMA secure_delete = ON")
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA secure_delete = {int(self.previous)}")
        return False


def _clean_old_versions() -> None:
    """After commit: drop the old row versions where the database keeps them (best effort)."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            elif connection.vendor == "postgresql" and connection.get_autocommit():
                tables = f"{VoterMark._meta.db_table}, {Ballot._meta.db_table}"
                cursor.execute(f"VACUUM {tables}")
    except DatabaseError:
        log.warning("could not clean old ballot row versions", exc_info=True)
