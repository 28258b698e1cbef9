from django.db import migrations

from reviews.reference import DEFAULT_CRITERIA


def create_criteria(apps, schema_editor):
    Criterion = apps.get_model("reviews", "Criterion")
    if not Criterion.objects.exists():
        for order, (name, description, weight) in enumerate(DEFAULT_CRITERIA, start=1):
            Criterion.objects.create(name=name, description=description, weight=weight, sort_order=order)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(create_criteria, migrations.RunPython.noop)]
