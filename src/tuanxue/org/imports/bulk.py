"""Bulk writes for large imports, a bounded number of statements whatever the row count.

Django's ``bulk_create`` / ``bulk_update`` spend most of their time building SQL for each object.
These helpers take plain values (str, int, bool, None; no model instances) for models whose
columns need no conversion:

- ``insert_rows``: on PostgreSQL one ``COPY … FROM STDIN``; elsewhere ``executemany`` of one
  prepared INSERT in batches;
- ``update_rows``: on PostgreSQL ``COPY`` into a temporary table and one ``UPDATE … FROM``;
  elsewhere ``executemany`` of one prepared UPDATE by primary key in batches.

They run inside the caller's transaction and write no audit events (the caller does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from django.db import connection, models

from tuanxue.org.imports.common import BATCH

Done = Callable[[int], None]


def _columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return [fields[name].column for name in names]


def _batches(rows: Iterable[tuple]):
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[tuple],
    *,
    done: Done | None = None,
) -> None:
    """Insert ``rows`` (tuples in the order of ``names``, field attnames) into ``model``'s table.

    ``rows`` may be a generator: it is consumed a batch at a time.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, names))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            written = 0
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for batch in _batches(rows):
                    for row in batch:
                        copy.write_row(row)
                    written += len(batch)
                    if done is not None:
                        done(written)
            return
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        written = 0
        for batch in _batches(rows):
            cursor.executemany(sql, batch)
            written += len(batch)
            if done is not None:
                done(written)


def update_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[tuple],
    *,
    done: Done | None = None,
) -> None:
    """Set ``names`` (field attnames) by primary key: each row is (pk, *values)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    columns = [quote(c) for c in _columns(model, names)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE tuanxue_bulk_update ON COMMIT DROP AS "
                f"SELECT {pk}, {', '.join(columns)} FROM {table} WITH NO DATA"
            )
            raw = cursor.cursor
            with raw.copy(
                f"COPY tuanxue_bulk_update ({pk}, {', '.join(columns)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            assignments = ", ".join(f"{c} = u.{c}" for c in columns)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} "
                f"FROM tuanxue_bulk_update AS u WHERE t.{pk} = u.{pk}"
            )
            cursor.execute("DROP TABLE tuanxue_bulk_update")
            if done is not None:
                done(len(rows))
            return
        assignments = ", ".join(f"{c} = %s" for c in columns)
        sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [(*row[1:], row[0]) for row in rows[start : start + BATCH]])
            if done is not None:
                done(min(start + BATCH, len(rows)))
