"""``{% load dates %}``: ``{{ value|day }}`` and ``{{ value|moment }}``, a day and a moment as the portal prints them.

They print what Django's ``|date:"Y-m-d"`` and ``|date:"Y-m-d H:i"`` print — an aware date-time in Beijing time (the
clock's zone), a naive one as it is, nothing for anything that is not a date — written directly: Django's date filter
reads its format letter by letter for every value, 20 µs against 2, and a page prints up to some fifty dates
(the consortium page's members and timeline, the review page's versions). tests/test_dates.py holds them equal to
Django's for dates, aware and naive date-times, and values that are none.
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

from operations import clock

register = template.Library()


def _local(value):
    return clock.localtime(value) if timezone.is_aware(value) else value


@register.filter
def day(value):
    """2026-01-31: a date, or the Beijing date of a date-time; "" for anything else."""
    if isinstance(value, datetime):
        value = _local(value)
    elif not isinstance(value, date):
        return ""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


@register.filter
def moment(value):
    """2026-01-31 09:05: a date-time in Beijing time; "" for anything else (a date has no time)."""
    if not isinstance(value, datetime):
        return ""
    value = _local(value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d}"
