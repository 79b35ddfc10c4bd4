"""The audit log: one append-only event per state change, chained with a keyed MAC.

``audit_record`` must be called inside the transaction that makes the change, so the change and
its event commit or roll back together. It takes no lock: the event is inserted without a place
in the chain, and after commit the sealer (``tuanxue.core.chain.sealer``) chains the school's new
events in batches, under a try-lock nobody waits for. See docs/audit.md.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanxue.core import hotload
from tuanxue.core.chain import sealer
from tuanxue.core.chain.digest import GENESIS, audit_key, digest_of
from tuanxue.core.models import AuditChain, AuditEvent, School


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
    """Write one event in the change's transaction (one INSERT, no lock). The sealer gives it
    its place in the school's chain after commit."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction that makes the change")
    target_type, target_id = target_key(target)
    event = AuditEvent(
        school=school,
        at=timezone.now(),
        actor_id=actor.pk if actor is not None and actor.pk else None,
        actor_label=actor_label(actor),
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=(label if label is not None else str(target))[:200],
        old=_plain(old),
        new=_plain(new),
    )
    # The event's one INSERT, without the query building of save() (every audited write of a
    # rush makes one).
    hotload.insert(event)
    sealer.seal_after_commit(school.pk)
    return event


@dataclass
class ChainProblem:
    seq: int | None
    problem: str


def verify_chain(
    school: School,
    *,
    checkpoints: list | None = None,
    unsealed_bound: int | None = None,
    now=None,
) -> list[ChainProblem]:
    """Walk one school's chain; return every break found, first event first (empty when
    intact). ``checkpoints`` (see ``tuanxue.core.chain.checkpoints``) must each still be extended
    by the log; events unsealed for longer than ``unsealed_bound`` seconds are reported."""
    key = audit_key()
    now = now or timezone.now()
    bound = settings.AUDIT_UNSEALED_BOUND if unsealed_bound is None else unsealed_bound
    marks: dict[int, list] = {}
    for cp in checkpoints or []:
        marks.setdefault(cp.seq, []).append(cp)
    matched_upto = 0
    problems: list[ChainProblem] = []
    expected_prev = GENESIS
    expected_seq = 1
    sealed = AuditEvent.objects.filter(school=school, seq__isnull=False).order_by("seq")
    for event in sealed.iterator(2000):
        if event.seq != expected_seq:
            problems.append(
                ChainProblem(
                    expected_seq,
                    _("events %(first)s..%(last)s are missing")
                    % {"first": expected_seq, "last": event.seq - 1},
                )
            )
        if event.prev_hash != expected_prev:
            problems.append(ChainProblem(event.seq, _("does not link to the event before it")))
        if not hmac.compare_digest(digest_of(event, key), event.hash):
            problems.append(
                ChainProblem(event.seq, _("content was changed after it was sealed (bad MAC)"))
            )
        for cp in marks.get(event.seq, []):
            if hmac.compare_digest(cp.head, event.hash):
                matched_upto = max(matched_upto, event.seq)
            else:
                problems.append(
                    ChainProblem(
                        event.seq,
                        _(
                            "differs from the checkpoint of %(time)s: the log was rewritten "
                            "between event %(first)s and this one"
                        )
                        % {"time": cp.time, "first": matched_upto + 1},
                    )
                )
        expected_prev = event.hash
        expected_seq = event.seq + 1
    last_seq = expected_seq - 1
    for cp in checkpoints or []:
        if cp.seq > last_seq:
            problems.append(
                ChainProblem(
                    last_seq + 1,
                    _(
                        "is missing: the checkpoint of %(time)s has the log at event %(seq)s, "
                        "it now ends at %(last)s"
                    )
                    % {"time": cp.time, "seq": cp.seq, "last": last_seq},
                )
            )
    chain = AuditChain.objects.filter(school=school).first()
    if chain is None:
        if last_seq:
            problems.append(
                ChainProblem(
                    None,
                    _("the chain head is missing but events 1..%(last)s exist")
                    % {"last": last_seq},
                )
            )
    elif chain.last_seq != last_seq or (chain.last_hash or GENESIS) != expected_prev:
        problems.append(
            ChainProblem(
                chain.last_seq,
                _("the chain head is at event %(head)s but the log ends at %(last)s")
                % {"head": chain.last_seq, "last": last_seq},
            )
        )
    late = AuditEvent.objects.filter(
        school=school, seq__isnull=True, at__lt=now - dt.timedelta(seconds=bound)
    )
    stale = late.count()
    if stale:
        oldest = late.order_by("at").values_list("at", flat=True).first()
        problems.append(
            ChainProblem(
                None,
                _(
                    "%(n)s events are unsealed for more than %(bound)s s (the oldest since "
                    "%(oldest)s); run `tuanxue audit seal`"
                )
                % {"n": stale, "bound": bound, "oldest": f"{oldest:%Y-%m-%d %H:%M:%S}"},
            )
        )
    return sorted(problems, key=lambda p: (p.seq is None, p.seq or 0))


def old_new(instance: models.Model, fields: list[str], changes: dict) -> tuple[dict, dict]:
    """The before/after values of ``fields`` that ``changes`` actually alters."""
    old, new = {}, {}
    for name in fields:
        if name in changes and getattr(instance, name) != changes[name]:
            old[name] = getattr(instance, name)
            new[name] = changes[name]
    return old, new
