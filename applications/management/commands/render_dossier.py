"""python manage.py render_dossier <consortium id> -o FILE [--copies 3] — the id every URL of the portal shows."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from applications.dossier import render, source
from applications.dossier.errors import DossierError
from applications.models import Application


class Command(BaseCommand):
    help = "生成备案申请书打印版 PDF（A4 双面、左侧装订；可选一式三份）"

    def add_arguments(self, parser):
        parser.add_argument("consortium_id", type=int, help="创新联合体编号（网址 /applications/<编号>/ 中的编号）")
        parser.add_argument("-o", "--output", required=True, help="输出 PDF 文件路径")
        parser.add_argument("--copies", type=int, choices=render.COPY_CHOICES, default=1, help="份数：1 或 3（一式三份）")
        parser.add_argument("--site-url", default=settings.SITE_URL,
                            help="封面二维码中核验网址的前缀")

    def handle(self, *args, consortium_id, output, copies, site_url, **options):
        try:
            application = Application.objects.select_related("consortium").get(consortium_id=consortium_id)
        except Application.DoesNotExist:
            raise CommandError(f"没有编号为 {consortium_id} 的创新联合体。") from None
        resolved = source.resolve(application)
        try:
            result = render.render_source(resolved, copies=copies, site_url=site_url)
        except DossierError as error:
            raise CommandError(str(error)) from None
        Path(output).write_bytes(result.pdf)
        edition = f"第 {resolved.version.number} 版，验证码 {resolved.code}" if resolved.version else "草稿（带水印，无验证码）"
        self.stdout.write(self.style.SUCCESS(f"已生成 {output}：{application.consortium.name}，{edition}，共 {result.pages} 页。"))
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"警告：{warning}"))
