from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_notifications'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='user',
            name='active_applicant_has_unit',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('login', '登录成功'), ('login_failed', '登录失败'), ('locked_out', '账户锁定'), ('logout', '退出登录'), ('password_changed', '修改密码'), ('registration', '单位注册'), ('registration_decision', '注册审核'), ('status_change', '状态变更'), ('export', '导出日志'), ('application_saved', '保存申请书'), ('attachment_downloaded', '下载附件'), ('document_downloaded', '下载打印文件'), ('expert_assigned', '分配评审专家'), ('scores_submitted', '提交评分'), ('conflict_declared', '声明回避'), ('criteria_changed', '修改评分项')], max_length=32, verbose_name='事件'),
        ),
    ]
