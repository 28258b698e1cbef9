from datetime import datetime, time

from django.utils import timezone

from .models import AuditEvent


def _day(value, end=False):
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def audit_events(params):
    """The audit log filtered by the audit page's query string; bad dates are ignored."""
    events = AuditEvent.objects.all()
    if params.get("action"):
        events = events.filter(action=params["action"])
    if params.get("username"):
        events = events.filter(username__icontains=params["username"].strip())
    if start := _day(params.get("start")):
        events = events.filter(created_at__gte=start)
    if end := _day(params.get("end"), end=True):
        events = events.filter(created_at__lte=end)
    return events
