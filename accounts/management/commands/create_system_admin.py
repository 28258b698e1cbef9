"""Create a 系统管理员 account, or set a new password for one, on the server.

The first system admin of an installation is made this way (there is no superuser); later ones
may also be made by a system admin in the Django admin. Same options as create_audit_admin.
"""

from accounts.roles import Role

from .create_audit_admin import Command as AccountCommand


class Command(AccountCommand):
    help = "在服务器上创建系统管理员账户，或重设其密码"
    role = Role.SYSTEM_ADMIN
