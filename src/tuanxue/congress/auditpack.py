"""The audit pack of a closed poll: everything needed to recount it independently.

ballots.csv (receipt, choice, valid — in receipt order), voters.csv (the entitled delegates and
whether each voted by phone — the voter list, not linked to ballots), result.json, the poll's
audit events, and digest.txt with the SHA-256 of each file and of the events.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

from tuanxue.congress.models import Poll, VoterMark
from tuanxue.congress.polls import entitled
from tuanxue.congress.results import ballots_csv, poll_result
from tuanxue.core.models import AuditEvent


def voters_csv(poll: Poll) -> str:
    voted = set(VoterMark.objects.filter(poll=poll).values_list("delegate_id", flat=True))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student_no", "name", "voted"])
    rows = entitled(poll.session).select_related("student").order_by("student__student_no")
    for d in rows:
        writer.writerow([d.student.student_no, d.student.name, "yes" if d.pk in voted else "no"])
    return out.getvalue()


def poll_events(poll: Poll):
    return AuditEvent.objects.filter(
        school=poll.session.school, target_type="congress.poll", target_id=str(poll.pk)
    ).order_by("seq")


def events_json(poll: Poll) -> str:
    events = [
        {
            "seq": e.seq,
            "at": e.at.isoformat(),
            "actor": e.actor_label,
            "action": e.action,
            "old": e.old,
            "new": e.new,
            "hash": e.hash,
        }
        for e in poll_events(poll)
    ]
    return json.dumps(events, ensure_ascii=False, indent=1)


def events_digest(poll: Poll) -> str:
    """SHA-256 over the hash-chain digests of the poll's audit events, in order."""
    h = hashlib.sha256()
    for digest in poll_events(poll).values_list("hash", flat=True):
        h.update(digest.encode())
    return h.hexdigest()


def audit_files(poll: Poll) -> dict[str, bytes]:
    result = poll_result(poll).as_json()
    result.update(poll=poll.pk, title=poll.title, session=poll.session.name)
    files = {
        "ballots.csv": ballots_csv(poll).encode(),
        "voters.csv": voters_csv(poll).encode(),
        "result.json": json.dumps(result, ensure_ascii=False, indent=1).encode(),
        "events.json": events_json(poll).encode(),
    }
    lines = [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in files.items()]
    lines.append(f"{events_digest(poll)}  audit-events")
    files["digest.txt"] = ("\n".join(lines) + "\n").encode()
    return files


def audit_pack_zip(poll: Poll) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in audit_files(poll).items():
            z.writestr(name, data)
    return out.getvalue()
