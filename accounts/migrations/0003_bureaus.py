from django.db import migrations

from accounts import reference


def create_bureaus(apps, schema_editor):
    reference.install(apps.get_model("accounts", "Bureau"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(create_bureaus, migrations.RunPython.noop)]
