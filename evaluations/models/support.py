"""The support a consortium receives (§五): the 市级以上 projects it carries and every record of support."""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q

from applications.choices import level_choices
from applications.models import Consortium, Unit
from operations import clock
from operations.constraints import capped

from ..choices import (
    ALL_LEVELS,
    FUNDING_CAPS,
    PROJECT_KIND_LEVELS,
    SUPPORT_KIND_LEVELS,
    SUPPORT_PROJECT_LEVELS,
    ProjectKind,
    ProjectStatus,
    SupportKind,
)
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
    recorded_at = clock.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedByConsortium.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "承担科技项目"
        ordering = ["consortium", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="project_amount_not_negative"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="support_project_ends_after_start"),
            capped(ProjectKind.KEY_PROJECT, FUNDING_CAPS[ProjectKind.KEY_PROJECT], name="key_project_within_cap",
                   message="重点项目经费支持最高 200 万元。"),
            capped(ProjectKind.OPEN_COMPETITION, FUNDING_CAPS[ProjectKind.OPEN_COMPETITION], name="open_competition_within_cap",
                   message="揭榜挂帅经费支持最高 100 万元。"),
            models.CheckConstraint(
                condition=kind_level_pairs(PROJECT_KIND_LEVELS), name="support_project_kind_level_bound",
                violation_error_message="重点项目、揭榜挂帅为市级，省级以上科技计划为省级或国家级。",
            ),
        ]

    def __str__(self):
        return self.name


class SupportRecord(models.Model):
    """Support a consortium (or one of its units) received, as §五 lists it: a project's funding, 创新券, the instrument
    subsidy, a district's 资助, a platform … — what the statistics add up per consortium, kind, level and year.

    A project the consortium carries has one record of its own funding (``from_project``), kept in step with it by
    the support services; further records may name the project (a district's matching 资助, say)."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="support_records")
    unit = models.ForeignKey(Unit, verbose_name="受支持单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="空白为创新联合体整体")
    kind = models.CharField("支持类别", max_length=24, choices=SupportKind.choices)
    level = models.CharField("级别", max_length=16, choices=level_choices(*ALL_LEVELS))
    amount = models.DecimalField("金额（万元）", **MONEY)
    year = models.PositiveSmallIntegerField("年度")
    granting_body = models.CharField("支持部门", max_length=100)
    project = models.ForeignKey(SupportProject, verbose_name="关联项目", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="support_records")
    from_project = models.BooleanField("项目经费", default=False, editable=False)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = clock.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedByConsortium.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "支持记录"
        ordering = ["consortium", "-year", "kind", "id"]
        indexes = [models.Index(fields=["year", "kind"], name="support_record_year_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="support_record_amount_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="support_record_year_plausible"),
            capped(SupportKind.KEY_PROJECT, FUNDING_CAPS[ProjectKind.KEY_PROJECT], name="support_key_project_within_cap",
                   message="市级重点项目经费支持最高 200 万元。"),
            capped(SupportKind.OPEN_COMPETITION, FUNDING_CAPS[ProjectKind.OPEN_COMPETITION], name="support_open_competition_within_cap",
                   message="揭榜挂帅经费支持最高 100 万元。"),
            models.CheckConstraint(
                condition=kind_level_pairs(SUPPORT_KIND_LEVELS), name="support_record_kind_level_bound",
                violation_error_message="该支持类别与级别的组合不符合《工作方案》五的规定。",
            ),
            models.CheckConstraint(condition=Q(from_project=False) | Q(project__isnull=False), name="support_record_project_funding_names_it"),
            models.UniqueConstraint(fields=["project"], condition=Q(from_project=True), name="one_funding_record_per_project"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} 万元（{self.year}）"
