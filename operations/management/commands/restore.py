"""python manage.py restore DIR [--replace] — checks the backup completely before changing anything."""

from django.core.management.base import BaseCommand, CommandError

from operations import backup


class Command(BaseCommand):
    help = "从备份目录 DIR 恢复数据库和上传文件；先按清单校验全部内容，校验不通过则不做任何更改"

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="backup 命令生成的备份目录")
        parser.add_argument("--replace", action="store_true", help="当前数据库已有数据时，确认用备份整体替换")
        parser.add_argument("--check", action="store_true", help="只校验备份，不恢复")

    def handle(self, *args, directory, replace, check, **options):
        try:
            manifest = backup.verify(directory) if check else backup.restore(directory, replace=replace)
        except backup.BackupRefused as refusal:
            raise CommandError(str(refusal)) from None
        files = len(manifest["files"])
        if check:
            self.stdout.write(self.style.SUCCESS(f"备份完好：{manifest['created_at']} 的备份，数据库及 {files} 个文件均与清单一致。"))
            return
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{manifest['created_at']} 的备份，数据库及 {files} 个文件。"))
        pending = backup.pending_migrations()
        if pending:
            self.stdout.write(f"备份早于当前版本，还有 {len(pending)} 个数据库迁移未执行：请运行 python manage.py migrate。")
