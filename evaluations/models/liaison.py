"""科技联络员 (§六（一））."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.roles import Role
from applications.models import Consortium

from .base import ScopedByConsortium


class LiaisonQuerySet(ScopedByConsortium):
    def current(self):
        return self.filter(ended_at__isnull=True)


class LiaisonAssignment(models.Model):
    """科技联络员 (§六（一）): a municipal officer who follows a consortium; the history is kept."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="liaisons")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="科技联络员", on_delete=models.PROTECT,
                                related_name="liaison_assignments", limit_choices_to={"role": Role.MUNICIPAL_STAFF})
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField("选派时间", auto_now_add=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = LiaisonQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "科技联络员"
        ordering = ["consortium", "-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["consortium"], condition=Q(ended_at__isnull=True), name="one_liaison_per_consortium"),
        ]

    def __str__(self):
        return f"{self.consortium} 科技联络员 {self.officer}"
