from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import audit, devices, lockout, notify, signed_in
from .roles import ROLE_PERMISSIONS


class AccountBackend(ModelBackend):
    """The only authentication backend (settings.AUTHENTICATION_BACKENDS).

    Sign-in: refused before any password is checked while a lock applies (accounts/lockout.py; on a
    browser that signed in as this user before, only that browser's own lock: accounts/devices.py);
    Django then sends user_login_failed, and accounts.signals records the refusal.

    Permissions come from the role alone (accounts.roles.ROLE_PERMISSIONS): never from groups or
    per-user grants, which nobody can edit, so no account can gain a right its role does not have.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and username is not None:
            request.login_device = devices.known_device(request, username)
            lock = lockout.current_lock(username, audit.client_ip(request), device=request.login_device)
            if lock is not None:
                request.login_lock = lock
                raise PermissionDenied(lock.message)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user of a request, with what every page's frame shows, in one query: the bureau or unit
        (navbar) and the unread count (accounts.context_processors), read at this moment, so never stale.

        Asked on every signed-in request: one SQL statement written once (accounts/signed_in.py) instead of the
        ORM building the same query each time (1.1 ms of CPU a request); tests/accounts/test_sessions.py holds
        it equal to user_queryset() field by field."""
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        # Read with the session if its store could (signed_in.take: the same row, in the same statement), else now.
        user = signed_in.take(pk) or signed_in.load(self.user_model, pk)
        return user if user is not None and self.user_can_authenticate(user) else None

    @property
    def user_model(self):
        return get_user_model()

    def user_queryset(self):
        return notify.with_unread_count(self.user_model._default_manager.select_related("bureau", "unit"))

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(ROLE_PERMISSIONS.get(user_obj.role, ()))
