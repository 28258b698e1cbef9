"""python manage.py backup DIR — the database and every uploaded file, with a manifest of SHA-256 sums."""

from django.core.management.base import BaseCommand, CommandError

from operations import backup


class Command(BaseCommand):
    help = "备份数据库和全部上传文件到新目录 DIR（含 SHA-256 清单 manifest.json）"

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="备份目录（不存在或为空）")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup.create(directory)
        except backup.BackupRefused as refusal:
            raise CommandError(str(refusal)) from None
        size = sum(entry["size"] for entry in manifest["files"]) + manifest["database"]["size"]
        self.stdout.write(self.style.SUCCESS(
            f"备份完成：{directory}，数据库（{backup.engine_name(manifest['database']['engine'])}）"
            f"及 {len(manifest['files'])} 个文件，共 {size / 1024 / 1024:.1f} MB。"
        ))
