"""The 市级以上 projects a consortium carries (§五)."""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q

from applications.choices import level_choices
from applications.models import Consortium

from ..choices import FUNDING_CAPS, PROJECT_KIND_LEVELS, SUPPORT_PROJECT_LEVELS, ProjectKind, ProjectStatus
from .base import MONEY, ScopedByConsortium


def kind_level_pairs(allowed):
    """The pairs a kind → levels table allows, as one condition (the database holds what the form offers)."""
    return reduce(operator.or_, (Q(kind=kind, level__in=[level.value for level in levels]) for kind, levels in allowed.items()))


class SupportProject(models.Model):
    """A 市级以上 science project the consortium carries (§五); 在研 ones forbid dissolution (§六（三））."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="support_projects")
    name = models.CharField("项目名称", max_length=200)
    level = models.CharField("级别", max_length=16, choices=level_choices(*SUPPORT_PROJECT_LEVELS))
    kind = models.CharField("类别", max_length=24, choices=ProjectKind.choices)
    amount = models.DecimalField("支持经费（万元）", **MONEY)
    starts_on = models.DateField("实施期起")
    ends_on = models.DateField("实施期止")
    status = models.CharField("状态", max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedByConsortium.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "承担科技项目"
        ordering = ["consortium", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="project_amount_not_negative"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="support_project_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(kind=ProjectKind.KEY_PROJECT) | Q(amount__lte=FUNDING_CAPS[ProjectKind.KEY_PROJECT]),
                name="key_project_within_cap", violation_error_message="重点项目经费支持最高 200 万元。",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ProjectKind.OPEN_COMPETITION) | Q(amount__lte=FUNDING_CAPS[ProjectKind.OPEN_COMPETITION]),
                name="open_competition_within_cap", violation_error_message="揭榜挂帅经费支持最高 100 万元。",
            ),
            models.CheckConstraint(
                condition=kind_level_pairs(PROJECT_KIND_LEVELS), name="support_project_kind_level_bound",
                violation_error_message="重点项目、揭榜挂帅为市级，省级以上科技计划为省级或国家级。",
            ),
        ]

    def __str__(self):
        return self.name
