from datetime import timedelta
from functools import partial

from django.apps import AppConfig
from django.conf import settings


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账户与机构"

    def ready(self):
        # Imported here: models and the app registry are ready only now.
        from operations import schedule

        from . import audit, notify, signals  # noqa: F401  (signals: login/logout audit)

        # Every minute: e-mail written to the outbox without a send task of its own goes out promptly too.
        schedule.register("accounts.retry_email", notify.retry_due_email, every=schedule.MINUTE, title="发送到期的待发邮件")
        # The audit log is kept AUDIT_RETENTION_DAYS (等保 and 网络安全法 §21: at least 180); older rows go monthly.
        schedule.register(
            "accounts.prune_audit_log", partial(audit.prune, settings.AUDIT_RETENTION_DAYS), every=schedule.MONTH,
            at=timedelta(hours=4), title="清理超过保存期限的审计日志",
        )
