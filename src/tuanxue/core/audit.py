"""The audit log: one append-only, hash-chained event per state change.

``audit_record`` must be called inside the transaction that makes the change, so the change and
its event commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from tuanxue.core.models import AuditChain, AuditEvent, School

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    """Turn dates, decimals and model instances into plain JSON values."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def target_key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def actor_label(actor) -> str:
    if actor is None:
        return "system"
    return actor.get_username()


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
) -> str:
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
    return hashlib.sha256(canonical.encode()).hexdigest()


def digest_of(event: AuditEvent) -> str:
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
    )


def audit_record(
    *,
    school: School,
    actor,
    action: str,
    target: models.Model,
    old: dict | None = None,
    new: dict | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Append one event to the school's chain. Call it inside the change's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction that makes the change")
    chain, _ = AuditChain.objects.get_or_create(school=school)
    chain = AuditChain.objects.select_for_update().get(pk=chain.pk)
    target_type, target_id = target_key(target)
    at = timezone.now()
    event = AuditEvent(
        school=school,
        seq=chain.last_seq + 1,
        at=at,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor_label(actor),
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=(label if label is not None else str(target))[:200],
        old=_plain(old),
        new=_plain(new),
        prev_hash=chain.last_hash or GENESIS,
    )
    event.hash = digest_of(event)
    event.save()
    chain.last_seq = event.seq
    chain.last_hash = event.hash
    chain.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass
class ChainProblem:
    seq: int | None
    problem: str


def verify_chain(school: School) -> list[ChainProblem]:
    """Walk one school's chain; return every break found (empty when intact)."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS
    expected_seq = 1
    for event in AuditEvent.objects.filter(school=school).order_by("seq").iterator(2000):
        if event.seq != expected_seq:
            problems.append(
                ChainProblem(expected_seq, f"events {expected_seq}..{event.seq - 1} are missing")
            )
        if event.prev_hash != expected_prev:
            problems.append(ChainProblem(event.seq, "does not link to the event before it"))
        if digest_of(event) != event.hash:
            problems.append(ChainProblem(event.seq, "content was changed after it was written"))
        expected_prev = event.hash
        expected_seq = event.seq + 1
    chain = AuditChain.objects.filter(school=school).first()
    last_seq = expected_seq - 1
    if chain is not None and (
        chain.last_seq != last_seq or (chain.last_hash or GENESIS) != expected_prev
    ):
        problems.append(
            ChainProblem(
                chain.last_seq,
                f"the chain head is at event {chain.last_seq} but the log ends at {last_seq}",
            )
        )
    return problems


def old_new(instance: models.Model, fields: list[str], changes: dict) -> tuple[dict, dict]:
    """The before/after values of ``fields`` that ``changes`` actually alters."""
    old, new = {}, {}
    for name in fields:
        if name in changes and getattr(instance, name) != changes[name]:
            old[name] = getattr(instance, name)
            new[name] = changes[name]
    return old, new
