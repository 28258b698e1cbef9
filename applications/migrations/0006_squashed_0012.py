"""applications 0006–0012 in one: what they changed in its tables and, on PostgreSQL, the trigram indexes of
0008_list_indexes.

The replaced migrations' operations in their order, as Django's optimizer joined them, each data step in its place
(the replaced migration's own function). A database that applied all the replaced migrations takes this one as
applied; one that applied some goes on with the replaced files, which stay until every installation is past them."""

from importlib import import_module

import applications.validators
import django.db.models.deletion
import django.utils.timezone
import operations.clock
from django.conf import settings
from django.db import migrations, models


# The data steps are the replaced migrations' own functions.
_0006 = import_module("applications.migrations.0006_registrations_and_declarations")
_0008 = import_module("applications.migrations.0008_list_indexes")


class Migration(migrations.Migration):

    replaces = [
        ('applications', '0006_registrations_and_declarations'),
        ('applications', '0007_bans_lifted_and_step_detail'),
        ('applications', '0008_list_indexes'),
        ('applications', '0009_consortium_organisation'),
        ('applications', '0010_ban_lift_four_eyes'),
        ('applications', '0011_document_renders'),
        ('applications', '0012_times_from_the_clock'),
    ]

    dependencies = [
        ('applications', '0001_squashed_0005'),
        ('accounts', '0002_squashed_0013'),
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
                ('applicant', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='registration', to=settings.AUTH_USER_MODEL, verbose_name='注册账号')),
                ('bureau', models.ForeignKey(limit_choices_to={'kind': 'district'}, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='accounts.bureau', verbose_name='所在辖区')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='applications.unit', verbose_name='登记的单位')),
            ],
            options={
                'verbose_name': '单位注册申请',
                'verbose_name_plural': '单位注册申请',
                'ordering': ['created_at', 'id'],
            },
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
        migrations.RunPython(
            code=_0006.separate_registrations_and_declarations,
            reverse_code=migrations.RunPython.noop,
        ),
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
        migrations.AlterModelOptions(
            name='unitban',
            options={'ordering': ['-starts_on', '-id'], 'verbose_name': '限制牵头/参与记录', 'verbose_name_plural': '限制牵头/参与记录'},
        ),
        migrations.AddField(
            model_name='statuschange',
            name='detail',
            field=models.TextField(blank=True, verbose_name='办理结果'),
        ),
        migrations.AddField(
            model_name='unitban',
            name='lift_reason',
            field=models.TextField(blank=True, verbose_name='解除理由'),
        ),
        migrations.AddField(
            model_name='unitban',
            name='lifted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='解除人'),
        ),
        migrations.AddField(
            model_name='unitban',
            name='lifted_on',
            field=models.DateField(blank=True, null=True, verbose_name='解除日期'),
        ),
        migrations.AddField(
            model_name='unitban',
            name='recorded_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='记录时间'),
        ),
        migrations.AddField(
            model_name='unitban',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人'),
        ),
        migrations.AddConstraint(
            model_name='unitban',
            constraint=models.CheckConstraint(condition=models.Q(('lifted_on__isnull', True), models.Q(('lifted_on__gte', models.F('starts_on')), models.Q(('lift_reason', ''), _negated=True)), _connector='OR'), name='lifted_ban_has_reason'),
        ),
        migrations.AddIndex(
            model_name='unit',
            index=models.Index(fields=['name', 'id'], name='unit_name_order'),
        ),
        migrations.AddIndex(
            model_name='consortium',
            index=models.Index(fields=['-updated_at', '-id'], name='consortium_recent_first'),
        ),
        migrations.RunPython(
            code=_0008.create_trigram_indexes,
            reverse_code=_0008.drop_trigram_indexes,
        ),
        migrations.CreateModel(
            name='BodySeat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('body', models.CharField(choices=[('council', '理事会'), ('advisory', '专家指导委员会')], max_length=16, verbose_name='机构')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='序号')),
                ('role', models.CharField(choices=[('chair', '负责人'), ('vice', '副职'), ('member', '成员')], default='member', max_length=8, verbose_name='职务')),
                ('name', models.CharField(max_length=64, verbose_name='姓名')),
                ('unit_name', models.CharField(blank=True, max_length=128, verbose_name='所在单位')),
                ('title', models.CharField(blank=True, max_length=64, verbose_name='职务/职称')),
            ],
            options={
                'verbose_name': '组织机构成员',
                'verbose_name_plural': '组织机构成员',
                'ordering': ['position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Signatory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('unit_name', models.CharField(max_length=128, verbose_name='单位名称')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='序号')),
                ('capacity', models.CharField(blank=True, choices=[('legal_representative', '法定代表人'), ('authorised', '授权人')], max_length=24, verbose_name='签署人身份')),
                ('person_name', models.CharField(blank=True, max_length=64, verbose_name='签署人')),
                ('signed_on', models.DateField(blank=True, null=True, verbose_name='签署日期')),
            ],
            options={
                'verbose_name': '组建协议签署单位',
                'verbose_name_plural': '组建协议签署单位',
                'ordering': ['position', 'id'],
                'abstract': False,
            },
        ),
        migrations.AddField(
            model_name='application',
            name='charter_benefits',
            field=models.TextField(blank=True, verbose_name='收益分配'),
        ),
        migrations.AddField(
            model_name='application',
            name='charter_division',
            field=models.TextField(blank=True, verbose_name='成员分工'),
        ),
        migrations.AddField(
            model_name='application',
            name='charter_funding',
            field=models.TextField(blank=True, verbose_name='经费管理'),
        ),
        migrations.AddField(
            model_name='application',
            name='charter_goals',
            field=models.TextField(blank=True, verbose_name='目标任务'),
        ),
        migrations.AddField(
            model_name='application',
            name='charter_ip',
            field=models.TextField(blank=True, verbose_name='知识产权归属'),
        ),
        migrations.AddField(
            model_name='application',
            name='charter_organization',
            field=models.TextField(blank=True, verbose_name='组织机构和职责'),
        ),
        migrations.AddField(
            model_name='application',
            name='charter_principles',
            field=models.TextField(blank=True, verbose_name='组建原则'),
        ),
        migrations.AddField(
            model_name='application',
            name='charter_projects',
            field=models.TextField(blank=True, verbose_name='项目管理'),
        ),
        migrations.AddField(
            model_name='application',
            name='chief_expert_achievements',
            field=models.TextField(blank=True, verbose_name='首席专家主要学术成就'),
        ),
        migrations.AddField(
            model_name='application',
            name='chief_expert_education',
            field=models.TextField(blank=True, verbose_name='首席专家学习经历'),
        ),
        migrations.AddField(
            model_name='application',
            name='chief_expert_email',
            field=models.CharField(blank=True, max_length=254, verbose_name='首席专家电子邮箱'),
        ),
        migrations.AddField(
            model_name='application',
            name='chief_expert_field',
            field=models.CharField(blank=True, max_length=128, verbose_name='首席专家研究领域'),
        ),
        migrations.AddField(
            model_name='application',
            name='chief_expert_industry_roles',
            field=models.TextField(blank=True, verbose_name='首席专家产业界任职'),
        ),
        migrations.AddField(
            model_name='application',
            name='chief_expert_phone',
            field=models.CharField(blank=True, max_length=32, verbose_name='首席专家联系电话'),
        ),
        migrations.AddField(
            model_name='application',
            name='chief_expert_unit',
            field=models.CharField(blank=True, max_length=128, verbose_name='首席专家工作单位'),
        ),
        migrations.AddField(
            model_name='application',
            name='secretariat_head',
            field=models.CharField(blank=True, max_length=64, verbose_name='秘书长'),
        ),
        migrations.AddField(
            model_name='application',
            name='secretariat_unit',
            field=models.CharField(blank=True, max_length=128, verbose_name='秘书处依托单位'),
        ),
        migrations.AddField(
            model_name='membership',
            name='invention_patent_count',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='其中：有效发明专利（项）'),
        ),
        migrations.AddField(
            model_name='membership',
            name='patent_count',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='有效专利（项）'),
        ),
        migrations.AddField(
            model_name='membership',
            name='qualifications',
            field=models.JSONField(blank=True, default=list, verbose_name='单位资质（申报）'),
        ),
        migrations.AddField(
            model_name='registration',
            name='is_legal_person',
            field=models.BooleanField(blank=True, null=True, verbose_name='独立法人'),
        ),
        migrations.AlterField(
            model_name='application',
            name='charter_text',
            field=models.TextField(blank=True, verbose_name='其他约定'),
        ),
        migrations.AlterField(
            model_name='attachment',
            name='kind',
            field=models.CharField(choices=[('license', '营业执照/法人证书'), ('patent', '专利证书'), ('qualification', '资质证明'), ('agreement', '组建协议（签署扫描件）'), ('authorization', '授权书'), ('supplementary_agreement', '补充协议'), ('other', '其他材料')], max_length=32, verbose_name='材料类型'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('patent_count__isnull', True), ('invention_patent_count__isnull', True), ('invention_patent_count__lte', models.F('patent_count')), _connector='OR'), name='membership_inventions_within_patents'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'approved'), _negated=True), models.Q(('is_legal_person', False), _negated=True), _connector='OR'), name='approved_registration_is_legal_person'),
        ),
        migrations.AddField(
            model_name='bodyseat',
            name='application',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='body_seats', to='applications.application'),
        ),
        migrations.AddField(
            model_name='signatory',
            name='application',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatories', to='applications.application'),
        ),
        migrations.AddField(
            model_name='signatory',
            name='authorization',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='applications.attachment', verbose_name='授权书'),
        ),
        migrations.AddField(
            model_name='signatory',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='applications.unit', verbose_name='单位'),
        ),
        migrations.AddConstraint(
            model_name='signatory',
            constraint=models.UniqueConstraint(fields=('application', 'unit'), name='one_signatory_per_unit'),
        ),
        migrations.AddField(
            model_name='unitban',
            name='lift_proposed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='解除提出时间'),
        ),
        migrations.AddField(
            model_name='unitban',
            name='lift_proposed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='解除提出人'),
        ),
        migrations.AddField(
            model_name='unitban',
            name='lift_proposed_reason',
            field=models.TextField(blank=True, verbose_name='提出解除的理由'),
        ),
        migrations.AlterField(
            model_name='application',
            name='updated_at',
            field=operations.clock.DateTimeField(auto_now=True, verbose_name='最后保存'),
        ),
        migrations.AlterField(
            model_name='applicationversion',
            name='submitted_at',
            field=operations.clock.DateTimeField(auto_now_add=True, verbose_name='提交时间'),
        ),
        migrations.AlterField(
            model_name='attachment',
            name='uploaded_at',
            field=operations.clock.DateTimeField(auto_now_add=True, verbose_name='上传时间'),
        ),
        migrations.AlterField(
            model_name='consortium',
            name='created_at',
            field=operations.clock.DateTimeField(auto_now_add=True, verbose_name='创建时间'),
        ),
        migrations.AlterField(
            model_name='consortium',
            name='updated_at',
            field=operations.clock.DateTimeField(auto_now=True, verbose_name='更新时间'),
        ),
        migrations.CreateModel(
            name='DocumentRender',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=40, verbose_name='文书类型')),
                ('sha256', models.CharField(max_length=64, verbose_name='文书内容 SHA-256')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='文书记录编号')),
                ('state', models.CharField(choices=[('pending', '排队中'), ('running', '生成中'), ('done', '已完成'), ('failed', '失败')], default='pending', max_length=16, verbose_name='状态')),
                ('file', models.FileField(blank=True, max_length=300, upload_to='documents/', verbose_name='文件')),
                ('error', models.TextField(blank=True, verbose_name='错误')),
                ('created_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='请求时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
            ],
            options={
                'verbose_name': '文书打印文件',
                'verbose_name_plural': '文书打印文件',
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'sha256'), name='one_render_per_document')],
            },
        ),
        migrations.AlterField(
            model_name='dossierrender',
            name='created_at',
            field=operations.clock.DateTimeField(auto_now_add=True, verbose_name='请求时间'),
        ),
        migrations.AlterField(
            model_name='draftinput',
            name='saved_at',
            field=operations.clock.DateTimeField(auto_now=True, verbose_name='暂存时间'),
        ),
        migrations.AlterField(
            model_name='partsave',
            name='saved_at',
            field=operations.clock.DateTimeField(auto_now_add=True, verbose_name='保存时间'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='created_at',
            field=models.DateTimeField(default=operations.clock.now, verbose_name='提交时间'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='created_at',
            field=operations.clock.DateTimeField(auto_now_add=True, db_index=True, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='unit',
            name='created_at',
            field=operations.clock.DateTimeField(auto_now_add=True, verbose_name='创建时间'),
        ),
        migrations.AlterField(
            model_name='unitban',
            name='recorded_at',
            field=models.DateTimeField(default=operations.clock.now, verbose_name='记录时间'),
        ),
    ]
