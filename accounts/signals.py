from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts import audit_actions as accounts_actions

from . import audit, lockout, sessions

ADMIN_ACTIONS = {
    ADDITION: (accounts_actions.ADMIN_ADD, "已新增。"),
    CHANGE: (accounts_actions.ADMIN_CHANGE, "未修改任何字段。"),
    DELETION: (accounts_actions.ADMIN_DELETE, "已删除。"),
}


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record(accounts_actions.LOGIN, request=request, actor=user)
    if request is not None and hasattr(request, "session"):
        sessions.stamp(request.session)  # written with the login: the first page after it need not write again
    if request is not None:
        lockout.signed_in(user.get_username(), audit.client_ip(request), getattr(request, "login_device", ""))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(accounts_actions.LOGOUT, request=request, actor=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") or ""
    lock = getattr(request, "login_lock", None)
    if lock is not None:  # refused by accounts.backends before any password was checked
        audit.record(
            accounts_actions.LOGIN_FAILED, request=request, username=username, success=False,
            detail=f"登录已被锁定，未校验密码：{lock.reason}，锁定至 {lockout.clock(lock.until)}",
        )
        return
    device = getattr(request, "login_device", "")
    audit.record(
        accounts_actions.LOGIN_FAILED, request=request, username=username, success=False,
        detail="在登录过该账户的浏览器上" if device else "",
    )
    if request is None:
        return
    ip = audit.client_ip(request)
    started = lockout.record_failure(username, ip, device=device)
    if started is not None:
        request.login_lock = started
        audit.record(
            accounts_actions.LOCKED_OUT, request=request, username=username, success=False,
            target=ip if started.rule.name == lockout.ADDRESS else username,
            detail=f"{started.reason}，锁定至 {lockout.clock(started.until)}（规则：{lockout.RULE_NAMES[started.rule.name]}）",
        )


@receiver(post_save, sender=LogEntry)
def on_admin_change(sender, instance, created, **kwargs):
    """Every add, change and delete made in the Django admin, with the fields it changed.

    The admin writes one LogEntry per object (its bulk delete action is switched off in urls.py),
    inside the transaction of the change, so the event is kept exactly when the change is.
    """
    if not created:
        return
    action, nothing_said = ADMIN_ACTIONS[instance.action_flag]
    kind = instance.content_type.name if instance.content_type else ""
    audit.record(
        action, actor=instance.user, target=f"{kind} {instance.object_repr}（#{instance.object_id}）",
        detail=instance.get_change_message() or nothing_said,
    )
