"""The accounts' own tables (the users, bureaus, notifications, the audit log, sign-ins), as the 13 migrations of
accounts left them; the links to the applications' tables follow in 0002_squashed_0013.

Squashed (2026-12-05): written from the models, each table created whole with its indexes and constraints, so that
an empty database is migrated in far fewer steps; the backfills of the replaced migrations (marked elidable) do
nothing on an empty database and are left out. A database that has applied all of the replaced migrations is
taken as having applied this one; the replaced files stay until every installation has migrated past them."""

import accounts.models
import django.contrib.auth.validators
import django.utils.timezone
import operations.clock
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('accounts', '0001_initial'),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(db_index=True, default=operations.clock.now, editable=False, verbose_name='时间')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='用户名')),
                ('role', models.CharField(blank=True, choices=[('applicant', '申报单位'), ('district_reviewer', '辖市区初审人员'), ('municipal_staff', '市科技局业务处室'), ('expert', '评审专家'), ('system_admin', '系统管理员'), ('audit_admin', '安全审计员')], max_length=32, verbose_name='角色')),
                ('action', models.CharField(max_length=32, verbose_name='事件')),
                ('success', models.BooleanField(default=True, verbose_name='结果')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP 地址')),
                ('target', models.CharField(blank=True, max_length=200, verbose_name='对象')),
                ('detail', models.TextField(blank=True, verbose_name='详情')),
            ],
            options={
                'verbose_name': '审计日志',
                'verbose_name_plural': '审计日志',
                'ordering': ['-created_at', '-id'],
            },
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
            ],
            options={
                'verbose_name': '浏览器登录',
                'verbose_name_plural': '浏览器登录',
            },
        ),
        migrations.CreateModel(
            name='Bureau',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=64, unique=True, verbose_name='机构名称')),
                ('district', models.CharField(blank=True, help_text='如“京口区”；市科技局留空', max_length=32, verbose_name='辖区')),
                ('kind', models.CharField(choices=[('district', '辖市区科技部门'), ('municipal', '市科技局')], default='district', max_length=16, verbose_name='类型')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='排序')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
            ],
            options={
                'verbose_name': '科技主管部门',
                'verbose_name_plural': '科技主管部门',
                'ordering': ['sort_order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='LoginFailure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('username', models.CharField(max_length=150, verbose_name='用户名')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP 地址')),
                ('device', models.CharField(blank=True, default='', max_length=32, verbose_name='登录过的浏览器')),
                ('created_at', models.DateTimeField(db_index=True, default=operations.clock.now, verbose_name='时间')),
            ],
            options={
                'verbose_name': '登录失败记录',
                'verbose_name_plural': '登录失败记录',
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='标题')),
                ('body', models.TextField(verbose_name='内容')),
                ('link', models.CharField(blank=True, max_length=300, verbose_name='链接')),
                ('created_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='时间')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='阅读时间')),
            ],
            options={
                'verbose_name': '站内消息',
                'verbose_name_plural': '站内消息',
                'ordering': ['-created_at', '-id'],
            },
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
                ('next_attempt_at', models.DateTimeField(default=operations.clock.now, verbose_name='下次尝试时间')),
                ('created_at', operations.clock.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
            ],
            options={
                'verbose_name': '待发邮件',
                'verbose_name_plural': '待发邮件',
                'ordering': ['next_attempt_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('role', models.CharField(choices=[('applicant', '申报单位'), ('district_reviewer', '辖市区初审人员'), ('municipal_staff', '市科技局业务处室'), ('expert', '评审专家'), ('system_admin', '系统管理员'), ('audit_admin', '安全审计员')], default='applicant', max_length=32, verbose_name='角色')),
                ('full_name', models.CharField(blank=True, max_length=64, verbose_name='姓名')),
                ('phone', models.CharField(blank=True, max_length=32, verbose_name='联系电话')),
                ('employer', models.CharField(blank=True, help_text='专家填写，用于回避', max_length=128, verbose_name='工作单位')),
                ('must_change_password', models.BooleanField(default=False, editable=False, verbose_name='下次登录须修改密码')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
            ],
            options={
                'verbose_name': '用户',
                'verbose_name_plural': '用户',
            },
            managers=[
                ('objects', accounts.models.AccountManager()),
            ],
        ),
    ]
