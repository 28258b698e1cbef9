"""Sessions that end after SESSION_COOKIE_AGE idle (等保2.0 二级: 30 minutes) without a write on every request.

Django's SESSION_SAVE_EVERY_REQUEST renews the expiry by writing the session row on every page (an UPDATE in a
transaction: three round trips, and the cookie re-set). Here the row is written when its data changed, as usual,
and otherwise at most once every SESSION_REFRESH_SECONDS: a session stays alive while its user is active at
least once in (SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS) and ends at most SESSION_COOKIE_AGE after the last
request, never later. The time of the last write is kept in the session itself (REFRESHED_KEY).

A request that brings no live session (no cookie, an expired one, or a replayed one after logout) never makes
a row here: an empty session is not saved (Django's own rule), and nothing in the portal puts data in an
anonymous session except the password-reset link's check (django.contrib.auth.views).
"""

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware

from operations import clock

REFRESHED_KEY = "_refreshed"


def stamp(session):
    """Note the session as written now (it is about to be: a login, a change of its data)."""
    session[REFRESHED_KEY] = int(clock.now().timestamp())


def refresh_seconds():
    return getattr(settings, "SESSION_REFRESH_SECONDS", 60)


class IdleTimeoutSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, but an unchanged session is written only when its last write is a minute old."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        # accessed: only a session that was read can be due; is_empty() is then free (the data is loaded).
        if session is not None and session.accessed and not session.modified and not session.is_empty():
            now = int(clock.now().timestamp())
            if now - session.get(REFRESHED_KEY, 0) >= refresh_seconds():
                stamp(session)  # marks it modified: saved below with a new expiry
        elif session is not None and session.modified and not session.is_empty():
            stamp(session)
        return super().process_response(request, response)
