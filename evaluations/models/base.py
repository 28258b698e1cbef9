"""What the after-filing models share: the scope through the consortium, money fields, a request of the lead."""

from django.conf import settings
from django.db import models

from applications.models import Consortium
from applications.validators import validate_money
from operations import clock

from ..choices import RequestStatus

MONEY = {"max_digits": 12, "decimal_places": 2}


REPORT_MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True, "validators": [validate_money]}


def report_count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


class ScopedByConsortium(models.QuerySet):
    """Visible as far as the consortium is: the one scope rule, Consortium.objects.visible_to."""

    def visible_to(self, user):
        return self.filter(consortium__in=Consortium.objects.visible_to(user))


class LeadRequest(models.Model):
    """What the lead asks the city and how the city settled it (a workflow step each way)."""

    status = models.CharField("办理状态", max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = clock.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    opinion = models.TextField("办理意见", blank=True)

    objects = ScopedByConsortium.as_manager()

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-id"]
