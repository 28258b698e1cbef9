"""The signed-in user of a request, its bureau and unit and its unread count, by one SQL statement written once.

Every signed-in request loads its user. Django's ORM builds that query again each time (the joins and the count's
subquery: 1.2 ms of CPU, more than the rest of an empty page); the statement here is the same query, its text
made once per process, and its columns turned into objects as Django's own raw() does: each value through its
field's database converters, then ``Model.from_db``. tests/accounts/test_sessions.py holds the result equal to
AccountBackend.user_queryset(), field by field, on both databases.

The session and its user in one statement (``with_session``): a signed-in request read its session, then its user — two
round trips to the database on every page, each costing the web process more than the rest of an empty page's work
under load. A process that has seen a session once knows whose it is (``remember``: at its reading or its writing);
the next request of that session reads the session row and that user's row together. The user is taken only if the
session, once decoded and its signature checked, names that same user (``take``): a guess that no longer holds (the
session now someone else's) costs the second statement, as before. The user's row is read in the same statement as the
session, at the same moment: never older than the page.
"""

from contextvars import ContextVar
from functools import cache

from django.db import connections, router

from operations.context import bound

from .models import Notification
from .notify import UNREAD_ATTRIBUTE


class _Part:
    """One model's columns in the statement: where they start, how each is converted, how the object is made."""

    def __init__(self, model, alias, connection, start):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self.columns = [f"{alias}.{connection.ops.quote_name(field.column)}" for field in self.fields]
        self.start, self.end = start, start + len(self.fields)
        self.converters = []
        for position, field in enumerate(self.fields):
            column = field.get_col(alias)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if found:
                self.converters.append((position, column, found))

    def make(self, row, connection):
        values = list(row[self.start:self.end])
        for position, column, converters in self.converters:
            for converter in converters:
                values[position] = converter(values[position], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


def _parts(user_model, alias, start):
    connection = connections[alias]
    bureau_model = user_model._meta.get_field("bureau").related_model
    unit_model = user_model._meta.get_field("unit").related_model
    user = _Part(user_model, "u", connection, start)
    bureau = _Part(bureau_model, "b", connection, user.end)
    unit = _Part(unit_model, "n", connection, bureau.end)
    return user, bureau, unit


def _columns_and_joins(user_model, alias, user, bureau, unit):
    """The user's, its bureau's and unit's columns and the unread count; the joins of the bureau and unit to ``u``."""
    quote = connections[alias].ops.quote_name
    bureau_model, unit_model = bureau.model, unit.model
    notifications = Notification._meta
    columns = (
        f"{', '.join(user.columns + bureau.columns + unit.columns)}, "
        f"(SELECT COUNT(*) FROM {quote(notifications.db_table)} m WHERE m.{quote(notifications.get_field('recipient').column)} = u.{quote(user_model._meta.pk.column)} "
        f"AND m.{quote(notifications.get_field('read_at').column)} IS NULL)"
    )
    joins = (
        f"LEFT JOIN {quote(bureau_model._meta.db_table)} b ON b.{quote(bureau_model._meta.pk.column)} = u.{quote(user_model._meta.get_field('bureau').column)} "
        f"LEFT JOIN {quote(unit_model._meta.db_table)} n ON n.{quote(unit_model._meta.pk.column)} = u.{quote(user_model._meta.get_field('unit').column)}"
    )
    return columns, joins


@cache
def _statement(user_model, alias):
    quote = connections[alias].ops.quote_name
    user, bureau, unit = _parts(user_model, alias, 0)
    columns, joins = _columns_and_joins(user_model, alias, user, bureau, unit)
    sql = (f"SELECT {columns} FROM {quote(user_model._meta.db_table)} u {joins} "
           f"WHERE u.{quote(user_model._meta.pk.column)} = %s")
    return sql, user, bureau, unit


@cache
def _with_session_statement(user_model, session_model, alias):
    """The session row (its data, first) and the user ``%s`` (its columns as _statement's, after it): the user's row
    joined whatever the session holds, taken only if the session names that user."""
    quote = connections[alias].ops.quote_name
    user, bureau, unit = _parts(user_model, alias, 1)
    columns, joins = _columns_and_joins(user_model, alias, user, bureau, unit)
    sessions = session_model._meta
    sql = (f"SELECT s.{quote(sessions.get_field('session_data').column)}, {columns} "
           f"FROM {quote(sessions.db_table)} s "
           f"LEFT JOIN {quote(user_model._meta.db_table)} u ON u.{quote(user_model._meta.pk.column)} = %s {joins} "
           f"WHERE s.{quote(sessions.get_field('session_key').column)} = %s AND s.{quote(sessions.get_field('expire_date').column)} > %s")
    return sql, user, bureau, unit


def _made(row, connection, user_part, bureau_part, unit_part):
    user = user_part.make(row, connection)
    # Assigned through the relation (Django's own way to set a related object): the bureau or unit is then
    # cached on the user as select_related would leave it; a user without one keeps None.
    user.bureau = bureau_part.make(row, connection) if user.bureau_id is not None else None
    user.unit = unit_part.make(row, connection) if user.unit_id is not None else None
    setattr(user, UNREAD_ATTRIBUTE, row[-1])
    return user


def load(user_model, pk):
    """The user ``pk`` with ``bureau``, ``unit`` and the unread count set, or None if there is no such user."""
    alias = router.db_for_read(user_model)
    connection = connections[alias]
    sql, user_part, bureau_part, unit_part = _statement(user_model, alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    return _made(row, connection, user_part, bureau_part, unit_part)


def with_session(user_model, session_model, key, now, user_pk):
    """(The data of the live session ``key``, or None; the user ``user_pk`` as load() makes it, or None), read by one
    statement. ``now``: the moment the session must outlive."""
    alias = router.db_for_read(session_model)
    connection = connections[alias]
    sql, user_part, bureau_part, unit_part = _with_session_statement(user_model, session_model, alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_pk, key, connection.ops.adapt_datetimefield_value(now)])
        row = cursor.fetchone()
    if row is None:
        return None, None
    user = _made(row, connection, user_part, bureau_part, unit_part) if row[user_part.start] is not None else None
    return row[0], user


# Whose each session is, as this process last saw it: session key → user id. A guess for the next request of the session
# (with_session), never trusted: take() hands the user over only when the checked session names it. At most KEPT_SESSIONS.
_user_of = {}
KEPT_SESSIONS = 10_000


def remember(key, user_pk):
    if key is None or user_pk is None:
        return
    if len(_user_of) >= KEPT_SESSIONS:
        _user_of.clear()
    _user_of[key] = user_pk


def forget():
    """Forgets whose every session is (as a process that has just started)."""
    _user_of.clear()


def whose(key):
    """The user id last seen in session ``key`` by this process, or None."""
    return _user_of.get(key)


# The session of the request whose user is being read (reading()), for AccountBackend.get_user: the user its store
# read with it, if any.
_session = ContextVar("signed_in_session", default=None)


def reading(session):
    """``with reading(request.session):`` around reading the request's user (AuthenticationMiddleware)."""
    return bound(_session, session)


def take(pk):
    """The user ``pk`` read together with the session of the request being signed in (reading()), once; else None."""
    session = _session.get()
    user = getattr(session, "read_with_user", None)
    if user is None or user.pk != pk:
        return None
    session.read_with_user = None
    return user
