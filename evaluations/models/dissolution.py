"""解散 (§六（三））: the lead's request and how the city settled it."""

from django.db import models
from django.db.models import Q

from applications.models import Consortium

from .base import LeadRequest


class DissolutionRequest(LeadRequest):
    """§六（三）: the lead asks to dissolve, with a reason; the city records it through the workflow (or returns it)."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="dissolution_requests")
    reason = models.TextField("解散理由")

    class Meta(LeadRequest.Meta):
        verbose_name = verbose_name_plural = "解散申请"
        constraints = [
            models.UniqueConstraint(fields=["consortium"], condition=Q(status="pending"), name="one_pending_dissolution_request"),
        ]
