import applications.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def separate_registrations_and_declarations(apps, schema_editor):
    """Members keep what their lead declared; a registration not yet approved leaves the unit registry."""
    Unit = apps.get_model("applications", "Unit")
    Membership = apps.get_model("applications", "Membership")
    Consortium = apps.get_model("applications", "Consortium")
    Registration = apps.get_model("applications", "Registration")
    User = apps.get_model("accounts", "User")
    for membership in Membership.objects.select_related("unit"):
        membership.unit_name, membership.unit_kind = membership.unit.name, membership.unit.kind
        membership.save(update_fields=["unit_name", "unit_kind"])
    for unit in Unit.objects.exclude(registration_status="unregistered"):
        applicant = User.objects.filter(unit=unit, role="applicant").order_by("pk").first()
        if applicant is not None and unit.bureau_id is not None:
            Registration.objects.create(
                applicant=applicant, name=unit.name, credit_code=unit.credit_code, bureau_id=unit.bureau_id,
                legal_representative=unit.legal_representative, address=unit.address, status=unit.registration_status,
                reason=unit.registration_reason, reviewed_by_id=unit.registration_reviewed_by_id,
                reviewed_at=unit.registration_reviewed_at, created_at=unit.created_at,
                unit=unit if unit.registration_status == "approved" else None,
            )
        if unit.registration_status == "approved":
            continue
        User.objects.filter(unit=unit).update(unit=None)
        if Membership.objects.filter(unit=unit).exists() or Consortium.objects.filter(lead_unit=unit).exists():
            unit.registration_status = "unregistered"
            unit.save(update_fields=["registration_status"])
        else:
            unit.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_applicant_without_unit'),
        ('applications', '0005_appraisal_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Registration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=128, verbose_name='单位名称')),
                ('credit_code', models.CharField(max_length=18, validators=[applications.validators.validate_credit_code], verbose_name='统一社会信用代码')),
                ('legal_representative', models.CharField(max_length=64, verbose_name='法定代表人')),
                ('address', models.CharField(max_length=200, verbose_name='通讯地址')),
                ('status', models.CharField(choices=[('pending', '待审核'), ('approved', '已通过'), ('rejected', '未通过')], db_index=True, default='pending', max_length=16, verbose_name='审核状态')),
                ('reason', models.TextField(blank=True, verbose_name='审核意见')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='提交时间')),
            ],
            options={
                'verbose_name': '单位注册申请',
                'verbose_name_plural': '单位注册申请',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='registration',
            name='applicant',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='registration', to=settings.AUTH_USER_MODEL, verbose_name='注册账号'),
        ),
        migrations.AddField(
            model_name='registration',
            name='bureau',
            field=models.ForeignKey(limit_choices_to={'kind': 'district'}, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='accounts.bureau', verbose_name='所在辖区'),
        ),
        migrations.AddField(
            model_name='registration',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人'),
        ),
        migrations.AddField(
            model_name='registration',
            name='unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='applications.unit', verbose_name='登记的单位'),
        ),
        migrations.AddField(
            model_name='application',
            name='shortfall_statement',
            field=models.TextField(blank=True, verbose_name='情况说明'),
        ),
        migrations.AddField(
            model_name='membership',
            name='unit_kind',
            field=models.CharField(choices=[('enterprise', '企业'), ('university', '高校'), ('institute', '科研院所'), ('other', '其他')], default='enterprise', max_length=16, verbose_name='单位类型（申报）'),
        ),
        migrations.AddField(
            model_name='membership',
            name='unit_name',
            field=models.CharField(default='', max_length=128, verbose_name='单位名称（申报）'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='membership',
            name='joined_on',
            field=models.DateField(blank=True, help_text='空：自组建起', null=True, verbose_name='加入日期'),
        ),
        migrations.RunPython(separate_registrations_and_declarations, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='unit',
            name='registered_unit_has_district',
        ),
        migrations.RemoveField(
            model_name='unit',
            name='registration_reason',
        ),
        migrations.RemoveField(
            model_name='unit',
            name='registration_reviewed_at',
        ),
        migrations.RemoveField(
            model_name='unit',
            name='registration_reviewed_by',
        ),
        migrations.AlterField(
            model_name='unit',
            name='registration_status',
            field=models.CharField(choices=[('unregistered', '未注册（成员单位）'), ('approved', '已通过')], default='unregistered', max_length=16, verbose_name='注册状态'),
        ),
        migrations.AddConstraint(
            model_name='unit',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('registration_status', 'approved'), _negated=True), ('bureau__isnull', False), _connector='OR'), name='registered_unit_has_district'),
        ),
        migrations.AddConstraint(
            model_name='unit',
            constraint=models.CheckConstraint(condition=models.Q(('registration_status__in', ('unregistered', 'approved'))), name='unit_registry_status'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('credit_code',), name='one_pending_registration_per_code', violation_error_message='该统一社会信用代码已提交注册，正在等待审核。'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ('pending', 'approved', 'rejected'))), name='registration_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'approved'), _negated=True), ('unit__isnull', False), _connector='OR'), name='approved_registration_has_unit'),
        ),
    ]
