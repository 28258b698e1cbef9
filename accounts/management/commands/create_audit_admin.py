"""Create a 安全审计员 account, or set a new password for one, on the server (三员分立).

    python manage.py create_audit_admin USERNAME [--full-name 姓名] [--email 地址] [--reset-password]

The password is asked for twice in a terminal; for automation it is read from one line of standard
input (--password-stdin) or from the environment variable ACCOUNT_PASSWORD. It must pass the
portal's password rules. The system admin cannot do any of this in the Django admin.
"""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import audit, lockout
from accounts import audit_actions as accounts_actions
from accounts.models import User
from accounts.roles import Role

PASSWORD_VARIABLE = "ACCOUNT_PASSWORD"


class Command(BaseCommand):
    help = "在服务器上创建安全审计员账户，或重设其密码（系统管理员无此权限）"
    role = Role.AUDIT_ADMIN

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--full-name", default="", help="姓名")
        parser.add_argument("--email", default="", help="电子邮箱（用于找回密码）")
        parser.add_argument("--reset-password", action="store_true", help="为已有的同角色账户设置新密码")
        parser.add_argument(
            "--password-stdin", action="store_true", help=f"从标准输入读取密码（一行）；也可用环境变量 {PASSWORD_VARIABLE}"
        )

    def handle(self, *args, username, full_name, email, reset_password, password_stdin, **options):
        label = Role(self.role).label
        existing = User.objects.filter(username=username).first()
        if existing is not None and not (reset_password and existing.role == self.role):
            if existing.role == self.role:
                raise CommandError(f"用户名“{username}”已存在。如需为该{label}设置新密码，请加 --reset-password。")
            raise CommandError(f"用户名“{username}”已被一个{existing.get_role_display()}账户使用，不能用作{label}。")
        if existing is None and reset_password:
            raise CommandError(f"没有用户名为“{username}”的{label}账户，不能重设密码。")
        user = existing or User(username=username, role=self.role, full_name=full_name, email=email)
        password = self.password(password_stdin)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("密码不符合要求：" + "".join(error.messages)) from None
        user.set_password(password)
        if existing is None:
            try:
                user.full_clean()
            except ValidationError as error:
                raise CommandError("；".join(
                    f"{User._meta.get_field(field).verbose_name if field != '__all__' else '账户'}：{''.join(messages)}"
                    for field, messages in error.message_dict.items()
                )) from None
        with transaction.atomic():
            user.save()
            if existing is not None:
                lockout.clear_account(username)
            audit.record(
                accounts_actions.ACCOUNT_COMMAND, username=f"服务器:{getpass.getuser()}", target=audit.describe(user),
                detail=f"{'重设' + label + '密码' if existing else '创建' + label + '账户'}（manage.py {self.command_name}）",
            )
        self.stdout.write(self.style.SUCCESS(f"已{'重设' if existing else '创建'}{label}“{username}”{'的密码' if existing else ''}。"))

    @property
    def command_name(self):
        return self.__module__.rsplit(".", 1)[-1]

    def password(self, from_stdin):
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif os.environ.get(PASSWORD_VARIABLE):
            password = os.environ[PASSWORD_VARIABLE]
        elif sys.stdin.isatty():
            password = getpass.getpass("密码：")
            if getpass.getpass("再次输入密码：") != password:
                raise CommandError("两次输入的密码不一致。")
        else:
            raise CommandError(f"请在终端中运行以输入密码，或用 --password-stdin、环境变量 {PASSWORD_VARIABLE} 提供密码。")
        if not password:
            raise CommandError("密码不能为空。")
        return password
