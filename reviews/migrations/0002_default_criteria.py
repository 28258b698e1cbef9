from django.db import migrations

from reviews import reference


def create_criteria(apps, schema_editor):
    reference.install(apps.get_model("reviews", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(create_criteria, migrations.RunPython.noop)]
