"""manage.py import_filed <xlsx>: bring in the consortia filed before the portal (issue 21.5)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.roles import Role
from evaluations.legacy import services


class Command(BaseCommand):
    help = "导入门户上线前备案的创新联合体：先逐行检查，没有错误时在一个事务中全部导入（--dry-run 只检查）。"

    def add_arguments(self, parser):
        parser.add_argument("workbook", help="按模板填写的 .xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入")
        parser.add_argument("--user", default="", help="记入审计日志的系统管理员用户名")

    def handle(self, *args, workbook, dry_run, user, **options):
        path = Path(workbook)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        actor = None
        if user:
            actor = User.objects.filter(username=user, role=Role.SYSTEM_ADMIN).first()
            if actor is None:
                raise CommandError(f"没有用户名为“{user}”的系统管理员。")
        content = path.read_bytes()
        if dry_run:
            batch, plan = services.dry_run(content, path.name, actor)
            consortia = []
        else:
            batch, plan, consortia = services.import_file(content, path.name, actor)
        for finding in plan.findings:
            where = f"“{finding.sheet}”第 {finding.row} 行" if finding.row else f"“{finding.sheet}”"
            self.stdout.write(f"[{finding.severity}] {where}：{finding.message}")
        counts = "，".join(f"{k} {v}" for k, v in plan.counts().items())
        self.stdout.write(f"SHA-256 {batch.sha256}；错误 {len(plan.errors)} 处，提醒 {len(plan.warnings)} 处；{counts}。")
        if plan.errors:
            raise CommandError("文件中有错误，未导入任何内容。")
        if consortia:
            self.stdout.write(self.style.SUCCESS(f"已导入 {len(consortia)} 个创新联合体（历史导入）。"))
        elif dry_run:
            self.stdout.write("检查通过（--dry-run：未导入）。")
