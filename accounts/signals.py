from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit
from .models import AuditEvent


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record(AuditEvent.Action.LOGIN, request=request, actor=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditEvent.Action.LOGOUT, request=request, actor=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    audit.record(
        AuditEvent.Action.LOGIN_FAILED, request=request, username=credentials.get("username", ""), success=False
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(AuditEvent.Action.LOCKED_OUT, request=request, username=username or "", success=False)
