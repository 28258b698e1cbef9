from django.db.models import Count

from accounts.roles import Role

from .choices import RegistrationStatus, Status
from . import snapshot
from .models import Attachment, Consortium, Unit


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


def status_counts(user):
    rows = Consortium.objects.visible_to(user).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return [(status, label, counts.get(status, 0)) for status, label in Status.choices]


class NotFound(Exception):
    pass


def application_for(user, consortium_pk):
    """The 申请书 of a consortium the user may see, ready for snapshot.build(); NotFound otherwise."""
    application = snapshot.queryset().filter(
        consortium__in=Consortium.objects.visible_to(user), consortium_id=consortium_pk
    ).first()
    if application is None:
        raise NotFound
    return application


def attachment_for(user, attachment_id):
    return Attachment.objects.filter(consortium__in=Consortium.objects.visible_to(user), pk=attachment_id).first()
