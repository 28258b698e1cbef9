"""The portal's clock: every moment and date the portal writes, shows, prints or compares is read here.

    from operations import clock
    clock.now()              # an aware datetime (stored in UTC)
    clock.today()            # the Beijing date of now() (DESIGN.md rule 8: every date is the local date)
    clock.localtime()        # now() in Beijing time; clock.localtime(value): an aware value's
    clock.localdate(value)   # the Beijing date of an aware value

Product code never calls django.utils.timezone's now, localdate or localtime itself: ruff's banned-api rule (TID251,
``make lint``) refuses them everywhere but here and in the tests. Model fields stamped on save are
``clock.DateTimeField(…, auto_now=True)`` / ``(…, auto_now_add=True)``: Django's own DateTimeField behaves the same
(stamped on every save / at creation, not editable in forms and the admin) but takes its time from timezone.now().

The clock is the real time. There is one way to set it, ``clock.story(moment)``, and only the demo loader uses it
(dashboards/demo_history.py ``at(day)``): the demo's past years are played through the services, and inside
``with clock.story(moment):`` now() is ``moment``, so that what they write — a report submitted, a grade decided, an
audit event, a notification — is dated on the story's day and the rules that read dates see the story as it was lived.
The clock is only ever set back: a moment later than the real now is taken as the real now. It is held in a context
variable, so it is set for the code running inside the ``with`` block (its thread), never for other requests.

``real_now()`` is the real time whatever a story says (the demo counts its days back from it). Tests may use
``story()`` for a moment in the past; a test that needs a day still to come fakes the real time itself —
``monkeypatch.setattr(clock, "real_now", lambda: moment)`` (tests/evaluations/helpers.py ``fixed_today``) or freezegun.
"""

import contextlib
from contextvars import ContextVar

from django.db import models
from django.utils import timezone

_story = ContextVar("clock_story", default=None)


def real_now():
    """The real time (aware), whatever story() says."""
    return timezone.now()


def now():
    """The portal's time (aware): the story's moment inside ``story()``, else the real time."""
    moment = _story.get()
    return real_now() if moment is None else moment


def _beijing():
    """settings.TIME_ZONE (Asia/Shanghai), the portal's one zone: every date and time is Beijing's, whatever zone a
    request may have activated. (Django's current zone is looked up through a context-local on every call: 4.5 µs a
    date-time against 0.4, for the 50 of every list page.)"""
    return timezone.get_default_timezone()


def today():
    """The Beijing date of now()."""
    return timezone.localdate(now(), _beijing())


def localtime(value=None):
    """``value`` (aware; by default now()) in Beijing time."""
    return timezone.localtime(now() if value is None else value, _beijing())


def localdate(value=None):
    """The Beijing date of ``value`` (aware; by default now(): prefer today())."""
    return timezone.localdate(now() if value is None else value, _beijing())


@contextlib.contextmanager
def story(moment):
    """Let the portal see the aware ``moment`` as now inside the block (the demo loader only); never a moment after
    the real now."""
    token = _story.set(min(moment, real_now()))
    try:
        yield
    finally:
        _story.reset(token)


class DateTimeField(models.DateTimeField):
    """Django's DateTimeField, whose auto_now (every save) and auto_now_add (creation) take the clock's now()."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)
