
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0005_appraisal_names'),
        ('reviews', '0002_default_criteria'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(
            old_name='EvaluationRound',
            new_name='AppraisalRound',
        ),
        migrations.AlterField(
            model_name='roundentry',
            name='consortium',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appraisal_entries', to='applications.consortium'),
        ),
    ]
