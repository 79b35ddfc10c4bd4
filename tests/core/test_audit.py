import io

import pytest
from django.db import connection, transaction

from tuanxue.core.audit import audit_record, verify_chain
from tuanxue.core.chain.sealer import seal_until_done
from tuanxue.core.models import AuditEvent


@pytest.fixture
def sealed(kit):
    """The kit school with its events chained (the test's transaction never commits, so the
    sealer that runs after commit is called directly)."""
    seal_until_done(kit.school.pk)
    assert not AuditEvent.objects.filter(school=kit.school, seq__isnull=True).exists()
    return kit


def test_services_write_a_chain_that_verifies(sealed):
    assert AuditEvent.objects.filter(school=sealed.school).count() >= 3
    assert verify_chain(sealed.school) == []


def test_events_are_written_unsealed_and_sealed_in_id_order(kit):
    ids = list(AuditEvent.objects.filter(school=kit.school).values_list("id", flat=True))
    assert set(AuditEvent.objects.filter(school=kit.school).values_list("seq", flat=True)) == {None}
    # Fresh unsealed events are no problem for verify; they are once older than the bound.
    assert verify_chain(kit.school) == []
    seal_until_done(kit.school.pk)
    rows = list(AuditEvent.objects.filter(school=kit.school).order_by("seq"))
    assert [e.id for e in rows] == sorted(ids)
    assert [e.seq for e in rows] == list(range(1, len(ids) + 1))
    assert all(e.sealed_at is not None for e in rows)


def test_events_unsealed_longer_than_the_bound_are_reported(kit):
    problems = verify_chain(kit.school, unsealed_bound=0)
    assert problems and "未封存" in problems[-1].problem


def test_an_edited_row_is_detected(sealed):
    event = AuditEvent.objects.filter(school=sealed.school).order_by("seq")[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET target_label = %s WHERE id = %s", ["篡改", event.pk]
        )
    problems = verify_chain(sealed.school)
    assert [p.seq for p in problems] == [event.seq]
    assert "被改动" in problems[0].problem


def test_a_deleted_row_is_detected(sealed):
    events = list(AuditEvent.objects.filter(school=sealed.school).order_by("seq"))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    problems = verify_chain(sealed.school)
    assert problems[0].seq == events[1].seq and "缺失" in problems[0].problem


def test_deleting_the_last_row_is_detected(sealed):
    last = AuditEvent.objects.filter(school=sealed.school).order_by("-seq").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    problems = verify_chain(sealed.school)
    assert any("链头" in p.problem for p in problems)


def test_a_deleted_chain_row_is_detected_and_not_restarted(sealed):
    from tuanxue.core.chain.sealer import ChainHeadMissing

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditchain WHERE school_id = %s", [sealed.school.pk])
    assert any("链头记录缺失" in p.problem for p in verify_chain(sealed.school))
    with transaction.atomic():
        audit_record(school=sealed.school, actor=None, action="x.y", target=sealed.school)
    with pytest.raises(ChainHeadMissing):
        seal_until_done(sealed.school.pk)


def test_verify_command_passes_then_fails_after_tampering(sealed):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"{sealed.school.code}：完好" in out.getvalue()
    event = AuditEvent.objects.filter(school=sealed.school).order_by("seq").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = %s WHERE id = %s", ["x.y", event.pk])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--school", sealed.school.code, stdout=out)
    assert "已被篡改" in out.getvalue()
    assert f"第 {event.seq} 条" in out.getvalue()


def test_audit_rows_refuse_update_and_delete(kit):
    event = AuditEvent.objects.filter(school=kit.school).first()
    event.action = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused():
    from tests.conftest import SchoolKit

    kit = SchoolKit(code="tx")
    with pytest.raises(RuntimeError):
        audit_record(school=kit.school, actor=None, action="x", target=kit.school)


@pytest.mark.django_db(transaction=True)
def test_events_are_sealed_right_after_commit_outside_the_server():
    from tests.conftest import SchoolKit

    kit = SchoolKit(code="tx")
    events = AuditEvent.objects.filter(school=kit.school)
    assert events.count() >= 3
    assert not events.filter(seq__isnull=True).exists()
    with transaction.atomic():
        audit_record(school=kit.school, actor=None, action="x.one", target=kit.school)
        audit_record(school=kit.school, actor=None, action="x.two", target=kit.school)
        assert events.filter(seq__isnull=True).count() == 2
    assert not events.filter(seq__isnull=True).exists()
    last_two = list(events.order_by("-seq").values_list("action", flat=True)[:2])
    assert last_two == ["x.two", "x.one"]
    assert verify_chain(kit.school, unsealed_bound=0) == []
    # A rolled-back change leaves no event.
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(school=kit.school, actor=None, action="x.gone", target=kit.school)
        1 / 0  # noqa: B018
    assert not events.filter(action="x.gone").exists()
