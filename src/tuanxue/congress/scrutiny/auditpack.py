"""The audit pack of a closed poll: everything needed to recount it independently.

Everyone of the school gets the published files:

- ``poll.json``: what the poll was — kind, seats, the candidates (id, name, order), the
  majority and its base, the quorum, and the entitled, present and issued figures;
- ``ballots.csv``: receipt, choice, valid — in receipt order (random), never in casting order;
- ``result.json``: the app's result;
- ``events.json``: the poll's audit events (time, action, figures and hash) without who did
  them or anyone's account name;
- ``digest.txt``: the SHA-256 of each file and of the audit events' hash chain.

``voters.csv`` (student number, name, voted or not — the voter list, not linked to ballots)
and the events with their actors are added only for those who may see voters
(``voters.may_see_voters``: the League committee and the poll's scrutineers).

``tuanxue congress recount PACK.zip`` (``congress/scrutiny/recount.py``) recounts from ``poll.json``
and ``ballots.csv`` alone.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from tuanxue.congress.models import Poll, PollKind, VoterMark
from tuanxue.congress.polls.results import ballots_csv, count_complete, poll_result
from tuanxue.congress.polls.voters import entitled
from tuanxue.core.documents.exports import csv_writer
from tuanxue.core.models import AuditEvent

# Keys of the poll's audit events that name people (account names, student numbers); left
# out of the published pack.
PERSONAL_KEYS = {"counters", "scrutineer", "installed"}


def voters_csv(poll: Poll) -> str:
    voted = set(VoterMark.objects.filter(poll=poll).values_list("delegate_id", flat=True))
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["student_no", "name", "voted"])
    rows = entitled(poll.session).select_related("student").order_by("student__student_no")
    for d in rows:
        writer.writerow([d.student.student_no, d.student.name, "yes" if d.pk in voted else "no"])
    return out.getvalue()


def poll_json(poll: Poll) -> str:
    """The poll's published parameters: all a recount needs besides the ballots."""
    rows = entitled(poll.session)
    data = {
        "poll": poll.pk,
        "title": poll.title,
        "session": poll.session.name,
        "kind": poll.kind,
        "seats": poll.seats,
        "candidates": [
            {"id": c.pk, "name": c.student.name, "order": c.order}
            for c in poll.candidates.select_related("student").order_by("order")
        ],
        "entitled": rows.count(),
        "present": rows.filter(checked_in_at__isnull=False).count(),
        "issued": Poll.objects.filter(pk=poll.pk).values_list("issued", flat=True).first() or 0,
        "quorum": str(poll.session.quorum),
        "paper_ballots": poll.paper_ballots,
        "count_complete": count_complete(poll),
        "runoff_of": poll.runoff_of_id,
    }
    if poll.kind == PollKind.MOTION:
        data["majority"] = poll.motion.majority
        data["base"] = poll.motion.base
    return json.dumps(data, ensure_ascii=False, indent=1)


def poll_events(poll: Poll):
    return AuditEvent.objects.filter(
        school=poll.session.school, target_type="congress.poll", target_id=str(poll.pk)
    ).order_by("id")


def _public(values):
    if not isinstance(values, dict):
        return values
    return {k: v for k, v in values.items() if k not in PERSONAL_KEYS}


def events_json(poll: Poll, *, with_people: bool = False) -> str:
    events = []
    for e in poll_events(poll):
        row = {"seq": e.seq, "at": e.at.isoformat(), "action": e.action}
        if with_people:
            row.update(actor=e.actor_label, old=e.old, new=e.new)
        else:
            row.update(old=_public(e.old), new=_public(e.new))
        row["hash"] = e.hash
        events.append(row)
    return json.dumps(events, ensure_ascii=False, indent=1)


def events_digest(poll: Poll) -> str:
    """SHA-256 over the hash-chain digests of the poll's audit events, in order."""
    h = hashlib.sha256()
    for digest in poll_events(poll).values_list("hash", flat=True):
        h.update(digest.encode())
    return h.hexdigest()


def audit_files(poll: Poll, *, with_voters: bool = False) -> dict[str, bytes]:
    result = poll_result(poll).as_json()
    result.update(poll=poll.pk, title=poll.title, session=poll.session.name)
    files = {
        "poll.json": poll_json(poll).encode(),
        "ballots.csv": ballots_csv(poll).encode(),
        "result.json": json.dumps(result, ensure_ascii=False, indent=1).encode(),
        "events.json": events_json(poll, with_people=with_voters).encode(),
    }
    if with_voters:
        files["voters.csv"] = voters_csv(poll).encode()
    lines = [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in files.items()]
    lines.append(f"{events_digest(poll)}  audit-events")
    files["digest.txt"] = ("\n".join(lines) + "\n").encode()
    return files


def audit_pack_zip(poll: Poll, *, with_voters: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in audit_files(poll, with_voters=with_voters).items():
            z.writestr(name, data)
    return out.getvalue()
