"""Queue the scheduled jobs that are due. A systemd timer or cron runs it every minute, on every server."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from operations import schedule


class Command(BaseCommand):
    help = "启动到期的定时任务（由 systemd 定时器或 cron 每分钟运行；多台服务器同时运行也只启动一次）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", default=0,
            help="不退出，每隔 SECONDS 秒检查一次（开发环境 make run 使用；生产环境用定时器）",
        )

    def handle(self, *args, loop, **options):
        while True:
            started = schedule.start_due_jobs()
            if started or options["verbosity"] > 1:
                self.stdout.write(f"已启动定时任务：{'、'.join(started) if started else '无'}")
            if not loop:
                return
            close_old_connections()
            time.sleep(loop)
