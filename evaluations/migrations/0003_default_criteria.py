from django.db import migrations

from evaluations import reference


def create_criteria(apps, schema_editor):
    reference.install(apps.get_model("evaluations", "EvaluationCriterion"))


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_after_filing")]
    operations = [migrations.RunPython(create_criteria, migrations.RunPython.noop)]
