"""Send the emails that are due now, at once (the scheduled job accounts.retry_email does so every minute)."""

from django.core.management.base import BaseCommand

from accounts import notify


class Command(BaseCommand):
    help = "发送待发邮件（发送失败的邮件按间隔重试）"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=notify.BATCH_SIZE, help="本次最多处理的邮件数")

    def handle(self, *args, limit, **options):
        sent, failed = notify.deliver_pending_email(limit=limit)
        self.stdout.write(f"已发送 {sent} 封，发送失败 {failed} 封（稍后重试）。")
