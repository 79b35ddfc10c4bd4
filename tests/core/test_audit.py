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
