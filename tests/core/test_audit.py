import io

import pytest
from django.db import connection

from tuanxue.core.audit import verify_chain
from tuanxue.core.models import AuditEvent


def test_services_write_a_chain_that_verifies(kit):
    assert AuditEvent.objects.filter(school=kit.school).count() >= 3
    assert verify_chain(kit.school) == []


def test_an_edited_row_is_detected(kit):
    event = AuditEvent.objects.filter(school=kit.school).order_by("seq")[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET target_label = %s WHERE id = %s", ["篡改", event.pk]
        )
    problems = verify_chain(kit.school)
    assert [p.seq for p in problems] == [event.seq]
    assert "changed" in problems[0].problem


def test_a_deleted_row_is_detected(kit):
    events = list(AuditEvent.objects.filter(school=kit.school).order_by("seq"))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    problems = verify_chain(kit.school)
    assert any("missing" in p.problem for p in problems)


def test_deleting_the_last_row_is_detected(kit):
    last = AuditEvent.objects.filter(school=kit.school).order_by("-seq").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    problems = verify_chain(kit.school)
    assert any("head" in p.problem for p in problems)


def test_verify_command_passes_then_fails_after_tampering(kit):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"{kit.school.code}: ok" in out.getvalue()
    event = AuditEvent.objects.filter(school=kit.school).order_by("seq").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = %s WHERE id = %s", ["x.y", event.pk])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--school", kit.school.code, stdout=out)
    assert "BROKEN" in out.getvalue()
    assert f"event {event.seq}" in out.getvalue()


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
    from tuanxue.core.audit import audit_record

    kit = SchoolKit(code="tx")
    with pytest.raises(RuntimeError):
        audit_record(school=kit.school, actor=None, action="x", target=kit.school)
