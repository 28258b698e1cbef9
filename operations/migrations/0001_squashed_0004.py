"""operations 0001–0004 in one: the outbox, the submitted forms and the other operations tables as they left them.

Written from the models: each table created whole with its indexes and constraints, so that an empty database is
migrated in a few steps. A database that applied all the replaced migrations takes this one as applied; one that
applied some goes on with the replaced files, which stay until every installation is past them."""

import operations.clock
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('operations', '0001_initial'),
        ('operations', '0002_outbox_task'),
        ('operations', '0003_submitted_forms'),
        ('operations', '0004_times_from_the_clock'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='OutboxTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task_path', models.CharField(max_length=200, verbose_name='任务函数')),
                ('arguments', models.JSONField(default=dict, verbose_name='参数')),
                ('run_after', models.DateTimeField(blank=True, null=True, verbose_name='最早运行时间')),
                ('created_at', operations.clock.DateTimeField(auto_now_add=True, db_index=True, verbose_name='创建时间')),
            ],
            options={
                'verbose_name': '待送入队列的后台任务',
                'verbose_name_plural': '待送入队列的后台任务',
                'ordering': ['created_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ScheduledJobRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='任务')),
                ('last_started_at', models.DateTimeField(blank=True, null=True, verbose_name='最近开始')),
                ('last_finished_at', models.DateTimeField(blank=True, null=True, verbose_name='最近结束')),
                ('last_error', models.TextField(blank=True, verbose_name='最近错误')),
            ],
            options={
                'verbose_name': '定时任务运行记录',
                'verbose_name_plural': '定时任务运行记录',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='SubmittedForm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=40, unique=True, verbose_name='表单凭证')),
                ('path', models.CharField(max_length=300, verbose_name='提交地址')),
                ('result_url', models.CharField(blank=True, max_length=500, verbose_name='结果页面')),
                ('created_at', operations.clock.DateTimeField(auto_now_add=True, db_index=True, verbose_name='提交时间')),
            ],
            options={
                'verbose_name': '已提交的表单',
                'verbose_name_plural': '已提交的表单',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='WorkerHeartbeat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('worker_id', models.CharField(max_length=64, unique=True, verbose_name='进程标识')),
                ('hostname', models.CharField(max_length=255, verbose_name='主机名')),
                ('pid', models.PositiveIntegerField(verbose_name='进程号')),
                ('backend', models.CharField(max_length=32, verbose_name='任务后端')),
                ('started_at', models.DateTimeField(verbose_name='启动时间')),
                ('seen_at', models.DateTimeField(db_index=True, verbose_name='最近心跳')),
            ],
            options={
                'verbose_name': '后台任务进程',
                'verbose_name_plural': '后台任务进程',
                'ordering': ['-seen_at'],
            },
        ),
        migrations.CreateModel(
            name='FailedTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='任务')),
                ('task_path', models.CharField(max_length=200, verbose_name='任务函数')),
                ('arguments', models.JSONField(default=dict, verbose_name='参数')),
                ('attempts', models.PositiveSmallIntegerField(verbose_name='已尝试次数')),
                ('error', models.TextField(verbose_name='错误')),
                ('traceback', models.TextField(blank=True, verbose_name='错误详情')),
                ('failed_at', operations.clock.DateTimeField(auto_now_add=True, db_index=True, verbose_name='失败时间')),
                ('rerun_at', models.DateTimeField(blank=True, null=True, verbose_name='重新运行时间')),
                ('rerun_by', models.CharField(blank=True, max_length=150, verbose_name='重新运行人')),
            ],
            options={
                'verbose_name': '失败的后台任务',
                'verbose_name_plural': '失败的后台任务',
                'ordering': ['-failed_at', '-id'],
                'indexes': [models.Index(condition=models.Q(('rerun_at__isnull', True)), fields=['failed_at'], name='failed_task_open')],
            },
        ),
    ]
