from accounts.roles import Role

from .choices import RegistrationStatus, Status
from .models import Consortium, Unit


def pending_registrations(user):
    """Registrations waiting for this district reviewer."""
    if user.role != Role.DISTRICT_REVIEWER:
        return Unit.objects.none()
    return (
        Unit.objects.visible_to(user)
        .filter(registration_status=RegistrationStatus.PENDING)
        .prefetch_related("accounts")
        .order_by("created_at")
    )


def consortia_list(user, statuses=None):
    """Consortia for a list page: one query however many rows."""
    consortia = Consortium.objects.visible_to(user).select_related("lead_unit__bureau", "industry_field")
    if statuses:
        consortia = consortia.filter(status__in=statuses)
    return consortia


def consortium_detail(user, pk):
    return consortia_list(user).select_related("application").prefetch_related(
        "memberships__unit", "status_changes__actor"
    ).get(pk=pk)


def status_counts(user):
    from django.db.models import Count

    rows = Consortium.objects.visible_to(user).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return [(status, label, counts.get(status, 0)) for status, label in Status.choices]
