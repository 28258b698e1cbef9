"""evaluations 0001–0013 in one: every table after 备案 as they left them, and the default 绩效评价 criteria
(evaluations.reference).

Written from the models: each table created whole with its indexes and constraints, so that an empty database is
migrated in a few steps. The backfills of 0005, 0006, 0009 and 0010 (marked elidable) are left out: they change rows
of this app's tables, and the steps of its member changes, which a database without these migrations cannot hold. A
database that applied all the replaced migrations takes this one as applied; one that applied some goes on with the
replaced files, which stay until every installation is past them."""

import applications.validators
import django.core.validators
import django.db.models.deletion
import evaluations.models.grading
import evaluations.models.legacy
import operations.clock
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from evaluations import reference


def create_criteria(apps, schema_editor):
    reference.install(apps.get_model("evaluations", "EvaluationCriterion"))


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('evaluations', '0001_initial'),
        ('evaluations', '0002_after_filing'),
        ('evaluations', '0003_default_criteria'),
        ('evaluations', '0004_evaluation_basis_no_report'),
        ('evaluations', '0005_grades_by_year_panels_corrections_recommendations'),
        ('evaluations', '0006_requests_filed_not_recorded'),
        ('evaluations', '0007_supplementary_agreement_signatories'),
        ('evaluations', '0008_the_supplementary_agreement'),
        ('evaluations', '0009_project_kind_level_bound'),
        ('evaluations', '0010_support_records'),
        ('evaluations', '0011_filed_imports'),
        ('evaluations', '0012_work_records'),
        ('evaluations', '0013_times_from_the_clock'),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('applications', '0006_squashed_0012'),
    ]

    operations = [
        migrations.CreateModel(
            name='EvaluationCriterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=64, verbose_name='评分项')),
                ('description', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                ('weight', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='权重（%）')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
            ],
            options={
                'verbose_name': '绩效评价评分项',
                'verbose_name_plural': '绩效评价评分项',
                'ordering': ['sort_order', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='AnnualReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('rd_spend_lead', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[applications.validators.validate_money], verbose_name='牵头单位研发投入（万元）')),
                ('rd_spend_members', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[applications.validators.validate_money], verbose_name='成员单位研发投入（万元）')),
                ('joint_projects_started', models.PositiveIntegerField(blank=True, null=True, verbose_name='新启动联合攻关项目（项）')),
                ('joint_projects_finished', models.PositiveIntegerField(blank=True, null=True, verbose_name='完成联合攻关项目（项）')),
                ('patents_applied', models.PositiveIntegerField(blank=True, null=True, verbose_name='申请专利（件）')),
                ('invention_patents_applied', models.PositiveIntegerField(blank=True, null=True, verbose_name='其中：申请发明专利（件）')),
                ('patents_granted', models.PositiveIntegerField(blank=True, null=True, verbose_name='授权专利（件）')),
                ('invention_patents_granted', models.PositiveIntegerField(blank=True, null=True, verbose_name='其中：授权发明专利（件）')),
                ('talents_introduced', models.PositiveIntegerField(blank=True, null=True, verbose_name='引进培育高层次人才（人）')),
                ('teams_introduced', models.PositiveIntegerField(blank=True, null=True, verbose_name='引进培育创新团队（个）')),
                ('platforms_built', models.PositiveIntegerField(blank=True, null=True, verbose_name='新建或升级创新平台（个）')),
                ('forums_held', models.PositiveIntegerField(blank=True, null=True, verbose_name='举办创新论坛、技术研讨（场）')),
                ('roadshows_held', models.PositiveIntegerField(blank=True, null=True, verbose_name='举办科技成果路演（场）')),
                ('matchmaking_held', models.PositiveIntegerField(blank=True, null=True, verbose_name='举办产学研对接活动（场）')),
                ('results_transferred', models.PositiveIntegerField(blank=True, null=True, verbose_name='转移转化科技成果（项）')),
                ('transfer_value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[applications.validators.validate_money], verbose_name='成果转移转化金额（万元）')),
                ('summary', models.TextField(blank=True, verbose_name='年度运行情况总结')),
                ('target_progress', models.JSONField(blank=True, default=list, verbose_name='年度目标完成情况')),
                ('problems', models.TextField(blank=True, verbose_name='存在的问题和建议')),
                ('next_year_plan', models.TextField(blank=True, verbose_name='下一年度工作计划')),
                ('lock_version', models.PositiveIntegerField(default=1, verbose_name='版本号')),
                ('created_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', operations.clock.DateTimeField(auto_now=True, verbose_name='最后保存')),
                ('pending_input', models.JSONField(blank=True, null=True, verbose_name='暂存的未校验内容')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='报送时间')),
                ('content', models.JSONField(blank=True, null=True, verbose_name='报送内容')),
                ('sha256', models.CharField(blank=True, max_length=64, verbose_name='内容摘要')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='annual_reports', to='applications.consortium', verbose_name='创新联合体')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='报送人')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后保存人')),
            ],
            options={
                'verbose_name': '年度报告',
                'verbose_name_plural': '年度报告',
                'ordering': ['consortium', '-year'],
                'constraints': [models.UniqueConstraint(fields=('consortium', 'year'), name='one_report_per_consortium_year'), models.CheckConstraint(condition=models.Q(('submitted_at__isnull', True), models.Q(('content__isnull', False), models.Q(('sha256', ''), _negated=True)), _connector='OR'), name='submitted_report_is_frozen'), models.CheckConstraint(condition=models.Q(('patents_applied__isnull', True), ('invention_patents_applied__isnull', True), ('invention_patents_applied__lte', models.F('patents_applied')), _connector='OR'), name='report_invention_applied_within_applied'), models.CheckConstraint(condition=models.Q(('patents_granted__isnull', True), ('invention_patents_granted__isnull', True), ('invention_patents_granted__lte', models.F('patents_granted')), _connector='OR'), name='report_invention_granted_within_granted'), models.CheckConstraint(condition=models.Q(('rd_spend_lead__isnull', True), ('rd_spend_lead__gte', 0), _connector='OR'), name='report_rd_spend_lead_not_negative'), models.CheckConstraint(condition=models.Q(('rd_spend_members__isnull', True), ('rd_spend_members__gte', 0), _connector='OR'), name='report_rd_spend_members_not_negative'), models.CheckConstraint(condition=models.Q(('transfer_value__isnull', True), ('transfer_value__gte', 0), _connector='OR'), name='report_transfer_value_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='DissolutionRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', '待办理'), ('filed', '已备案'), ('returned', '已退回'), ('withdrawn', '已撤回')], default='pending', max_length=16, verbose_name='办理状态')),
                ('requested_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='办理时间')),
                ('opinion', models.TextField(blank=True, verbose_name='办理意见')),
                ('reason', models.TextField(verbose_name='解散理由')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dissolution_requests', to='applications.consortium', verbose_name='创新联合体')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '解散申请',
                'verbose_name_plural': '解散申请',
                'ordering': ['-requested_at', '-id'],
                'abstract': False,
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('consortium',), name='one_pending_dissolution_request')],
            },
        ),
        migrations.CreateModel(
            name='ExpertPanel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='评价年度')),
                ('opened_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='组织时间')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='expert_panels', to='applications.consortium', verbose_name='创新联合体')),
                ('opened_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('report', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='panel', to='evaluations.annualreport', verbose_name='年度报告')),
            ],
            options={
                'verbose_name': '绩效评价专家评分',
                'verbose_name_plural': '绩效评价专家评分',
                'constraints': [models.UniqueConstraint(fields=('consortium', 'year'), name='one_panel_per_consortium_year')],
            },
        ),
        migrations.CreateModel(
            name='Evaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='评价年度')),
                ('grade', models.CharField(choices=[('excellent', '优秀'), ('qualified', '合格'), ('unqualified', '不合格')], max_length=16, verbose_name='评价结果')),
                ('opinion', models.TextField(verbose_name='评价意见')),
                ('basis', models.CharField(choices=[('experts', '专家评分'), ('third_party', '第三方评价报告'), ('no_report', '逾期未报送年度报告（旧规则）')], max_length=16, verbose_name='评价依据')),
                ('mean_score', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True, verbose_name='专家平均加权得分')),
                ('third_party_file', models.FileField(blank=True, max_length=300, upload_to=evaluations.models.grading.third_party_path, verbose_name='第三方评价报告')),
                ('third_party_name', models.CharField(blank=True, max_length=200, verbose_name='第三方评价报告文件名')),
                ('third_party_institution', models.CharField(blank=True, max_length=200, verbose_name='第三方评价机构')),
                ('third_party_report_date', models.DateField(blank=True, null=True, verbose_name='第三方评价报告日期')),
                ('third_party_report_number', models.CharField(blank=True, max_length=64, verbose_name='第三方评价报告编号')),
                ('third_party_sha256', models.CharField(blank=True, max_length=64, verbose_name='第三方评价报告 SHA-256')),
                ('content', models.JSONField(blank=True, default=dict, verbose_name='通知内容')),
                ('sha256', models.CharField(blank=True, max_length=64, verbose_name='内容摘要')),
                ('decided_at', models.DateTimeField(verbose_name='评价时间')),
                ('change', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evaluation', to='applications.statuschange', verbose_name='办理记录')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='applications.consortium', verbose_name='创新联合体')),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='评价人')),
                ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='evaluations.annualreport', verbose_name='年度报告')),
                ('panel', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evaluation', to='evaluations.expertpanel', verbose_name='专家评分')),
            ],
            options={
                'verbose_name': '绩效评价',
                'verbose_name_plural': '绩效评价',
                'ordering': ['consortium', 'year', 'id'],
                'constraints': [models.UniqueConstraint(fields=('consortium', 'year'), name='one_evaluation_per_consortium_year'), models.CheckConstraint(condition=models.Q(models.Q(('basis', 'third_party'), _negated=True), models.Q(('third_party_sha256', ''), _negated=True), _connector='OR'), name='third_party_basis_has_report')],
            },
        ),
        migrations.CreateModel(
            name='FiledImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(max_length=64, verbose_name='文件 SHA-256')),
                ('file', models.FileField(max_length=200, upload_to=evaluations.models.legacy.workbook_path, verbose_name='导入文件')),
                ('file_name', models.CharField(max_length=200, verbose_name='文件名')),
                ('status', models.CharField(choices=[('checked', '已检查（未导入）'), ('imported', '已导入')], default='checked', max_length=16, verbose_name='状态')),
                ('findings', models.JSONField(blank=True, default=list, verbose_name='检查结果')),
                ('summary', models.JSONField(blank=True, default=dict, verbose_name='导入内容')),
                ('uploaded_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('imported_at', models.DateTimeField(blank=True, null=True, verbose_name='导入时间')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '历史备案导入',
                'verbose_name_plural': '历史备案导入',
                'ordering': ['-uploaded_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'imported')), fields=('sha256',), name='a_workbook_is_imported_once')],
            },
        ),
        migrations.CreateModel(
            name='GradeCorrection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('previous_grade', models.CharField(choices=[('excellent', '优秀'), ('qualified', '合格'), ('unqualified', '不合格')], max_length=16, verbose_name='原评价结果')),
                ('grade', models.CharField(choices=[('excellent', '优秀'), ('qualified', '合格'), ('unqualified', '不合格')], max_length=16, verbose_name='复核后评价结果')),
                ('reason', models.TextField(verbose_name='复核理由')),
                ('decided_at', models.DateTimeField(verbose_name='复核时间')),
                ('content', models.JSONField(verbose_name='通知内容')),
                ('sha256', models.CharField(max_length=64, verbose_name='内容摘要')),
                ('change', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='grade_correction', to='applications.statuschange', verbose_name='办理记录')),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='复核人')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='evaluations.evaluation', verbose_name='绩效评价')),
            ],
            options={
                'verbose_name': '评价结果复核',
                'verbose_name_plural': '评价结果复核',
                'ordering': ['evaluation', 'decided_at', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('grade', models.F('previous_grade')), _negated=True), name='correction_changes_grade')],
            },
        ),
        migrations.CreateModel(
            name='ImportedConsortium',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consortia', to='evaluations.filedimport', verbose_name='导入文件')),
                ('consortium', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='filed_import', to='applications.consortium', verbose_name='创新联合体')),
            ],
            options={
                'verbose_name': '历史导入的创新联合体',
                'verbose_name_plural': '历史导入的创新联合体',
            },
        ),
        migrations.CreateModel(
            name='LiaisonAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assigned_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='选派时间')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                ('assigned_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='liaisons', to='applications.consortium', verbose_name='创新联合体')),
                ('officer', models.ForeignKey(limit_choices_to={'role': 'municipal_staff'}, on_delete=django.db.models.deletion.PROTECT, related_name='liaison_assignments', to=settings.AUTH_USER_MODEL, verbose_name='科技联络员')),
            ],
            options={
                'verbose_name': '科技联络员',
                'verbose_name_plural': '科技联络员',
                'ordering': ['consortium', '-assigned_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True)), fields=('consortium',), name='one_liaison_per_consortium')],
            },
        ),
        migrations.CreateModel(
            name='LiaisonOpinion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('about', models.CharField(choices=[('member_change', '成员变更'), ('dissolution', '解散申请'), ('evaluation', '年度绩效评价')], max_length=16, verbose_name='事项')),
                ('subject_id', models.PositiveIntegerField(verbose_name='事项编号')),
                ('text', models.TextField(verbose_name='意见')),
                ('written_at', operations.clock.DateTimeField(auto_now=True, verbose_name='填写时间')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='liaison_opinions', to='applications.consortium', verbose_name='创新联合体')),
                ('officer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='科技联络员')),
            ],
            options={
                'verbose_name': '科技联络员意见',
                'verbose_name_plural': '科技联络员意见',
                'constraints': [models.UniqueConstraint(fields=('about', 'subject_id', 'officer'), name='one_liaison_opinion_per_subject')],
            },
        ),
        migrations.CreateModel(
            name='MemberChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', '待办理'), ('filed', '已备案'), ('returned', '已退回'), ('withdrawn', '已撤回')], default='pending', max_length=16, verbose_name='办理状态')),
                ('requested_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='办理时间')),
                ('opinion', models.TextField(blank=True, verbose_name='办理意见')),
                ('effective_on', models.DateField(verbose_name='生效日期')),
                ('description', models.TextField(verbose_name='变更说明')),
                ('shortfall_statement', models.TextField(blank=True, verbose_name='情况说明')),
                ('shortfalls', models.JSONField(blank=True, default=list, verbose_name='未达到的原则性要求')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='member_changes', to='applications.consortium', verbose_name='创新联合体')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('supplementary_agreement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='applications.attachment', verbose_name='补充协议')),
            ],
            options={
                'verbose_name': '成员变更',
                'verbose_name_plural': '成员变更',
                'ordering': ['-requested_at', '-id'],
                'abstract': False,
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('consortium',), name='one_pending_member_change')],
            },
        ),
        migrations.CreateModel(
            name='MemberChangeItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('add', '新增'), ('remove', '退出')], max_length=8, verbose_name='变更')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='序号')),
                ('unit_name', models.CharField(max_length=128, verbose_name='单位名称')),
                ('credit_code', models.CharField(max_length=18, verbose_name='统一社会信用代码')),
                ('unit_kind', models.CharField(max_length=16, verbose_name='单位类型')),
                ('task_division', models.CharField(blank=True, max_length=200, verbose_name='任务分工')),
                ('duties', models.CharField(blank=True, max_length=500, verbose_name='工作职责')),
                ('sales_revenue', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[applications.validators.validate_money], verbose_name='近一年销售收入（万元）')),
                ('rd_spend', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[applications.validators.validate_money], verbose_name='近一年研发投入（万元）')),
                ('change', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='evaluations.memberchange')),
                ('membership', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='applications.membership')),
            ],
            options={
                'verbose_name': '成员变更明细',
                'verbose_name_plural': '成员变更明细',
                'ordering': ['change', 'action', 'position', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('action', 'remove'), _negated=True), ('membership__isnull', False), _connector='OR'), name='removal_names_membership')],
            },
        ),
        migrations.CreateModel(
            name='MemberChangeSignatory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('unit_name', models.CharField(max_length=128, verbose_name='单位名称')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='序号')),
                ('capacity', models.CharField(blank=True, choices=[('legal_representative', '法定代表人'), ('authorised', '授权人')], max_length=24, verbose_name='签署人身份')),
                ('person_name', models.CharField(blank=True, max_length=64, verbose_name='签署人')),
                ('signed_on', models.DateField(blank=True, null=True, verbose_name='签署日期')),
                ('authorization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='applications.attachment', verbose_name='授权书')),
                ('change', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatories', to='evaluations.memberchange')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='applications.unit', verbose_name='单位')),
            ],
            options={
                'verbose_name': '补充协议签署单位',
                'verbose_name_plural': '补充协议签署单位',
                'ordering': ['position', 'id'],
                'abstract': False,
                'constraints': [models.UniqueConstraint(fields=('change', 'unit'), name='one_supplementary_signatory_per_unit')],
            },
        ),
        migrations.CreateModel(
            name='PanelAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assigned_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='分配时间')),
                ('conflict_declared', models.BooleanField(default=False, verbose_name='已声明回避')),
                ('conflict_reason', models.CharField(blank=True, max_length=300, verbose_name='回避理由')),
                ('comment', models.TextField(blank=True, verbose_name='评审意见')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='提交评分时间')),
                ('assigned_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('expert', models.ForeignKey(limit_choices_to={'role': 'expert'}, on_delete=django.db.models.deletion.PROTECT, related_name='evaluation_assignments', to=settings.AUTH_USER_MODEL, verbose_name='专家')),
                ('panel', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='evaluations.expertpanel')),
            ],
            options={
                'verbose_name': '绩效评价专家任务',
                'verbose_name_plural': '绩效评价专家任务',
                'ordering': ['panel', 'id'],
                'constraints': [models.UniqueConstraint(fields=('panel', 'expert'), name='expert_once_per_panel')],
            },
        ),
        migrations.CreateModel(
            name='PanelScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weight', models.PositiveSmallIntegerField(verbose_name='评分时的权重')),
                ('value', models.DecimalField(decimal_places=1, max_digits=4, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='得分')),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='evaluations.panelassignment')),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='evaluations.evaluationcriterion')),
            ],
            options={
                'verbose_name': '绩效评价评分',
                'verbose_name_plural': '绩效评价评分',
                'constraints': [models.UniqueConstraint(fields=('assignment', 'criterion'), name='one_panel_score_per_criterion'), models.CheckConstraint(condition=models.Q(('value__gte', 0), ('value__lte', 100)), name='panel_score_in_range')],
            },
        ),
        migrations.CreateModel(
            name='Recommendation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='“优秀”评价年度')),
                ('eligible', models.BooleanField(verbose_name='符合条件、予以推荐')),
                ('note', models.TextField(verbose_name='推荐意见')),
                ('decided_on', models.DateField(verbose_name='推荐决定日期')),
                ('outcome', models.CharField(choices=[('pending', '待结果'), ('accepted', '获省级以上认定'), ('declined', '未获认定')], default='pending', max_length=16, verbose_name='推荐结果')),
                ('outcome_on', models.DateField(blank=True, null=True, verbose_name='结果日期')),
                ('outcome_note', models.TextField(blank=True, verbose_name='结果说明')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to='applications.consortium', verbose_name='创新联合体')),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='决定人')),
            ],
            options={
                'verbose_name': '推荐申报省级以上创新联合体',
                'verbose_name_plural': '推荐申报省级以上创新联合体',
                'ordering': ['consortium', '-year', '-id'],
                'constraints': [models.UniqueConstraint(fields=('consortium', 'year'), name='one_recommendation_per_consortium_year'), models.CheckConstraint(condition=models.Q(('outcome', 'pending'), ('eligible', True), _connector='OR'), name='outcome_only_if_recommended'), models.CheckConstraint(condition=models.Q(('outcome', 'pending'), ('outcome_on__isnull', False), _connector='OR'), name='outcome_has_date')],
            },
        ),
        migrations.CreateModel(
            name='ReportReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='报告年度')),
                ('reminder', models.CharField(choices=[('before_30', '截止前 30 天'), ('before_7', '截止前 7 天'), ('overdue', '逾期次日')], max_length=16, verbose_name='提醒')),
                ('sent_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='发送时间')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='report_reminders', to='applications.consortium', verbose_name='创新联合体')),
            ],
            options={
                'verbose_name': '年度报告提醒',
                'verbose_name_plural': '年度报告提醒',
                'constraints': [models.UniqueConstraint(fields=('consortium', 'year', 'reminder'), name='one_reminder_per_report_and_threshold')],
            },
        ),
        migrations.CreateModel(
            name='Revocation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revoked_on', models.DateField(verbose_name='取消日期')),
                ('content', models.JSONField(verbose_name='通知内容')),
                ('sha256', models.CharField(max_length=64, verbose_name='内容摘要')),
                ('ban', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='revocation', to='applications.unitban', verbose_name='限制记录')),
                ('change', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='revocation', to='applications.statuschange', verbose_name='办理记录')),
                ('consortium', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='revocation', to='applications.consortium', verbose_name='创新联合体')),
            ],
            options={
                'verbose_name': '取消资格决定',
                'verbose_name_plural': '取消资格决定',
            },
        ),
        migrations.CreateModel(
            name='SupportProject',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='项目名称')),
                ('level', models.CharField(choices=[('municipal', '市级'), ('provincial', '省级'), ('national', '国家级')], max_length=16, verbose_name='级别')),
                ('kind', models.CharField(choices=[('key_project', '市科技计划“项目+课题”重点项目'), ('open_competition', '揭榜挂帅'), ('provincial_plan', '省级以上科技计划'), ('other', '其他')], max_length=24, verbose_name='类别')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='支持经费（万元）')),
                ('starts_on', models.DateField(verbose_name='实施期起')),
                ('ends_on', models.DateField(verbose_name='实施期止')),
                ('status', models.CharField(choices=[('ongoing', '在研'), ('concluded', '结题'), ('terminated', '终止')], default='ongoing', max_length=16, verbose_name='状态')),
                ('recorded_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='support_projects', to='applications.consortium', verbose_name='创新联合体')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '承担科技项目',
                'verbose_name_plural': '承担科技项目',
                'ordering': ['consortium', '-starts_on', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='project_amount_not_negative'), models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='support_project_ends_after_start'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'key_project'), _negated=True), ('amount__lte', Decimal('200')), _connector='OR'), name='key_project_within_cap', violation_error_message='重点项目经费支持最高 200 万元。'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'open_competition'), _negated=True), ('amount__lte', Decimal('100')), _connector='OR'), name='open_competition_within_cap', violation_error_message='揭榜挂帅经费支持最高 100 万元。'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'key_project'), ('level__in', ['municipal'])), models.Q(('kind', 'open_competition'), ('level__in', ['municipal'])), models.Q(('kind', 'provincial_plan'), ('level__in', ['provincial', 'national'])), models.Q(('kind', 'other'), ('level__in', ['municipal', 'provincial', 'national'])), _connector='OR'), name='support_project_kind_level_bound', violation_error_message='重点项目、揭榜挂帅为市级，省级以上科技计划为省级或国家级。')],
            },
        ),
        migrations.CreateModel(
            name='SupportRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('key_project', '市级重点项目'), ('open_competition', '揭榜挂帅'), ('provincial_plan', '省级以上计划'), ('innovation_voucher', '创新券（省/市）'), ('instrument_sharing', '仪器共享补贴'), ('district_funding', '市区资助'), ('platform', '平台建设'), ('other', '其他')], max_length=24, verbose_name='支持类别')),
                ('level', models.CharField(choices=[('national', '国家级'), ('provincial', '省级'), ('municipal', '市级'), ('district', '区县级')], max_length=16, verbose_name='级别')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='金额（万元）')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('granting_body', models.CharField(max_length=100, verbose_name='支持部门')),
                ('from_project', models.BooleanField(default=False, editable=False, verbose_name='项目经费')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                ('recorded_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='support_records', to='applications.consortium', verbose_name='创新联合体')),
                ('project', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='support_records', to='evaluations.supportproject', verbose_name='关联项目')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(blank=True, help_text='空白为创新联合体整体', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='applications.unit', verbose_name='受支持单位')),
            ],
            options={
                'verbose_name': '支持记录',
                'verbose_name_plural': '支持记录',
                'ordering': ['consortium', '-year', 'kind', 'id'],
                'indexes': [models.Index(fields=['year', 'kind'], name='support_record_year_kind')],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='support_record_amount_not_negative'), models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='support_record_year_plausible'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'key_project'), _negated=True), ('amount__lte', Decimal('200')), _connector='OR'), name='support_key_project_within_cap', violation_error_message='市级重点项目经费支持最高 200 万元。'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'open_competition'), _negated=True), ('amount__lte', Decimal('100')), _connector='OR'), name='support_open_competition_within_cap', violation_error_message='揭榜挂帅经费支持最高 100 万元。'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'key_project'), ('level__in', ['municipal'])), models.Q(('kind', 'open_competition'), ('level__in', ['municipal'])), models.Q(('kind', 'provincial_plan'), ('level__in', ['provincial', 'national'])), models.Q(('kind', 'innovation_voucher'), ('level__in', ['provincial', 'municipal'])), models.Q(('kind', 'instrument_sharing'), ('level__in', ['provincial', 'municipal'])), models.Q(('kind', 'district_funding'), ('level__in', ['district'])), models.Q(('kind', 'platform'), ('level__in', ['national', 'provincial', 'municipal', 'district'])), models.Q(('kind', 'other'), ('level__in', ['national', 'provincial', 'municipal', 'district'])), _connector='OR'), name='support_record_kind_level_bound', violation_error_message='该支持类别与级别的组合不符合《工作方案》五的规定。'), models.CheckConstraint(condition=models.Q(('from_project', False), ('project__isnull', False), _connector='OR'), name='support_record_project_funding_names_it'), models.UniqueConstraint(condition=models.Q(('from_project', True)), fields=('project',), name='one_funding_record_per_project')],
            },
        ),
        migrations.CreateModel(
            name='WorkRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('visit', '走访'), ('meeting', '会议'), ('coordination', '协调事项')], max_length=16, verbose_name='类型')),
                ('happened_on', models.DateField(verbose_name='日期')),
                ('participants', models.CharField(max_length=500, verbose_name='参加人员')),
                ('agreed', models.TextField(verbose_name='商定事项')),
                ('recorded_as', models.CharField(max_length=64, verbose_name='记录单位')),
                ('recorded_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='记录时间')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='work_records', to='applications.consortium', verbose_name='创新联合体')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
            ],
            options={
                'verbose_name': '工作记录',
                'verbose_name_plural': '工作记录',
                'ordering': ['-happened_on', '-id'],
                'indexes': [models.Index(fields=['consortium', 'kind', 'happened_on'], name='work_record_visits')],
            },
        ),
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task', models.CharField(max_length=300, verbose_name='跟进事项')),
                ('due_on', models.DateField(verbose_name='完成期限')),
                ('done_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('record', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='evaluations.workrecord', verbose_name='工作记录')),
            ],
            options={
                'verbose_name': '跟进事项',
                'verbose_name_plural': '跟进事项',
                'ordering': ['due_on', 'id'],
            },
        ),
        migrations.RunPython(create_criteria, migrations.RunPython.noop),
    ]
