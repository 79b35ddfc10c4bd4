"""Personal API tokens: create, revoke, authenticate."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from functools import cache

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core import hotload
from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import ApiToken
from tuanxue.core.tenancy import school_of

logger = logging.getLogger(__name__)

MAX_ACTIVE_TOKENS = 10
# ``last_used_at`` is written at most this often per token, so reads write nothing.
TOUCH_EVERY = dt.timedelta(minutes=5)


def token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``. Returns it and its secret, which is never shown again."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name."), field="name")
    if actor is not None and actor.pk != user.pk and not actor.is_superuser:
        raise DomainError(_("You can only create tokens for yourself."))
    school = school_of(user)
    if school is None:
        raise DomainError(
            _("This account belongs to no school yet, so it cannot have API tokens."),
            field="name",
        )
    with transaction.atomic():
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise DomainError(
                _("You already have %(n)s active tokens; revoke one first.") % {"n": active},
                field="name",
            )
        key = ApiToken.new_key()
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=ApiToken.hash_key(key), hint=key[:10]
        )
        audit_record(
            school=school,
            actor=actor,
            action="core.token.created",
            target=token,
            new={"user": user.get_username(), "name": name, "hint": token.hint},
            label=_label(token, user),
        )
    return token, key


def _label(token: ApiToken, user) -> str:
    return f"{user.get_username()} · {token.name} ({token.hint}…)"


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise DomainError(_("This token was already revoked."))
        if actor is not None and actor.pk != token.user_id and not actor.is_superuser:
            raise DomainError(_("You can only revoke your own tokens."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        school = school_of(token.user)
        if school is not None:
            audit_record(
                school=school,
                actor=actor,
                action="core.token.revoked",
                target=token,
                old={"revoked_at": None},
                new={"revoked_at": token.revoked_at},
                label=_label(token, token.user),
            )
    return token


def user_for_key(key: str):
    """The active user a bearer key belongs to, or None. One hand-written statement (every API
    request runs it, so it skips the query building); ``last_used_at`` is refreshed only when
    it is older than ``TOUCH_EVERY``."""
    if not key or not key.startswith(ApiToken.PREFIX):
        return None
    User = get_user_model()
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(now - TOUCH_EVERY)
    with connection.cursor() as cursor:
        cursor.execute(_user_sql(connection.vendor), [stale_before, ApiToken.hash_key(key)])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, stale = row[0], row[1]
    users = hotload.width(User)
    user = hotload.build(User, row[2 : 2 + users])
    if not user.is_active:
        return None
    # The student record comes along (as select_related would): the sign-up rush needs it.
    hotload.attach(user, "student", hotload.build(_student_model(), row[2 + users :]))
    if stale:
        _touches.touch(token_id, now)
    return user


def _write_touches(token_ids, when) -> None:
    ids = sorted(token_ids)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_quoted(ApiToken._meta.db_table)} SET last_used_at = %s "
            f"WHERE id IN ({marks})",
            [connection.ops.adapt_datetimefield_value(when), *ids],
        )


class _Touches:
    """``last_used_at`` writes. In a server process they are gathered and written by one
    background thread about once a second, one statement for all the tokens used meanwhile,
    so a request writes nothing; elsewhere (commands, tests) at once."""

    INTERVAL = 1.0

    def __init__(self):
        self.deferred = False
        self.pid = os.getpid()
        self.pending: dict[int, dt.datetime] = {}
        self.mutex = threading.Lock()
        self.thread: threading.Thread | None = None

    def touch(self, token_id: int, when: dt.datetime) -> None:
        if not self.deferred:
            _write_touches([token_id], when)
            return
        with self.mutex:
            if self.pid != os.getpid():  # a forked worker starts afresh
                self.pid, self.pending, self.thread = os.getpid(), {}, None
            self.pending[token_id] = when
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="token-touch", daemon=True)
                self.thread.start()

    def flush(self) -> None:
        with self.mutex:
            pending, self.pending = self.pending, {}
        if pending:
            _write_touches(pending, max(pending.values()))

    def run(self) -> None:
        while True:
            time.sleep(self.INTERVAL)
            try:
                self.flush()
            except Exception:
                logger.exception("could not record when API tokens were last used")
                connections[DEFAULT_DB_ALIAS].close()


_touches = _Touches()


def defer_token_touches() -> None:
    """Called once by a server process: write ``last_used_at`` off the request path."""
    _touches.deferred = True


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _student_model():
    """The student record of a user (the app that defines it depends on this one)."""
    return get_user_model()._meta.get_field("student").related_model


@cache
def _user_sql(vendor: str) -> str:
    users, tokens = _quoted(get_user_model()._meta.db_table), _quoted(ApiToken._meta.db_table)
    students = _quoted(_student_model()._meta.db_table)
    user_columns = hotload.columns(get_user_model(), "u")
    student_columns = hotload.columns(_student_model(), "s")
    return (
        f"SELECT t.id, (t.last_used_at IS NULL OR t.last_used_at < %s), "
        f"{user_columns}, {student_columns} "
        f"FROM {tokens} t JOIN {users} u ON u.id = t.user_id "
        f"LEFT JOIN {students} s ON s.user_id = u.id "
        f"WHERE t.key_hash = %s AND t.revoked_at IS NULL"
    )
