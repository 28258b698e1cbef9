
from django.db import migrations, models

# 综合论证 was called "evaluation" in code; the yearly 绩效评价 (evaluations app) now owns that word.
RENAMES = {"under_evaluation": "under_appraisal", "start_evaluation": "start_appraisal"}


def rename_stored_values(apps, schema_editor, renames=RENAMES):
    Consortium = apps.get_model("applications", "Consortium")
    StatusChange = apps.get_model("applications", "StatusChange")
    for old, new in renames.items():
        Consortium.objects.filter(status=old).update(status=new)
        StatusChange.objects.filter(from_status=old).update(from_status=new)
        StatusChange.objects.filter(to_status=old).update(to_status=new)
        StatusChange.objects.filter(action=old).update(action=new)


def restore_stored_values(apps, schema_editor):
    rename_stored_values(apps, schema_editor, {new: old for old, new in RENAMES.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0004_part_saves'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='consortium',
            name='one_live_consortium_per_lead',
        ),
        migrations.RunPython(rename_stored_values, restore_stored_values),
        migrations.AlterField(
            model_name='consortium',
            name='status',
            field=models.CharField(choices=[('draft', '草稿'), ('submitted', '待初审'), ('returned', '退回修改（初审）'), ('returned_by_city', '退回修改（综合论证）'), ('district_passed', '初审通过'), ('under_appraisal', '综合论证中'), ('filed', '已备案'), ('rejected', '初审未通过'), ('not_filed', '不予备案'), ('revoked', '资格取消'), ('dissolved', '已解散')], db_index=True, default='draft', max_length=20, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='from_status',
            field=models.CharField(choices=[('draft', '草稿'), ('submitted', '待初审'), ('returned', '退回修改（初审）'), ('returned_by_city', '退回修改（综合论证）'), ('district_passed', '初审通过'), ('under_appraisal', '综合论证中'), ('filed', '已备案'), ('rejected', '初审未通过'), ('not_filed', '不予备案'), ('revoked', '资格取消'), ('dissolved', '已解散')], max_length=20, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='to_status',
            field=models.CharField(choices=[('draft', '草稿'), ('submitted', '待初审'), ('returned', '退回修改（初审）'), ('returned_by_city', '退回修改（综合论证）'), ('district_passed', '初审通过'), ('under_appraisal', '综合论证中'), ('filed', '已备案'), ('rejected', '初审未通过'), ('not_filed', '不予备案'), ('revoked', '资格取消'), ('dissolved', '已解散')], max_length=20, verbose_name='新状态'),
        ),
        migrations.AddConstraint(
            model_name='consortium',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('draft', 'submitted', 'returned', 'returned_by_city', 'district_passed', 'under_appraisal', 'filed'))), fields=('lead_unit',), name='one_live_consortium_per_lead', violation_error_message='该牵头单位已牵头一个在建或已备案的创新联合体。'),
        ),
    ]
