"""What the audit log can say happened: each app registers the actions it records (its own ``audit_actions``
module), so that a new feature adds its words where it lives and never edits this app. Bottom layer.

    PART_SAVED = audit_actions.register("part_saved", "保存申请书")
    audit.record(PART_SAVED, request=request, …)

The value is what is stored (at most 32 characters, unique across apps); the label is what the log shows.
"""

from django.core.exceptions import ImproperlyConfigured

LABELS = {}  # value → label, in the order registered; read by the log's columns and filters


def register(value, label):
    if len(value) > 32:
        raise ImproperlyConfigured(f"audit action “{value}” is longer than 32 characters")
    if LABELS.get(value, label) != label:
        raise ImproperlyConfigured(f"audit action “{value}” is registered twice with different labels")
    LABELS[value] = label
    return value


def label(value):
    return LABELS.get(value, value)


def choices():
    """[(value, label)] of every registered action (a callable, so that a form built early sees later apps' actions)."""
    return list(LABELS.items())


# The accounts' own: sign-in, accounts, the Django admin, the audit log itself, exports and downloads.
LOGIN = register("login", "登录成功")
LOGIN_FAILED = register("login_failed", "登录失败")
LOCKED_OUT = register("locked_out", "登录锁定")
LOCKOUT_CLEARED = register("lockout_cleared", "解除登录锁定")
LOGOUT = register("logout", "退出登录")
PASSWORD_CHANGED = register("password_changed", "修改密码")
PASSWORD_RESET_REQUESTED = register("password_reset_requested", "申请重设密码")
PASSWORD_RESET_DONE = register("password_reset_done", "重设密码")
ACCOUNT_COMMAND = register("account_command", "服务器命令管理账户")
ADMIN_ADD = register("admin_add", "后台新增")
ADMIN_CHANGE = register("admin_change", "后台修改")
ADMIN_DELETE = register("admin_delete", "后台删除")
AUDIT_PRUNED = register("audit_pruned", "清理过期审计日志")
EXPORT = register("export", "导出数据")
ACCESS_DENIED = register("access_denied", "访问被拒绝")
ATTACHMENT_DOWNLOAD = register("attachment_download", "下载附件")
DOCUMENT_DOWNLOAD = register("document_download", "下载打印文件")
ROLE_CHANGED = register("role_changed", "变更角色或归属")
ADMIN_PASSWORD_SET = register("admin_password_set", "系统管理员设置密码")
