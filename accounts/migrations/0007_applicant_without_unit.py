from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_audit_append_only'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='user',
            name='active_applicant_has_unit',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('login', '登录成功'), ('login_failed', '登录失败'), ('locked_out', '登录锁定'), ('lockout_cleared', '解除登录锁定'), ('logout', '退出登录'), ('password_changed', '修改密码'), ('password_reset_requested', '申请重设密码'), ('password_reset_done', '重设密码'), ('account_command', '服务器命令管理账户'), ('admin_add', '后台新增'), ('admin_change', '后台修改'), ('admin_delete', '后台删除'), ('audit_pruned', '清理过期审计日志'), ('export', '导出数据'), ('access_denied', '访问被拒绝'), ('registration', '单位注册'), ('registration_decision', '注册审核'), ('part_saved', '保存申请书'), ('attachment_uploaded', '上传附件'), ('attachment_deleted', '删除附件'), ('status_change', '状态变更'), ('expert_assigned', '指派专家'), ('conflict_declared', '声明回避'), ('scores_submitted', '提交评分'), ('criteria_changed', '修改评分项'), ('attachment_download', '下载附件'), ('dossier_download', '下载申请书打印文件'), ('notice_download', '下载备案通知书'), ('document_download', '下载打印文件')], max_length=32, verbose_name='事件'),
        ),
    ]
