"""Delete audit events older than the retention period (at least 180 days, 网络安全法 §21).

    python manage.py prune_audit_log [--days N]     # N defaults to settings.AUDIT_RETENTION_DAYS (180)
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import audit


class Command(BaseCommand):
    help = "清理超过保留期限的审计日志（至少保留 180 天）"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.AUDIT_RETENTION_DAYS, help="保留天数，不少于 180")

    def handle(self, *args, days, **options):
        try:
            deleted = audit.prune(days)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已删除 {deleted} 条 {days} 天之前的审计日志。")
