"""accounts 0002–0013 in one: the accounts' tables after 0001_initial, the city's and the 8 districts' bureaus
(accounts.reference) and, on PostgreSQL, the audit log's refusal of UPDATE and early DELETE (0006_audit_append_only).

The replaced migrations' operations in their order, as Django's optimizer joined them, each data step in its place
(the replaced migration's own function). A database that applied all the replaced migrations takes this one as
applied; one that applied some goes on with the replaced files, which stay until every installation is past them."""

from importlib import import_module

import accounts.models
import django.db.models.deletion
import django.utils.timezone
import operations.clock
from django.conf import settings
from django.db import migrations, models


# The data steps are the replaced migrations' own functions.
_0003 = import_module("accounts.migrations.0003_bureaus")
_0005 = import_module("accounts.migrations.0005_audit_and_lockout")
_0006 = import_module("accounts.migrations.0006_audit_append_only")


class Migration(migrations.Migration):

    replaces = [
        ('accounts', '0002_initial'),
        ('accounts', '0003_bureaus'),
        ('accounts', '0004_notifications'),
        ('accounts', '0005_audit_and_lockout'),
        ('accounts', '0006_audit_append_only'),
        ('accounts', '0007_applicant_without_unit'),
        ('accounts', '0008_after_filing_audit_actions'),
        ('accounts', '0009_audit_actions_registered_by_each_app'),
        ('accounts', '0010_login_failure_known_device'),
        ('accounts', '0011_must_change_password'),
        ('accounts', '0012_browser_sign_ins'),
        ('accounts', '0013_times_from_the_clock'),
    ]

    dependencies = [
        ('accounts', '0001_initial'),
        ('applications', '0001_squashed_0005'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='accounts', to='applications.unit', verbose_name='所属单位'),
        ),
        migrations.AddField(
            model_name='user',
            name='user_permissions',
            field=models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AddConstraint(
            model_name='bureau',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'district')), fields=('district',), name='one_bureau_per_district'),
        ),
        migrations.AddField(
            model_name='user',
            name='bureau',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='accounts.bureau', verbose_name='所属机构'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'applicant'), _negated=True), ('unit__isnull', False), ('is_active', False), _connector='OR'), name='active_applicant_has_unit'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'district_reviewer'), _negated=True), ('bureau__isnull', False), _connector='OR'), name='district_reviewer_has_bureau'),
        ),
        migrations.RunPython(
            code=_0003.create_bureaus,
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.CreateModel(
            name='OutgoingEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('to', models.EmailField(max_length=254, verbose_name='收件地址')),
                ('subject', models.CharField(max_length=200, verbose_name='主题')),
                ('body', models.TextField(verbose_name='正文')),
                ('state', models.CharField(choices=[('pending', '待发送'), ('sent', '已发送'), ('failed', '发送失败')], default='pending', max_length=8, verbose_name='状态')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='尝试次数')),
                ('last_error', models.TextField(blank=True, verbose_name='最近错误')),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='下次尝试时间')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
            ],
            options={
                'verbose_name': '待发邮件',
                'verbose_name_plural': '待发邮件',
                'ordering': ['next_attempt_at', 'id'],
                'indexes': [models.Index(condition=models.Q(('state', 'pending')), fields=['next_attempt_at'], name='email_due')],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='标题')),
                ('body', models.TextField(verbose_name='内容')),
                ('link', models.CharField(blank=True, max_length=300, verbose_name='链接')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='阅读时间')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
            ],
            options={
                'verbose_name': '站内消息',
                'verbose_name_plural': '站内消息',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient'], name='notification_unread')],
            },
        ),
        migrations.CreateModel(
            name='LoginFailure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(max_length=150, verbose_name='用户名')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP 地址')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
            ],
            options={
                'verbose_name': '登录失败记录',
                'verbose_name_plural': '登录失败记录',
            },
        ),
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', accounts.models.AccountManager()),
            ],
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('login', '登录成功'), ('login_failed', '登录失败'), ('locked_out', '登录锁定'), ('lockout_cleared', '解除登录锁定'), ('logout', '退出登录'), ('password_changed', '修改密码'), ('password_reset_requested', '申请重设密码'), ('password_reset_done', '重设密码'), ('account_command', '服务器命令管理账户'), ('admin_add', '后台新增'), ('admin_change', '后台修改'), ('admin_delete', '后台删除'), ('audit_pruned', '清理过期审计日志'), ('export', '导出数据'), ('access_denied', '访问被拒绝'), ('registration', '单位注册'), ('registration_decision', '注册审核'), ('part_saved', '保存申请书'), ('attachment_uploaded', '上传附件'), ('attachment_deleted', '删除附件'), ('status_change', '状态变更'), ('expert_assigned', '指派专家'), ('conflict_declared', '声明回避'), ('scores_submitted', '提交评分'), ('criteria_changed', '修改评分项'), ('attachment_download', '下载附件'), ('dossier_download', '下载申请书打印文件'), ('notice_download', '下载备案通知书')], max_length=32, verbose_name='事件'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='时间'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['action', 'created_at'], name='auditevent_action_time'),
        ),
        migrations.RunPython(
            code=_0005.drop_superusers,
            reverse_code=migrations.RunPython.noop,
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('is_superuser', False)), name='no_superuser'),
        ),
        migrations.AddIndex(
            model_name='loginfailure',
            index=models.Index(fields=['username', 'created_at'], name='loginfailure_user_time'),
        ),
        migrations.AddIndex(
            model_name='loginfailure',
            index=models.Index(fields=['ip', 'created_at'], name='loginfailure_ip_time'),
        ),
        migrations.RunPython(
            code=_0006.on_postgresql(_0006.CREATE),
            reverse_code=_0006.on_postgresql(_0006.DROP),
        ),
        migrations.RemoveConstraint(
            model_name='user',
            name='active_applicant_has_unit',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(max_length=32, verbose_name='事件'),
        ),
        migrations.AddField(
            model_name='loginfailure',
            name='device',
            field=models.CharField(blank=True, default='', max_length=32, verbose_name='登录过的浏览器'),
        ),
        migrations.AddField(
            model_name='user',
            name='must_change_password',
            field=models.BooleanField(default=False, editable=False, verbose_name='下次登录须修改密码'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=operations.clock.now, editable=False, verbose_name='时间'),
        ),
        migrations.CreateModel(
            name='BrowserSignIn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=43, unique=True, verbose_name='令牌')),
                ('created_at', models.DateTimeField(default=operations.clock.now, verbose_name='登录时间')),
                ('stash_path', models.CharField(blank=True, max_length=300, verbose_name='暂存页面')),
                ('stash_data', models.JSONField(blank=True, null=True, verbose_name='暂存内容')),
                ('stashed_at', models.DateTimeField(blank=True, null=True, verbose_name='暂存时间')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='browser_sign_ins', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
            ],
            options={
                'verbose_name': '浏览器登录',
                'verbose_name_plural': '浏览器登录',
                'indexes': [models.Index(fields=['user', 'created_at'], name='browsersignin_user_time')],
            },
        ),
        migrations.AlterField(
            model_name='loginfailure',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=operations.clock.now, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='created_at',
            field=operations.clock.DateTimeField(auto_now_add=True, verbose_name='时间'),
        ),
        migrations.AlterField(
            model_name='outgoingemail',
            name='created_at',
            field=operations.clock.DateTimeField(auto_now_add=True, verbose_name='创建时间'),
        ),
        migrations.AlterField(
            model_name='outgoingemail',
            name='next_attempt_at',
            field=models.DateTimeField(default=operations.clock.now, verbose_name='下次尝试时间'),
        ),
    ]
