from datetime import timedelta

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账户与机构"

    def ready(self):
        # Imported here: models and the app registry are ready only now.
        from operations import schedule

        from . import audit, notify, signals  # noqa: F401  (signals: login/logout audit)

        schedule.register(
            "accounts.retry_email", notify.retry_due_email, every=5 * schedule.MINUTE, title="重试发送失败的通知邮件",
        )
        # The audit log's retention (等保: at least 6 months) is the audit module's to define; its pruning
        # runs monthly once the module provides prune_audit_log().
        prune_audit_log = getattr(audit, "prune_audit_log", None)
        if prune_audit_log is not None:
            schedule.register(
                "accounts.prune_audit_log", prune_audit_log, every=schedule.MONTH, at=timedelta(hours=4),
                title="清理超过保存期限的审计日志",
            )
