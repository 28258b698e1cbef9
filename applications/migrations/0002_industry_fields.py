from django.db import migrations

from applications import reference


def create_fields(apps, schema_editor):
    reference.install(apps.get_model("applications", "IndustryField"))


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(create_fields, migrations.RunPython.noop)]
