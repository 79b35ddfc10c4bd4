"""Model instances from hand-written SQL, for the few statements every request of a rush runs.

The ORM spends more time building and compiling a query with joins than the database spends
running it. Here a hot path writes its statement once (``columns`` gives a model's column list
under an alias) and turns each part of the row back into an instance with ``build``, which
applies the same converters the ORM applies (dates from SQLite, JSON, decimals). ``attach``
makes a loaded related instance the cached value of a relation, as ``select_related`` does,
so reading it later costs no query.
"""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.db.models import Model


@cache
def _plan(model: type[Model], vendor: str) -> tuple[tuple, tuple, tuple]:
    fields = tuple(model._meta.concrete_fields)
    converters = []
    for field in fields:
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        converters.append((tuple(found), col))
    return fields, tuple(f.attname for f in fields), tuple(converters)


def width(model: type[Model]) -> int:
    """How many columns ``columns`` lists for ``model``."""
    return len(_plan(model, connection.vendor)[0])


def columns(model: type[Model], alias: str) -> str:
    """The model's concrete columns under ``alias``, in the order ``build`` expects."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in _plan(model, connection.vendor)[0])


def build(model: type[Model], values) -> Model | None:
    """An instance from the values of ``columns(model, …)``; None when the row has no primary
    key there (the other side of a LEFT JOIN that found nothing)."""
    _fields, attnames, converters = _plan(model, connection.vendor)
    values = list(values)
    for n, (found, col) in enumerate(converters):
        if found and values[n] is not None:
            for converter in found:
                values[n] = converter(values[n], col, connection)
    pk = attnames.index(model._meta.pk.attname)
    if values[pk] is None:
        return None
    return model.from_db(connection.alias, attnames, values)


def attach(instance: Model, name: str, related: Model | None) -> None:
    """Make ``related`` (or None for none) the cached value of ``instance.<name>``, a forward
    or reverse one-to-one or foreign key, so reading it costs no query."""
    field = instance._meta.get_field(name)
    instance._state.fields_cache[field.cache_name] = related


@cache
def _insert_sql(model: type[Model], vendor: str) -> tuple[tuple, str]:
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if f is not meta.auto_field)
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    returning = quote(meta.pk.column)
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks}) RETURNING {returning}"
    return fields, sql


def insert(instance: Model) -> Model:
    """INSERT ``instance`` in one hand-written statement, with each field's value prepared as
    ``save()`` prepares it (``auto_now`` included). Sends no signals: for models that have
    none."""
    fields, sql = _insert_sql(type(instance), connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance
