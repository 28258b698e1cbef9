"""The 培育库 as pages read it, always from Candidate.objects.visible_to."""

from django.db.models import Count, Q

from applications.choices import RegistrationStatus
from applications.models import Registration

from .choices import CandidateStatus
from .models import Candidate


def candidates(user, *, status="", q=""):
    rows = Candidate.objects.visible_to(user).select_related("bureau", "industry_field", "consortium")
    if status:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(credit_code__icontains=q.upper()))
    return rows.order_by("-created_at", "-pk")


def counts_by_status(user):
    return dict(Candidate.objects.visible_to(user).order_by().values_list("status").annotate(n=Count("pk")))


def status_counts(user):
    """[(status, label, count)] of the user's 培育库, every status (one query)."""
    counts = counts_by_status(user)
    return [(value, label, counts.get(value, 0)) for value, label in CandidateStatus.choices]


def candidate(user, pk):
    return Candidate.objects.visible_to(user).select_related("bureau", "industry_field", "consortium", "unit", "invited_by",
                                                             "created_by").filter(pk=pk).first()


def registration_pending(candidate):
    """Whether the enterprise has registered and waits for its district's approval (shown beside 平台注册)."""
    return Registration.objects.filter(credit_code=candidate.credit_code, status=RegistrationStatus.PENDING).exists()
