"""Signed checkpoints: the log must still extend them after each kind of tampering, and
people leaving (accounts, students deleted) changes no event."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from tuanxue.core.audit import GENESIS, audit_record, digest_of, verify_chain
from tuanxue.core.chain import checkpoints
from tuanxue.core.chain.sealer import seal_until_done
from tuanxue.core.models import AuditChain, AuditEvent


@pytest.fixture
def logged(kit):
    """Ten more events in the kit school, all sealed, and a checkpoint file taken now."""
    with transaction.atomic():
        for n in range(10):
            audit_record(school=kit.school, actor=None, action=f"test.n{n}", target=kit.school)
    seal_until_done(kit.school.pk)
    out = io.StringIO()
    call_command("audit", "checkpoint", "--school", kit.school.code, stdout=out)
    kit.checkpoint_line = out.getvalue().strip()
    return kit


def _verify(kit, tmp_path):
    path = tmp_path / "witness.jsonl"
    path.write_text(kit.checkpoint_line + "\n", encoding="utf-8")
    out = io.StringIO()
    try:
        call_command(
            "audit", "verify", "--school", kit.school.code, "--checkpoint", str(path), stdout=out
        )
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


def _events(kit):
    return list(AuditEvent.objects.filter(school=kit.school).order_by("seq"))


def _rechain(events, start):
    """What someone with the repository's code and the key does after an edit: recompute every
    later link and MAC, and move the head."""
    prev = events[start - 1].hash if start else GENESIS
    for e in events[start:]:
        e.prev_hash = prev
        e.hash = digest_of(e)
        prev = e.hash
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditevent SET seq=%s, prev_hash=%s, hash=%s, target_label=%s "
                "WHERE id=%s",
                [e.seq, e.prev_hash, e.hash, e.target_label, e.pk],
            )
    AuditChain.objects.filter(school_id=events[0].school_id).update(
        last_seq=events[-1].seq, last_hash=prev
    )


def test_checkpoint_is_signed_and_printed(logged):
    data = json.loads(logged.checkpoint_line)
    assert set(data) == {"school", "seq", "head", "time", "signature"}
    last = _events(logged)[-1]
    assert (data["school"], data["seq"], data["head"]) == (logged.school.code, last.seq, last.hash)
    # It was also appended to the checkpoint file.
    assert checkpoints.from_file(logged.school.code)[-1].to_line() == logged.checkpoint_line
    forged = dict(data, seq=data["seq"] - 1)
    with pytest.raises(checkpoints.CheckpointError):
        checkpoints.parse(json.dumps(forged))


def test_an_intact_log_extends_the_checkpoint(logged, tmp_path):
    with transaction.atomic():
        audit_record(school=logged.school, actor=None, action="test.after", target=logged.school)
    seal_until_done(logged.school.pk)
    ok, out = _verify(logged, tmp_path)
    assert ok, out
    assert "延续 1 个检查点" in out


def test_truncation_with_the_head_rewound_fails_against_the_checkpoint(logged, tmp_path):
    events = _events(logged)
    keep = events[:-3]
    AuditEvent.objects.filter(pk__in=[e.pk for e in events[-3:]])._raw_delete(connection.alias)
    AuditChain.objects.filter(school=logged.school).update(
        last_seq=keep[-1].seq, last_hash=keep[-1].hash
    )
    assert verify_chain(logged.school) == []  # consistent on its own: only the witness knows
    ok, out = _verify(logged, tmp_path)
    assert not ok
    assert f"第 {events[-3].seq} 条: 缺失" in out


def test_a_deleted_chain_row_with_the_tail_fails(logged, tmp_path):
    events = _events(logged)
    AuditEvent.objects.filter(pk__in=[e.pk for e in events[-2:]])._raw_delete(connection.alias)
    AuditChain.objects.filter(school=logged.school)._raw_delete(connection.alias)
    ok, out = _verify(logged, tmp_path)
    assert not ok
    assert f"第 {events[-2].seq} 条: 缺失" in out
    assert "链头记录缺失" in out


def test_a_rewrite_with_the_key_fails_against_the_checkpoint(logged, tmp_path):
    events = _events(logged)
    events[4].target_label = "篡改"
    _rechain(events, 4)
    assert verify_chain(logged.school) == []  # the key holder can make it consistent
    ok, out = _verify(logged, tmp_path)
    assert not ok
    assert f"第 {events[-1].seq} 条: 与" in out and "检查点不符" in out


def test_a_rewrite_without_the_key_names_the_first_bad_event(logged, tmp_path, settings):
    events = _events(logged)
    settings.AUDIT_KEY = "someone-elses-key"
    events[4].target_label = "篡改"
    _rechain(events, 4)
    settings.AUDIT_KEY = "development-audit-key-not-for-production"
    ok, out = _verify(logged, tmp_path)
    assert not ok
    first = out.splitlines()[1]
    assert first.startswith(f"  第 {events[4].seq} 条:") and "MAC 不符" in first


def test_reordering_fails(logged, tmp_path):
    events = _events(logged)
    a, b = events[3], events[6]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET seq = 999999 WHERE id = %s", [a.pk])
        cursor.execute("UPDATE core_auditevent SET seq = %s WHERE id = %s", [a.seq, b.pk])
        cursor.execute("UPDATE core_auditevent SET seq = %s WHERE id = %s", [b.seq, a.pk])
    ok, out = _verify(logged, tmp_path)
    assert not ok
    assert out.splitlines()[1].startswith(f"  第 {a.seq} 条:")


def _raw_events(school):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM core_auditevent WHERE school_id = %s ORDER BY id", [school.pk]
        )
        return cursor.fetchall()


def test_people_leaving_never_rewrites_history(kit, tmp_path):
    from tuanxue.core.api.tokens import token_create

    user = kit.user("leaver", student=True)
    student = user.student
    token_create(actor=user, user=user, name="phone")
    with transaction.atomic():
        audit_record(school=kit.school, actor=user, action="test.by_user", target=student)
        audit_record(school=kit.school, actor=None, action="test.on_student", target=student)
    seal_until_done(kit.school.pk)
    event = AuditEvent.objects.get(action="test.by_user")
    assert (event.actor_id, event.actor_label, event.actor) == (user.pk, "leaver", user)
    out = io.StringIO()
    call_command("audit", "checkpoint", "--school", kit.school.code, stdout=out)
    kit.checkpoint_line = out.getvalue().strip()
    before = _raw_events(kit.school)

    user_id = user.pk
    user.is_active = False
    user.save()
    student.delete()
    user.delete()

    assert _raw_events(kit.school) == before
    event = AuditEvent.objects.get(action="test.by_user")
    assert (event.actor_id, event.actor_label, event.actor) == (user_id, "leaver", None)
    assert verify_chain(kit.school) == []
    ok, out = _verify(kit, tmp_path)
    assert ok, out
