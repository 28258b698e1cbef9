from django.db import migrations

from accounts.reference import DISTRICT_BUREAUS, MUNICIPAL_BUREAU


def create_bureaus(apps, schema_editor):
    Bureau = apps.get_model("accounts", "Bureau")
    Bureau.objects.get_or_create(name=MUNICIPAL_BUREAU, defaults={"kind": "municipal", "sort_order": 0})
    for order, (name, district) in enumerate(DISTRICT_BUREAUS, start=1):
        Bureau.objects.get_or_create(name=name, defaults={"district": district, "kind": "district", "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(create_bureaus, migrations.RunPython.noop)]
