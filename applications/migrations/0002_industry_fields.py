from django.db import migrations

from applications.reference import INDUSTRY_FIELDS


def create_fields(apps, schema_editor):
    IndustryField = apps.get_model("applications", "IndustryField")
    for order, (cluster, name) in enumerate(INDUSTRY_FIELDS, start=1):
        IndustryField.objects.get_or_create(name=name, defaults={"cluster": cluster, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(create_fields, migrations.RunPython.noop)]
