"""Signed checkpoints of the audit chain: (school, seq, head, time, signature).

A checkpoint kept outside the database (the append-only file the sealer writes, a copy the
League committee downloads, a printout) proves what the log held at that time: ``tuanxue audit
verify --checkpoint FILE`` fails when the log no longer extends it. The signature is an
HMAC with a key derived from ``AUDIT_KEY``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tuanxue.core.chain.digest import GENESIS, audit_key
from tuanxue.core.models import AuditChain, AuditEvent, School

logger = logging.getLogger(__name__)


class CheckpointError(ValueError):
    pass


@dataclass(frozen=True)
class Checkpoint:
    school: str
    seq: int
    head: str
    time: str
    signature: str = ""

    def message(self) -> bytes:
        return f"tuanxue-audit-checkpoint\n{self.school}\n{self.seq}\n{self.head}\n{self.time}".encode()

    def to_line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))


def _signing_key() -> bytes:
    return hmac.new(audit_key(), b"checkpoint", hashlib.sha256).digest()


def sign(school: str, seq: int, head: str, time: str | None = None) -> Checkpoint:
    time = time or timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    unsigned = Checkpoint(school=school, seq=seq, head=head, time=time)
    signature = hmac.new(_signing_key(), unsigned.message(), hashlib.sha256).hexdigest()
    return Checkpoint(school=school, seq=seq, head=head, time=time, signature=signature)


def is_genuine(cp: Checkpoint) -> bool:
    expected = hmac.new(_signing_key(), cp.message(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, cp.signature)


def current(school: School) -> Checkpoint:
    """A checkpoint of the school's sealed log as it is now (its last sealed event)."""
    last = (
        AuditEvent.objects.filter(school=school, seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, head = last if last else (0, GENESIS)
    chain = AuditChain.objects.filter(school=school).first()
    if seq and (chain is None or chain.last_seq != seq or chain.last_hash != head):
        raise CheckpointError(
            f"{school.code}: the chain head does not match the last sealed event; "
            "run `tuanxue audit verify` first"
        )
    return sign(school.code, seq, head)


def parse(text: str, *, school: str | None = None) -> list[Checkpoint]:
    """The checkpoints in ``text`` (one JSON object a line), for ``school`` if given. A line
    that is not a checkpoint, or whose signature is wrong, is refused."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            data = json.loads(line)
            cp = Checkpoint(
                school=str(data["school"]),
                seq=int(data["seq"]),
                head=str(data["head"]),
                time=str(data["time"]),
                signature=str(data["signature"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"line {number} is not a checkpoint ({exc})") from exc
        if not is_genuine(cp):
            raise CheckpointError(
                f"line {number}: the signature is wrong (forged, edited, or another AUDIT_KEY)"
            )
        if school is None or cp.school == school:
            found.append(cp)
    return found


def checkpoint_file() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def append(cp: Checkpoint) -> None:
    """Append one line to the checkpoint file (opened append-only, synced to disk)."""
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (cp.to_line() + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def from_file(school: str) -> list[Checkpoint]:
    path = checkpoint_file()
    if not path.exists():
        return []
    return parse(path.read_text(encoding="utf-8"), school=school)
