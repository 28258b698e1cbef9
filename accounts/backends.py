import threading

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models.query import get_related_populators

from . import audit, devices, lockout, notify
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

        Asked on every signed-in request: the query's SQL is made once per process (its text only, never its
        rows), then run with the user's id, and the user built from the row as the ORM builds it."""
        try:
            user = _signed_in_user(self.user_queryset, int(user_id))
        except (TypeError, ValueError):
            return None
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


# The signed-in user's query, compiled once per database alias and thread (a compiler holds its thread's connection):
# {alias: (compiler, sql, params, position of the id)}.
_COMPILED = threading.local()
_NO_ID = -7_391_562_841  # stands for the id while the SQL is made; never a user's


def _compiled(queryset, using):
    compiled = _COMPILED.__dict__.setdefault("by_alias", {})
    found = compiled.get(using)
    if found is None:
        compiler = queryset.filter(pk=_NO_ID).query.get_compiler(using)
        sql, params = compiler.as_sql()
        found = compiled[using] = (compiler, sql, tuple(params), list(params).index(_NO_ID))
    return found


def _signed_in_user(user_queryset, user_id):
    """The user ``user_id`` as ``user_queryset()`` would give it (related rows and annotations), or None."""
    queryset = user_queryset()
    using = queryset.db
    compiler, sql, params, position = _compiled(queryset, using)
    params = list(params)
    params[position] = user_id
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    row = next(iter(compiler.results_iter(results=[[row]])))
    info, select = compiler.klass_info, compiler.select
    first, last = info["select_fields"][0], info["select_fields"][-1] + 1
    user = info["model"].from_db(using, [column[0].target.attname for column in select[first:last]], row[first:last])
    for populator in get_related_populators(info, select, using):
        populator.populate(row, user)
    for name, position in compiler.annotation_col_map.items():
        setattr(user, name, row[position])
    return user
