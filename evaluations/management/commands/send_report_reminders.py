from datetime import date

from django.core.management.base import BaseCommand, CommandError

from evaluations.reports import services


class Command(BaseCommand):
    help = "发送年度报告提醒（截止前 30 天、前 7 天、逾期次日各一次）；每天运行一次，重复运行不会重复发送"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期判断应发送的提醒（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from None
        sent = services.send_due_reminders(today)
        self.stdout.write(f"已发送年度报告提醒 {sent} 条。")
