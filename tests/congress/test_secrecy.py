"""Nothing in the schema, the rows or the audit log links a ballot to a voter."""

from __future__ import annotations

import csv
import io
import zipfile

from django.db import connection, models

from tests.builders.congress import Hall
from tuanxue.congress.models import Ballot, VoterMark
from tuanxue.congress.polls import ballots, decisions
from tuanxue.congress.scrutiny import auditpack
from tuanxue.core.models import AuditEvent


def _columns(model) -> dict[str, str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {col.name: col for col in description}


def test_schemas_share_nothing_but_the_poll(db):
    ballot_cols = set(_columns(Ballot))
    mark_cols = set(_columns(VoterMark))
    assert ballot_cols & mark_cols == {"id", "poll_id"}
    for model in (Ballot, VoterMark):
        for f in model._meta.concrete_fields:
            assert not isinstance(f, models.DateField | models.TimeField), f
            assert not isinstance(f, models.AutoField | models.BigAutoField), f
        assert isinstance(model._meta.pk, models.UUIDField)
        assert model._meta.pk.default is not None
    # "id" is shared by name only: both are random UUIDs, and no foreign key joins them.
    assert not any(f.related_model is VoterMark for f in Ballot._meta.concrete_fields)
    assert not any(f.related_model is Ballot for f in VoterMark._meta.concrete_fields)


def test_rows_and_audit_events_do_not_link_voters_to_ballots(kit):
    hall = Hall(kit, 12)
    poll = hall.motion_poll()
    receipts = [
        ballots.ballot_cast(actor=hall.user(i), poll=poll, choice=("yes", "no")[i % 2])
        for i in range(12)
    ]
    decisions.poll_close(actor=hall.league, poll=poll)

    pack = zipfile.ZipFile(io.BytesIO(auditpack.audit_pack_zip(poll, with_voters=True)))
    listed = [
        row["receipt"] for row in csv.DictReader(io.StringIO(pack.read("ballots.csv").decode()))
    ]
    assert listed == sorted(receipts)
    # the random order of receipts is not the order of casting (12! orders; equality is ~0)
    assert listed != receipts
    voters = list(csv.DictReader(io.StringIO(pack.read("voters.csv").decode())))
    assert len(voters) == 12 and all(v["voted"] == "yes" for v in voters)
    assert set(voters[0]) == {"student_no", "name", "voted"}
    digest = pack.read("digest.txt").decode()
    assert "ballots.csv" in digest and "audit-events" in digest

    ballot_ids = {str(b) for b in Ballot.objects.values_list("id", flat=True)}
    mark_ids = {str(m) for m in VoterMark.objects.values_list("id", flat=True)}
    delegate_ids = {str(d.pk) for d in hall.delegates}
    for event in AuditEvent.objects.filter(school=kit.school):
        text = f"{event.target_type} {event.target_id} {event.target_label} {event.old} {event.new}"
        assert event.target_type not in ("congress.ballot", "congress.votermark")
        assert not any(code in text for code in receipts), event.action
        assert not any(i in text for i in ballot_ids | mark_ids)
        if event.target_type == "congress.poll":
            assert not any(f"delegate {d}" in text for d in delegate_ids)
            assert not any(d.student.name in text for d in hall.delegates)
