"""绩效评价 (§六（二）): the criteria, the experts' panels and scores, the evaluation of a year."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.roles import Role
from applications.models import Consortium, StatusChange
from reviews.models import CriterionBase, ExpertTaskBase, ExpertTaskQuerySet, ScoreBase

from ..choices import EvaluationBasis, Grade
from .base import ScopedByConsortium
from .reports import AnnualReport


class EvaluationCriterion(CriterionBase):
    """A weighted criterion of the 绩效评价's expert scoring; the 综合论证 keeps its own list."""

    class Meta(CriterionBase.Meta):
        verbose_name = verbose_name_plural = "绩效评价评分项"


class ExpertPanel(models.Model):
    """Experts scoring one annual report for the 绩效评价, with the 回避 of the 综合论证; closed by the grade."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="expert_panels")
    report = models.OneToOneField(AnnualReport, verbose_name="年度报告", on_delete=models.PROTECT, related_name="panel")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField("组织时间", auto_now_add=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = ScopedByConsortium.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "绩效评价专家评分"

    def __str__(self):
        return f"{self.report} 专家评分"


class PanelAssignment(ExpertTaskBase):
    panel = models.ForeignKey(ExpertPanel, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="专家", on_delete=models.PROTECT,
                               related_name="evaluation_assignments", limit_choices_to={"role": Role.EXPERT})
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ExpertTaskQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "绩效评价专家任务"
        ordering = ["panel", "id"]
        constraints = [models.UniqueConstraint(fields=["panel", "expert"], name="expert_once_per_panel")]

    @property
    def panel_open(self):
        return self.panel.closed_at is None


class PanelScore(ScoreBase):
    assignment = models.ForeignKey(PanelAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "绩效评价评分"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="one_panel_score_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=100), name="panel_score_in_range"),
        ]


def third_party_path(instance, filename):
    return f"evaluations/{instance.consortium_id}/{instance.third_party_sha256[:2]}/{instance.third_party_sha256}/{filename}"


class Evaluation(models.Model):
    """One 绩效评价 of a filed consortium (§六（二）): 优秀 / 合格 / 不合格 with the city's written opinion,
    on its annual report and the experts' scores or a third party's evaluation report.

    Written once by the workflow's ``evaluate`` step and never changed; ``content`` is what the printed
    评价结果通知 shows, its SHA-256 the verification code.
    """

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField("评价年度")
    grade = models.CharField("评价结果", max_length=16, choices=Grade.choices)
    opinion = models.TextField("评价意见")
    basis = models.CharField("评价依据", max_length=16, choices=EvaluationBasis.choices)
    report = models.ForeignKey(AnnualReport, verbose_name="年度报告", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="evaluations")
    panel = models.OneToOneField(ExpertPanel, verbose_name="专家评分", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="evaluation")
    mean_score = models.DecimalField("专家平均加权得分", max_digits=4, decimal_places=1, null=True, blank=True)
    third_party_file = models.FileField("第三方评价报告", upload_to=third_party_path, max_length=300, blank=True)
    third_party_name = models.CharField("第三方评价报告文件名", max_length=200, blank=True)
    third_party_sha256 = models.CharField("第三方评价报告 SHA-256", max_length=64, blank=True)
    change = models.OneToOneField(StatusChange, verbose_name="办理记录", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="evaluation")
    content = models.JSONField("通知内容", default=dict, blank=True)
    sha256 = models.CharField("内容摘要", max_length=64, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评价人", null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("评价时间")

    objects = ScopedByConsortium.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "绩效评价"
        ordering = ["consortium", "decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "year"], name="one_evaluation_per_consortium_year"),
            models.CheckConstraint(condition=~Q(basis="third_party") | ~Q(third_party_sha256=""), name="third_party_basis_has_report"),
        ]

    def __str__(self):
        return f"{self.consortium} {self.year}年度 {self.get_grade_display()}"
