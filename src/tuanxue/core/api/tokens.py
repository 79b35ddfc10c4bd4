"""Personal API tokens: create, revoke, authenticate."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core.audit import audit_record
from tuanxue.core.errors import DomainError
from tuanxue.core.models import ApiToken
from tuanxue.core.tenancy import school_of

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
    """The active user a bearer key belongs to, or None. One query; ``last_used_at`` is
    refreshed only when it is older than ``TOUCH_EVERY``."""
    if not key or not key.startswith(ApiToken.PREFIX):
        return None
    token = (
        # The student record comes along: the sign-up rush needs it and it costs a join.
        ApiToken.objects.select_related("user", "user__student")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
