"""reviews 0001–0007 in one: the 综合论证 and the notices as they left them, and the default criteria with the application
content each shows (reviews.reference).

Written from the models: each table created whole with its indexes and constraints, so that an empty database is
migrated in a few steps. The backfill of 0005 (marked elidable) is left out: it moves rows of this app's tables,
which a database without these migrations cannot hold. A database that applied all the replaced migrations takes this
one as applied; one that applied some goes on with the replaced files, which stay until every installation is past
them."""

import django.core.validators
import django.db.models.deletion
import operations.clock
from django.conf import settings
from django.db import migrations, models

from reviews import reference


def create_criteria(apps, schema_editor):
    model = apps.get_model("reviews", "Criterion")
    reference.install(model)
    reference.mark_evidence(model)


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('reviews', '0001_initial'),
        ('reviews', '0002_default_criteria'),
        ('reviews', '0003_appraisal_round'),
        ('reviews', '0004_criterion_evidence'),
        ('reviews', '0005_notices_own_content_and_numbers'),
        ('reviews', '0006_recommendation_opinion'),
        ('reviews', '0007_times_from_the_clock'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('applications', '0006_squashed_0012'),
    ]

    operations = [
        migrations.CreateModel(
            name='Criterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=64, verbose_name='评分项')),
                ('description', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                ('weight', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='权重（%）')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
                ('evidence', models.CharField(blank=True, choices=[('organisation', '首席专家与组织机构（§四（三））'), ('charter', '组建协议八项内容（§四（二））')], max_length=16, verbose_name='评分时展示的申请书内容')),
            ],
            options={
                'verbose_name': '评分项',
                'verbose_name_plural': '评分项',
                'ordering': ['sort_order', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='AppraisalRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=128, verbose_name='论证批次')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('created_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '综合论证批次',
                'verbose_name_plural': '综合论证批次',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='DocumentNumberSequence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('filing', '备案编号'), ('revocation', '取消资格决定文号')], max_length=16, verbose_name='文件种类')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('last', models.PositiveIntegerField(default=0, verbose_name='已用至')),
            ],
            options={
                'verbose_name': '文号序列',
                'verbose_name_plural': '文号序列',
                'constraints': [models.UniqueConstraint(fields=('kind', 'year'), name='one_sequence_per_kind_and_year')],
            },
        ),
        migrations.CreateModel(
            name='ExpertProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('employer_credit_code', models.CharField(blank=True, max_length=18, verbose_name='工作单位统一社会信用代码')),
                ('specialty', models.CharField(blank=True, max_length=128, verbose_name='专业领域')),
                ('user', models.OneToOneField(limit_choices_to={'role': 'expert'}, on_delete=django.db.models.deletion.CASCADE, related_name='expert_profile', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '专家信息',
                'verbose_name_plural': '专家信息',
            },
        ),
        migrations.CreateModel(
            name='FilingNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content', models.JSONField(verbose_name='通知内容')),
                ('sha256', models.CharField(max_length=64, verbose_name='内容摘要')),
                ('issued_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
                ('consortium', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='filing_notice', to='applications.consortium')),
            ],
            options={
                'verbose_name': '备案通知书',
                'verbose_name_plural': '备案通知书',
            },
        ),
        migrations.CreateModel(
            name='RecommendationOpinion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content', models.JSONField(verbose_name='推荐意见内容')),
                ('sha256', models.CharField(max_length=64, verbose_name='内容摘要')),
                ('state', models.CharField(choices=[('pending', '排队中'), ('done', '已生成'), ('failed', '生成失败')], default='pending', max_length=16, verbose_name='生成状态')),
                ('file', models.FileField(blank=True, max_length=300, upload_to='recommendations/%Y/', verbose_name='文件')),
                ('error', models.TextField(blank=True, verbose_name='错误')),
                ('created_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='出具时间')),
                ('rendered_at', models.DateTimeField(blank=True, null=True, verbose_name='生成时间')),
                ('change', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='applications.statuschange')),
                ('consortium', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='recommendation_opinion', to='applications.consortium')),
            ],
            options={
                'verbose_name': '推荐意见',
                'verbose_name_plural': '推荐意见',
            },
        ),
        migrations.CreateModel(
            name='RoundEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version_number', models.PositiveIntegerField(verbose_name='论证版本')),
                ('opinion', models.TextField(blank=True, verbose_name='综合论证意见')),
                ('decision', models.CharField(blank=True, max_length=32, verbose_name='结论')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='决定时间')),
                ('content', models.JSONField(blank=True, null=True, verbose_name='论证意见内容')),
                ('sha256', models.CharField(blank=True, max_length=64, verbose_name='内容摘要')),
                ('draft_printable', models.BooleanField(default=True, verbose_name='论证结束前可打印未定稿')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appraisal_entries', to='applications.consortium')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='reviews.appraisalround')),
            ],
            options={
                'verbose_name': '论证申请',
                'verbose_name_plural': '论证申请',
                'ordering': ['round', 'id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('decided_at__isnull', True)), fields=('consortium',), name='one_open_entry_per_consortium')],
            },
        ),
        migrations.CreateModel(
            name='ExpertAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assigned_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='分配时间')),
                ('conflict_declared', models.BooleanField(default=False, verbose_name='已声明回避')),
                ('conflict_reason', models.CharField(blank=True, max_length=300, verbose_name='回避理由')),
                ('comment', models.TextField(blank=True, verbose_name='评审意见')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='提交评分时间')),
                ('assigned_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('expert', models.ForeignKey(limit_choices_to={'role': 'expert'}, on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to=settings.AUTH_USER_MODEL)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='reviews.roundentry')),
            ],
            options={
                'verbose_name': '专家评审任务',
                'verbose_name_plural': '专家评审任务',
                'ordering': ['entry', 'id'],
                'constraints': [models.UniqueConstraint(fields=('entry', 'expert'), name='expert_once_per_entry')],
            },
        ),
        migrations.CreateModel(
            name='Score',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weight', models.PositiveSmallIntegerField(verbose_name='评分时的权重')),
                ('value', models.DecimalField(decimal_places=1, max_digits=4, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='得分')),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='reviews.expertassignment')),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reviews.criterion')),
            ],
            options={
                'verbose_name': '评分',
                'verbose_name_plural': '评分',
                'constraints': [models.UniqueConstraint(fields=('assignment', 'criterion'), name='one_score_per_criterion'), models.CheckConstraint(condition=models.Q(('value__gte', 0), ('value__lte', 100)), name='score_in_range')],
            },
        ),
        migrations.RunPython(create_criteria, migrations.RunPython.noop),
    ]
