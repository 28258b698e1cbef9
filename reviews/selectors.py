from django.db.models import Max, Prefetch

from applications import snapshot
from applications.choices import Status
from applications.models import Consortium

from .models import Criterion, ExpertAssignment, RoundEntry, Score


def queue(user):
    """Applications a reviewer may act on or look back at, with their latest submission time; one query."""
    return (
        Consortium.objects.visible_to(user)
        .select_related("lead_unit__bureau", "industry_field")
        .annotate(submitted_at=Max("application__versions__submitted_at"))
        .order_by("submitted_at", "pk")
    )


def awaiting_appraisal(user):
    return queue(user).filter(status=Status.DISTRICT_PASSED)


def review_application(user, consortium_pk):
    """The 申请书 with everything the review page shows, or None when out of the user's scope."""
    return snapshot.queryset().prefetch_related("versions__submitted_by", "consortium__status_changes__actor").filter(
        consortium__in=Consortium.objects.visible_to(user), consortium_id=consortium_pk
    ).first()


def open_entry(consortium):
    """The running 综合论证 entry of a consortium, with its experts and their scores."""
    return (
        RoundEntry.objects.filter(consortium=consortium, decided_at__isnull=True)
        .select_related("round")
        .prefetch_related(Prefetch("assignments", ExpertAssignment.objects.select_related("expert").prefetch_related(
            Prefetch("scores", Score.objects.select_related("criterion"))
        )))
        .first()
    )


def expert_assignments(user):
    return (
        ExpertAssignment.objects.visible_to(user)
        .select_related("entry__consortium__lead_unit", "entry__consortium__industry_field", "entry__round")
        .order_by("submitted_at", "-assigned_at")
    )


def entries_in_progress():
    return (
        RoundEntry.objects.filter(decided_at__isnull=True)
        .select_related("round", "consortium__lead_unit", "consortium__industry_field")
        .prefetch_related("assignments")
    )


def active_criteria():
    return list(Criterion.objects.filter(is_active=True))
