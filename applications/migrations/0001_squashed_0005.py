"""applications 0001–0005 in one: its tables as 0005_appraisal_names left them, and the industry fields
(applications.reference).

The replaced migrations' operations in their order, as Django's optimizer joined them, each data step in its place
(the replaced migration's own function). A database that applied all the replaced migrations takes this one as
applied; one that applied some goes on with the replaced files, which stay until every installation is past them."""

from importlib import import_module

import applications.models.application
import applications.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# The data steps are the replaced migrations' own functions.
_0002 = import_module("applications.migrations.0002_industry_fields")
_0005 = import_module("applications.migrations.0005_appraisal_names")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('applications', '0001_initial'),
        ('applications', '0002_industry_fields'),
        ('applications', '0003_dossier_render'),
        ('applications', '0004_part_saves'),
        ('applications', '0005_appraisal_names'),
    ]

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Consortium',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=128, verbose_name='创新联合体名称')),
                ('chief_scientist', models.CharField(blank=True, max_length=64, verbose_name='首席科学家姓名')),
                ('chief_scientist_title', models.CharField(blank=True, max_length=64, verbose_name='职务/职称')),
                ('status', models.CharField(choices=[('draft', '草稿'), ('submitted', '待初审'), ('returned', '退回修改（初审）'), ('returned_by_city', '退回修改（综合论证）'), ('district_passed', '初审通过'), ('under_evaluation', '综合论证中'), ('filed', '已备案'), ('rejected', '初审未通过'), ('not_filed', '不予备案'), ('revoked', '资格取消'), ('dissolved', '已解散')], db_index=True, default='draft', max_length=20, verbose_name='状态')),
                ('record_number', models.CharField(blank=True, max_length=32, null=True, unique=True, verbose_name='备案编号')),
                ('filed_on', models.DateField(blank=True, null=True, verbose_name='备案日期')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '创新联合体',
                'verbose_name_plural': '创新联合体',
                'ordering': ['-updated_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='IndustryField',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=64, unique=True, verbose_name='产业领域')),
                ('cluster', models.CharField(blank=True, max_length=64, verbose_name='所属产业集群')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
            ],
            options={
                'verbose_name': '产业领域',
                'verbose_name_plural': '产业领域',
                'ordering': ['sort_order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Application',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('contact_person', models.CharField(blank=True, max_length=64, verbose_name='联系人')),
                ('contact_phone', models.CharField(blank=True, max_length=32, verbose_name='联系电话')),
                ('mailing_address', models.CharField(blank=True, max_length=200, verbose_name='通讯地址')),
                ('legal_representative', models.CharField(blank=True, max_length=64, verbose_name='法定代表人')),
                ('lead_types', models.JSONField(blank=True, default=list, verbose_name='牵头单位类型')),
                ('research_directions', models.TextField(blank=True, verbose_name='重点研发方向')),
                ('governance', models.TextField(blank=True, help_text='决策执行机制、科技成果归属、利益分配等', verbose_name='联合体决策及运行机制')),
                ('staff_total', models.PositiveIntegerField(blank=True, null=True, verbose_name='牵头及成员单位从业人员数')),
                ('staff_professional', models.PositiveIntegerField(blank=True, null=True, verbose_name='其中：专业技术人员')),
                ('ip_total', models.PositiveIntegerField(blank=True, null=True, verbose_name='有效知识产权数量')),
                ('ip_invention_patents', models.PositiveIntegerField(blank=True, null=True, verbose_name='其中：发明专利')),
                ('plan_significance', models.TextField(blank=True, verbose_name='建设的意义和必要性')),
                ('plan_foundation', models.TextField(blank=True, verbose_name='建设基础')),
                ('plan_positioning', models.TextField(blank=True, verbose_name='发展定位及分析')),
                ('plan_organization', models.TextField(blank=True, verbose_name='组织架构')),
                ('plan_mechanism', models.TextField(blank=True, verbose_name='运行机制')),
                ('plan_funding', models.TextField(blank=True, verbose_name='经费投入与保障措施')),
                ('charter_text', models.TextField(blank=True, verbose_name='章程（组建协议）')),
                ('lock_version', models.PositiveIntegerField(default=1, verbose_name='版本号')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='最后保存')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='最后保存人')),
                ('consortium', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='application', to='applications.consortium', verbose_name='创新联合体')),
            ],
            options={
                'verbose_name': '备案申请书',
                'verbose_name_plural': '备案申请书',
            },
        ),
        migrations.AddField(
            model_name='consortium',
            name='industry_field',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consortia', to='applications.industryfield', verbose_name='产业领域'),
        ),
        migrations.CreateModel(
            name='Platform',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='序号')),
                ('name', models.CharField(max_length=128, verbose_name='平台名称')),
                ('industry', models.CharField(blank=True, max_length=64, verbose_name='产业领域')),
                ('level', models.CharField(choices=[('national', '国家级'), ('provincial', '省级'), ('municipal', '市级')], max_length=16, verbose_name='级别')),
                ('host_unit', models.CharField(blank=True, max_length=128, verbose_name='依托单位')),
                ('built_on', models.DateField(blank=True, null=True, verbose_name='建设时间')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='platforms', to='applications.application')),
            ],
            options={
                'verbose_name': '创新平台',
                'verbose_name_plural': '创新平台',
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Project',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='序号')),
                ('name', models.CharField(max_length=200, verbose_name='项目名称')),
                ('industry', models.CharField(blank=True, max_length=64, verbose_name='产业领域')),
                ('level', models.CharField(choices=[('national', '国家级'), ('provincial', '省级')], max_length=16, verbose_name='级别')),
                ('starts_on', models.DateField(blank=True, null=True, verbose_name='实施期起')),
                ('ends_on', models.DateField(blank=True, null=True, verbose_name='实施期止')),
                ('undertaker', models.CharField(blank=True, max_length=128, verbose_name='承担单位')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='projects', to='applications.application')),
            ],
            options={
                'verbose_name': '承担项目',
                'verbose_name_plural': '承担项目',
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='StatusChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=32, verbose_name='操作')),
                ('from_status', models.CharField(choices=[('draft', '草稿'), ('submitted', '待初审'), ('returned', '退回修改（初审）'), ('returned_by_city', '退回修改（综合论证）'), ('district_passed', '初审通过'), ('under_evaluation', '综合论证中'), ('filed', '已备案'), ('rejected', '初审未通过'), ('not_filed', '不予备案'), ('revoked', '资格取消'), ('dissolved', '已解散')], max_length=20, verbose_name='原状态')),
                ('to_status', models.CharField(choices=[('draft', '草稿'), ('submitted', '待初审'), ('returned', '退回修改（初审）'), ('returned_by_city', '退回修改（综合论证）'), ('district_passed', '初审通过'), ('under_evaluation', '综合论证中'), ('filed', '已备案'), ('rejected', '初审未通过'), ('not_filed', '不予备案'), ('revoked', '资格取消'), ('dissolved', '已解散')], max_length=20, verbose_name='新状态')),
                ('actor_role', models.CharField(max_length=32, verbose_name='角色')),
                ('opinion', models.TextField(blank=True, verbose_name='意见')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间')),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='applications.consortium')),
            ],
            options={
                'verbose_name': '流转记录',
                'verbose_name_plural': '流转记录',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Unit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=128, verbose_name='单位名称')),
                ('credit_code', models.CharField(error_messages={'unique': '该统一社会信用代码已存在。'}, max_length=18, unique=True, validators=[applications.validators.validate_credit_code], verbose_name='统一社会信用代码')),
                ('kind', models.CharField(choices=[('enterprise', '企业'), ('university', '高校'), ('institute', '科研院所'), ('other', '其他')], default='enterprise', max_length=16, verbose_name='单位类型')),
                ('is_legal_person', models.BooleanField(default=True, verbose_name='独立法人')),
                ('legal_representative', models.CharField(blank=True, max_length=64, verbose_name='法定代表人')),
                ('address', models.CharField(blank=True, max_length=200, verbose_name='通讯地址')),
                ('qualifications', models.JSONField(blank=True, default=list, verbose_name='单位类型（资质）')),
                ('staff_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='从业人员数')),
                ('professional_staff_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='专业技术人员数')),
                ('registration_status', models.CharField(choices=[('unregistered', '未注册（成员单位）'), ('pending', '待审核'), ('approved', '已通过'), ('rejected', '未通过')], default='unregistered', max_length=16, verbose_name='注册状态')),
                ('registration_reason', models.TextField(blank=True, verbose_name='审核意见')),
                ('registration_reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('bureau', models.ForeignKey(blank=True, help_text='注册在镇江市的单位选择所在辖市区；市外单位留空', limit_choices_to={'kind': 'district'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='units', to='accounts.bureau', verbose_name='所在辖区')),
                ('registration_reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
            ],
            options={
                'verbose_name': '单位',
                'verbose_name_plural': '单位',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('lead', '牵头单位'), ('member', '成员单位')], default='member', max_length=8, verbose_name='角色')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='序号')),
                ('task_division', models.CharField(blank=True, max_length=200, verbose_name='任务分工')),
                ('duties', models.CharField(blank=True, max_length=500, verbose_name='工作职责')),
                ('sales_revenue', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[applications.validators.validate_money], verbose_name='近一年销售收入（万元）')),
                ('rd_spend', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[applications.validators.validate_money], verbose_name='近一年研发投入（万元）')),
                ('intro_overview', models.TextField(blank=True, verbose_name='简介第一段')),
                ('intro_research', models.TextField(blank=True, verbose_name='简介第二段')),
                ('intro_honors', models.TextField(blank=True, verbose_name='简介第三段')),
                ('joined_on', models.DateField(blank=True, null=True, verbose_name='加入日期')),
                ('left_on', models.DateField(blank=True, null=True, verbose_name='退出日期')),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='applications.consortium', verbose_name='创新联合体')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='applications.unit', verbose_name='单位')),
            ],
            options={
                'verbose_name': '成员单位',
                'verbose_name_plural': '成员单位',
                'ordering': ['position', 'id'],
            },
        ),
        migrations.AddField(
            model_name='consortium',
            name='lead_unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='led_consortia', to='applications.unit', verbose_name='牵头单位'),
        ),
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('license', '营业执照/法人证书'), ('patent', '专利证书'), ('qualification', '资质证明'), ('agreement', '组建协议（签署扫描件）'), ('supplementary_agreement', '补充协议'), ('other', '其他材料')], max_length=32, verbose_name='材料类型')),
                ('title', models.CharField(blank=True, max_length=128, verbose_name='材料名称')),
                ('file', models.FileField(max_length=300, upload_to=applications.models.application.attachment_path, verbose_name='文件')),
                ('original_name', models.CharField(max_length=200, verbose_name='原文件名')),
                ('content_type', models.CharField(max_length=64, verbose_name='文件类型')),
                ('size', models.PositiveBigIntegerField(verbose_name='大小（字节）')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('consortium', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='applications.consortium', verbose_name='创新联合体')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attachments', to='applications.unit', verbose_name='所属单位')),
            ],
            options={
                'verbose_name': '附件材料',
                'verbose_name_plural': '附件材料',
                'ordering': ['kind', 'id'],
            },
        ),
        migrations.CreateModel(
            name='UnitBan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_on', models.DateField(verbose_name='起始日期')),
                ('ends_on', models.DateField(verbose_name='截止日期')),
                ('reason', models.CharField(max_length=200, verbose_name='原因')),
                ('consortium', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='applications.consortium', verbose_name='被取消资格的联合体')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bans', to='applications.unit', verbose_name='单位')),
            ],
            options={
                'verbose_name': '限制牵头/参与记录',
                'verbose_name_plural': '限制牵头/参与记录',
            },
        ),
        migrations.CreateModel(
            name='AnnualTarget',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='序号')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('tasks', models.TextField(verbose_name='建设任务')),
                ('research_plan', models.TextField(blank=True, verbose_name='研发项目计划')),
                ('team_building', models.TextField(blank=True, verbose_name='团队建设')),
                ('rd_investment', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[applications.validators.validate_money], verbose_name='研发经费投入（万元）')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='applications.application')),
            ],
            options={
                'verbose_name': '年度建设任务及目标',
                'verbose_name_plural': '年度建设任务及目标',
                'ordering': ['position', 'year', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('rd_investment__isnull', True), ('rd_investment__gte', 0), _connector='OR'), name='target_money_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='ApplicationVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='版本')),
                ('content', models.JSONField(verbose_name='内容')),
                ('sha256', models.CharField(max_length=64, verbose_name='内容摘要')),
                ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='提交时间')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='applications.application')),
                ('submitted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '申请书版本',
                'verbose_name_plural': '申请书版本',
                'ordering': ['application', '-number'],
                'constraints': [models.UniqueConstraint(fields=('application', 'number'), name='version_number_unique')],
            },
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('staff_total__isnull', True), ('staff_professional__isnull', True), ('staff_professional__lte', models.F('staff_total')), _connector='OR'), name='application_professional_within_staff'),
        ),
        migrations.AddConstraint(
            model_name='application',
            constraint=models.CheckConstraint(condition=models.Q(('ip_total__isnull', True), ('ip_invention_patents__isnull', True), ('ip_invention_patents__lte', models.F('ip_total')), _connector='OR'), name='application_patents_within_ip'),
        ),
        migrations.AddConstraint(
            model_name='project',
            constraint=models.CheckConstraint(condition=models.Q(('starts_on__isnull', True), ('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='project_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='unit',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('registration_status__in', ['pending', 'approved']), _negated=True), ('bureau__isnull', False), _connector='OR'), name='registered_unit_has_district'),
        ),
        migrations.AddConstraint(
            model_name='unit',
            constraint=models.CheckConstraint(condition=models.Q(('staff_count__isnull', True), ('professional_staff_count__isnull', True), ('professional_staff_count__lte', models.F('staff_count')), _connector='OR'), name='professional_staff_within_staff'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(condition=models.Q(('left_on__isnull', True)), fields=('consortium', 'unit'), name='unit_once_per_consortium'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(condition=models.Q(('left_on__isnull', True), ('role', 'lead')), fields=('consortium',), name='one_lead_per_consortium'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('sales_revenue__isnull', True), ('sales_revenue__gte', 0), _connector='OR'), name='sales_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('rd_spend__isnull', True), ('rd_spend__gte', 0), _connector='OR'), name='rd_spend_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('left_on__isnull', True), ('joined_on__isnull', True), ('left_on__gte', models.F('joined_on')), _connector='OR'), name='membership_left_after_joined'),
        ),
        migrations.AddConstraint(
            model_name='consortium',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('draft', 'submitted', 'returned', 'returned_by_city', 'district_passed', 'under_evaluation', 'filed'))), fields=('lead_unit',), name='one_live_consortium_per_lead', violation_error_message='该牵头单位已牵头一个在建或已备案的创新联合体。'),
        ),
        migrations.AddConstraint(
            model_name='consortium',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'filed'), _negated=True), models.Q(('record_number__isnull', False), ('filed_on__isnull', False)), _connector='OR'), name='filed_has_record_number'),
        ),
        migrations.AddConstraint(
            model_name='unitban',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gt', models.F('starts_on'))), name='ban_ends_after_start'),
        ),
        migrations.RunPython(
            code=_0002.create_fields,
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.CreateModel(
            name='DossierRender',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('copies', models.PositiveSmallIntegerField(default=1, verbose_name='份数')),
                ('state', models.CharField(choices=[('pending', '排队中'), ('running', '生成中'), ('done', '已完成'), ('failed', '失败')], default='pending', max_length=16, verbose_name='状态')),
                ('file', models.FileField(blank=True, max_length=300, upload_to='dossiers/%Y/%m/', verbose_name='文件')),
                ('pages', models.PositiveIntegerField(blank=True, null=True, verbose_name='页数')),
                ('warnings', models.JSONField(blank=True, default=list, verbose_name='警告')),
                ('error', models.TextField(blank=True, verbose_name='错误')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='请求时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dossier_renders', to='applications.application')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('version', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='applications.applicationversion')),
            ],
            options={
                'verbose_name': '申请书打印文件',
                'verbose_name_plural': '申请书打印文件',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='DraftInput',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('part', models.CharField(max_length=32, verbose_name='部分')),
                ('data', models.JSONField(verbose_name='填写内容')),
                ('saved_at', models.DateTimeField(auto_now=True, verbose_name='暂存时间')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='draft_inputs', to='applications.application')),
                ('saved_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '暂存的未校验内容',
                'verbose_name_plural': '暂存的未校验内容',
                'constraints': [models.UniqueConstraint(fields=('application', 'part'), name='one_draft_input_per_part')],
            },
        ),
        migrations.CreateModel(
            name='PartSave',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lock_version', models.PositiveIntegerField(verbose_name='保存后版本号')),
                ('part', models.CharField(max_length=32, verbose_name='部分')),
                ('saved_at', models.DateTimeField(auto_now_add=True, verbose_name='保存时间')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='part_saves', to='applications.application')),
                ('saved_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '申请书保存记录',
                'verbose_name_plural': '申请书保存记录',
                'ordering': ['lock_version'],
                'constraints': [models.UniqueConstraint(fields=('application', 'lock_version'), name='one_save_per_version')],
            },
        ),
        migrations.RemoveConstraint(
            model_name='consortium',
            name='one_live_consortium_per_lead',
        ),
        migrations.RunPython(
            code=_0005.rename_stored_values,
            reverse_code=_0005.restore_stored_values,
        ),
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
