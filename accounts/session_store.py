"""The session store (settings.SESSION_ENGINE): Django's database sessions, read with one SQL statement written once.

Every signed-in request reads its session; Django builds that query through the ORM each time (a third of the
session's cost). The statement here is the same query, with its text made once; writing, deleting and expiry are
Django's own.
"""

import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router

from operations import clock


class SessionStore(DatabaseStore):
    def load(self):
        key = self.session_key
        if not key:
            self._session_key = None
            return {}
        using = router.db_for_read(self.model)
        connection = connections[using]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [key, connection.ops.adapt_datetimefield_value(clock.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        try:
            return self.decode(row[0])
        except SuspiciousOperation as error:  # as Django's own store: logged, and no session
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            self._session_key = None
            return {}
