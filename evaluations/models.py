"""After 备案: the consortium's 绩效评价, the projects it carries, its requests to the city.

Data and database constraints only; the use cases are in services.py, the rules in rules.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from applications.models import Consortium

from .choices import FUNDING_CAPS, EvaluationBasis, Grade, ProjectKind, ProjectLevel, ProjectStatus, RequestStatus

MONEY = {"max_digits": 12, "decimal_places": 2}


class ScopedByConsortium(models.QuerySet):
    """Visible as far as the consortium is: the one scope rule, Consortium.objects.visible_to."""

    def visible_to(self, user):
        return self.filter(consortium__in=Consortium.objects.visible_to(user))


class Evaluation(models.Model):
    """One 绩效评价 of a filed consortium (§六（二）): 优秀 / 合格 / 不合格 with the city's written opinion."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField("评价年度")
    grade = models.CharField("评价结果", max_length=16, choices=Grade.choices)
    opinion = models.TextField("评价意见")
    basis = models.CharField("评价依据", max_length=16, choices=EvaluationBasis.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评价人", null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("评价时间")

    objects = ScopedByConsortium.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "绩效评价"
        ordering = ["consortium", "decided_at", "id"]
        constraints = [models.UniqueConstraint(fields=["consortium", "year"], name="one_evaluation_per_consortium_year")]

    def __str__(self):
        return f"{self.consortium} {self.year}年度 {self.get_grade_display()}"


class SupportProject(models.Model):
    """A 市级以上 science project the consortium carries (§五); 在研 ones forbid dissolution (§六（三））."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="support_projects")
    name = models.CharField("项目名称", max_length=200)
    level = models.CharField("级别", max_length=16, choices=ProjectLevel.choices)
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
        ]

    def __str__(self):
        return self.name


class DissolutionRequest(models.Model):
    """§六（三）: the lead asks to dissolve, with a reason; the city records it through the workflow (or returns it)."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="dissolution_requests")
    reason = models.TextField("解散理由")
    status = models.CharField("办理状态", max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    opinion = models.TextField("办理意见", blank=True)

    objects = ScopedByConsortium.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "解散申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["consortium"], condition=Q(status="pending"), name="one_pending_dissolution_request"),
        ]
