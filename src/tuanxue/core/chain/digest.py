"""The audit chain's key and digest: what sealing and verifying both compute.

Kept apart from ``tuanxue.core.audit`` (which writes events and hands them to the sealer) so
that the sealer and the checkpoints can use the digest without importing the writer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tuanxue.core.models import AuditEvent

GENESIS = "0" * 64


def audit_key() -> bytes:
    """The MAC key (``AUDIT_KEY``). It is never stored in the database."""
    key = getattr(settings, "AUDIT_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "AUDIT_KEY is not set: the audit log cannot be sealed or verified without it. "
            "Set AUDIT_KEY in the environment (for example the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`), the same on every "
            "server, and keep it out of the database and its backups."
        )
    return key.encode()


def event_digest(
    *,
    school_id: int,
    seq: int,
    at,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    old: Any,
    new: Any,
    prev_hash: str,
    key: bytes | None = None,
) -> str:
    """HMAC-SHA256 of the event's canonical JSON and the previous event's hash."""
    body = {
        "school": school_id,
        "seq": seq,
        "at": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target": [target_type, target_id, target_label],
        "old": old,
        "new": new,
        "prev": prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key or audit_key(), canonical.encode(), hashlib.sha256).hexdigest()


def digest_of(event: AuditEvent, key: bytes | None = None) -> str:
    return event_digest(
        school_id=event.school_id,
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        target_label=event.target_label,
        old=event.old,
        new=event.new,
        prev_hash=event.prev_hash,
        key=key,
    )
