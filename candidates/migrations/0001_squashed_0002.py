"""candidates 0001–0002 in one: the 培育库 as they left it.

Written from the models: each table created whole with its indexes and constraints, so that an empty database is
migrated in a few steps. A database that applied all the replaced migrations takes this one as applied; one that
applied some goes on with the replaced files, which stay until every installation is past them."""

import applications.validators
import django.db.models.deletion
import operations.clock
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('candidates', '0001_initial'),
        ('candidates', '0002_times_from_the_clock'),
    ]

    dependencies = [
        ('accounts', '0002_squashed_0013'),
        ('applications', '0006_squashed_0012'),
    ]

    operations = [
        migrations.CreateModel(
            name='Candidate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=128, verbose_name='企业名称')),
                ('credit_code', models.CharField(error_messages={'unique': '该统一社会信用代码已在培育库中。'}, max_length=18, unique=True, validators=[applications.validators.validate_credit_code], verbose_name='统一社会信用代码')),
                ('contact_name', models.CharField(max_length=64, verbose_name='联系人')),
                ('contact_phone', models.CharField(max_length=32, verbose_name='联系电话')),
                ('contact_email', models.EmailField(max_length=254, verbose_name='电子邮箱')),
                ('reason', models.TextField(verbose_name='推荐理由')),
                ('origin', models.CharField(choices=[('district', '板块推荐'), ('city', '市级主导')], default='district', max_length=16, verbose_name='来源')),
                ('status', models.CharField(choices=[('cultivating', '培育中'), ('invited', '已邀请注册'), ('applied', '已提交申请'), ('filed', '已备案'), ('dropped', '不再跟进')], db_index=True, default='cultivating', max_length=16, verbose_name='状态')),
                ('dropped_reason', models.TextField(blank=True, verbose_name='不再跟进原因')),
                ('invited_at', models.DateTimeField(blank=True, null=True, verbose_name='邀请时间')),
                ('created_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='入库时间')),
                ('updated_at', operations.clock.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('bureau', models.ForeignKey(limit_choices_to={'kind': 'district'}, on_delete=django.db.models.deletion.PROTECT, related_name='candidates', to='accounts.bureau', verbose_name='所在辖市区')),
                ('consortium', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='applications.consortium', verbose_name='创新联合体')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('industry_field', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='applications.industryfield', verbose_name='产业领域')),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='applications.unit', verbose_name='登记的单位')),
            ],
            options={
                'verbose_name': '培育库',
                'verbose_name_plural': '培育库',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['cultivating', 'invited', 'applied', 'filed', 'dropped'])), name='candidate_status_valid'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'dropped'), _negated=True), models.Q(('dropped_reason', ''), _negated=True), _connector='OR'), name='dropped_candidate_has_reason')],
            },
        ),
    ]
