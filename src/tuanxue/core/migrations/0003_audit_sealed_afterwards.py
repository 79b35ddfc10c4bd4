"""The audit log is chained after commit by a sealer, with a keyed MAC; the actor is a plain id.

Existing events were hashed without a key: they are unsealed here and the sealer (or
``tuanxue audit seal``) chains them again, in their old order, under ``AUDIT_KEY``.
"""

from django.db import migrations, models


def unseal_legacy_events(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChain = apps.get_model("core", "AuditChain")
    AuditEvent.objects.update(seq=None, prev_hash="", hash="")
    AuditChain.objects.update(last_seq=0, last_hash="")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_notification"),
    ]

    operations = [
        # The column actor_id stays as it is (it never had a database constraint); only the
        # model stops treating it as a foreign key, so deleting an account touches no event.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="auditevent", name="actor"),
                migrations.AddField(
                    model_name="auditevent",
                    name="actor_id",
                    field=models.BigIntegerField(blank=True, null=True),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sealed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditchain",
            name="checkpoint_seq",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="auditchain",
            name="checkpoint_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["school", "id"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)),
                fields=["school", "id"],
                name="audit_unsealed",
            ),
        ),
        migrations.RunPython(unseal_legacy_events, migrations.RunPython.noop),
    ]
