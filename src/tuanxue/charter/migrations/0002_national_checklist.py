import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from tuanxue.charter.checklist import NATIONAL_2020 as data

    Version = apps.get_model("charter", "ChecklistVersion")
    Item = apps.get_model("charter", "ChecklistItem")
    version, _ = Version.objects.get_or_create(
        code=data["code"],
        defaults={
            "name": data["name"],
            "effective_from": dt.date.fromisoformat(data["effective_from"]),
        },
    )
    for order, (code, title, core, check) in enumerate(data["items"], start=1):
        Item.objects.update_or_create(
            version=version,
            code=code,
            defaults={"order": order, "title": title, "core": core, "check_key": check},
        )


def unload(apps, schema_editor):
    apps.get_model("charter", "ChecklistVersion").objects.filter(code="2020").delete()


class Migration(migrations.Migration):
    dependencies = [("charter", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
