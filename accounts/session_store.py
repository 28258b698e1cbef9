"""The session store (settings.SESSION_ENGINE): Django's database sessions, read with one SQL statement written once.

Every signed-in request reads its session; Django builds that query through the ORM each time (a third of the
session's cost). The statement here is the same query, with its text made once; writing, deleting and expiry are
Django's own. A session this process has seen before is read together with its user (accounts/signed_in.py).
"""

import logging

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router

from operations import clock

from . import signed_in


class SessionStore(DatabaseStore):
    read_with_user = None  # the user read in the same statement as the session (signed_in.with_session), if any

    def load(self):
        key = self.session_key
        if not key:
            self._session_key = None
            return {}
        guess = signed_in.whose(key)
        if guess is not None:  # whose session this was when this process last saw it: read with its user
            data, user = signed_in.with_session(get_user_model(), self.model, key, clock.now(), guess)
        else:
            data, user = self._read(key), None
        if data is None:
            self._session_key = None
            return {}
        try:
            session = self.decode(data)
        except SuspiciousOperation as error:  # as Django's own store: logged, and no session
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            self._session_key = None
            return {}
        owner = _user_pk(session)
        signed_in.remember(key, owner)
        if user is not None and user.pk == owner:
            self.read_with_user = user  # handed to AccountBackend.get_user (signed_in.take), which still checks it
        return session

    def _read(self, key):
        using = router.db_for_read(self.model)
        connection = connections[using]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [key, connection.ops.adapt_datetimefield_value(clock.now())],
            )
            row = cursor.fetchone()
        return None if row is None else row[0]

    def save(self, must_create=False):
        super().save(must_create=must_create)
        signed_in.remember(self.session_key, _user_pk(self._session))


def _user_pk(session):
    """The id of the user a session's data names (django.contrib.auth's key), or None."""
    try:
        return int(session[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        return None
