"""The signed-in user of a request, its bureau and unit and its unread count, by one SQL statement written once.

Every signed-in request loads its user. Django's ORM builds that query again each time (the joins and the count's
subquery: 1.2 ms of CPU, more than the rest of an empty page); the statement here is the same query, its text
made once per process, and its columns turned into objects as Django's own raw() does: each value through its
field's database converters, then ``Model.from_db``. tests/accounts/test_sessions.py holds the result equal to
AccountBackend.user_queryset(), field by field, on both databases.
"""

from functools import cache

from django.db import connections, router

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


@cache
def _statement(user_model, alias):
    connection = connections[alias]
    quote = connection.ops.quote_name
    bureau_model = user_model._meta.get_field("bureau").related_model
    unit_model = user_model._meta.get_field("unit").related_model
    user = _Part(user_model, "u", connection, 0)
    bureau = _Part(bureau_model, "b", connection, user.end)
    unit = _Part(unit_model, "n", connection, bureau.end)
    notifications = Notification._meta
    sql = (
        f"SELECT {', '.join(user.columns + bureau.columns + unit.columns)}, "
        f"(SELECT COUNT(*) FROM {quote(notifications.db_table)} m WHERE m.{quote(notifications.get_field('recipient').column)} = u.{quote(user_model._meta.pk.column)} "
        f"AND m.{quote(notifications.get_field('read_at').column)} IS NULL) "
        f"FROM {quote(user_model._meta.db_table)} u "
        f"LEFT JOIN {quote(bureau_model._meta.db_table)} b ON b.{quote(bureau_model._meta.pk.column)} = u.{quote(user_model._meta.get_field('bureau').column)} "
        f"LEFT JOIN {quote(unit_model._meta.db_table)} n ON n.{quote(unit_model._meta.pk.column)} = u.{quote(user_model._meta.get_field('unit').column)} "
        f"WHERE u.{quote(user_model._meta.pk.column)} = %s"
    )
    return sql, user, bureau, unit


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
    user = user_part.make(row, connection)
    # Assigned through the relation (Django's own way to set a related object): the bureau or unit is then
    # cached on the user as select_related would leave it; a user without one keeps None.
    user.bureau = bureau_part.make(row, connection) if user.bureau_id is not None else None
    user.unit = unit_part.make(row, connection) if user.unit_id is not None else None
    setattr(user, UNREAD_ATTRIBUTE, row[-1])
    return user
