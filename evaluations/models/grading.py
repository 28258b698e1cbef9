"""绩效评价 (§六（二）): the criteria, the experts' panels and scores, the evaluation of a year."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.roles import Role
from applications.models import Consortium, StatusChange
from operations import clock
from reviews.models import CriterionBase, ExpertTaskBase, ExpertTaskQuerySet, ScoreBase

from ..choices import EvaluationBasis, Grade, RecommendationOutcome
from .base import ScopedByConsortium
from .reports import AnnualReport


class EvaluationCriterion(CriterionBase):
    """A weighted criterion of the 绩效评价's expert scoring; the 综合论证 keeps its own list."""

    class Meta(CriterionBase.Meta):
        verbose_name = verbose_name_plural = "绩效评价评分项"


class ScopedByEvaluation(models.QuerySet):
    def visible_to(self, user):
        return self.filter(evaluation__consortium__in=Consortium.objects.visible_to(user))


class ExpertPanel(models.Model):
    """Experts scoring one year of a consortium for the 绩效评价, with the 回避 of the 综合论证; closed by the grade.

    ``report`` is the year's submitted report, or None when it is overdue and never came: the experts then judge
    the year on that fact (§六（二）: every grade rests on experts or a third party, never on staff alone).
    """

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="expert_panels")
    year = models.PositiveSmallIntegerField("评价年度")
    report = models.OneToOneField(AnnualReport, verbose_name="年度报告", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="panel")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = clock.DateTimeField("组织时间", auto_now_add=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = ScopedByConsortium.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "绩效评价专家评分"
        constraints = [models.UniqueConstraint(fields=["consortium", "year"], name="one_panel_per_consortium_year")]

    def __str__(self):
        return f"{self.consortium} {self.year}年度专家评分"


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

    Written by the workflow's ``evaluate`` step; ``content`` is what the printed 评价结果通知 shows, its SHA-256 the
    verification code. A wrong grade is corrected only by a 复核 (``correct_grade``): ``grade`` then holds the corrected
    grade and each GradeCorrection keeps what was changed, why, and its own printed notice.
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
    third_party_institution = models.CharField("第三方评价机构", max_length=200, blank=True)
    third_party_report_date = models.DateField("第三方评价报告日期", null=True, blank=True)
    third_party_report_number = models.CharField("第三方评价报告编号", max_length=64, blank=True)
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
        ordering = ["consortium", "year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "year"], name="one_evaluation_per_consortium_year"),
            models.CheckConstraint(condition=~Q(basis="third_party") | ~Q(third_party_sha256=""), name="third_party_basis_has_report"),
        ]

    def __str__(self):
        return f"{self.consortium} {self.year}年度 {self.get_grade_display()}"


class GradeCorrection(models.Model):
    """评价结果复核: a grade found wrong, corrected by the city with a reason (never by grading another year); printed
    as a corrected 评价结果通知 with its own verification code."""

    evaluation = models.ForeignKey(Evaluation, verbose_name="绩效评价", on_delete=models.PROTECT, related_name="corrections")
    change = models.OneToOneField(StatusChange, verbose_name="办理记录", on_delete=models.PROTECT, related_name="grade_correction")
    previous_grade = models.CharField("原评价结果", max_length=16, choices=Grade.choices)
    grade = models.CharField("复核后评价结果", max_length=16, choices=Grade.choices)
    reason = models.TextField("复核理由")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复核人", null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("复核时间")
    content = models.JSONField("通知内容")
    sha256 = models.CharField("内容摘要", max_length=64)

    objects = ScopedByEvaluation.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "评价结果复核"
        ordering = ["evaluation", "decided_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(grade=models.F("previous_grade")), name="correction_changes_grade")]

    def __str__(self):
        return f"{self.evaluation} 复核：{self.get_previous_grade_display()} → {self.get_grade_display()}"


class Recommendation(models.Model):
    """推荐申报省级以上创新联合体 (§六（二）): the city's decision on a consortium whose latest evaluated year is 优秀 —
    whether it 符合条件 and is recommended, and later what came of it."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="recommendations")
    year = models.PositiveSmallIntegerField("“优秀”评价年度")
    eligible = models.BooleanField("符合条件、予以推荐")
    note = models.TextField("推荐意见")
    decided_on = models.DateField("推荐决定日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField("推荐结果", max_length=16, choices=RecommendationOutcome.choices, default=RecommendationOutcome.PENDING)
    outcome_on = models.DateField("结果日期", null=True, blank=True)
    outcome_note = models.TextField("结果说明", blank=True)

    objects = ScopedByConsortium.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "推荐申报省级以上创新联合体"
        ordering = ["consortium", "-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "year"], name="one_recommendation_per_consortium_year"),
            models.CheckConstraint(condition=Q(outcome="pending") | Q(eligible=True), name="outcome_only_if_recommended"),
            models.CheckConstraint(condition=Q(outcome="pending") | Q(outcome_on__isnull=False), name="outcome_has_date"),
        ]

    def __str__(self):
        return f"{self.consortium} {self.year} 年度推荐（{'推荐' if self.eligible else '不予推荐'}）"
