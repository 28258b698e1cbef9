"""初审 and 综合论证 records: expert rounds, assignments, scores; the documents the stage issues and their numbers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.roles import Role
from applications.models import Consortium
from applications.workflow import ACTION_LABELS
from operations import clock

from . import scoring


class CriterionBase(models.Model):
    """A weighted scoring criterion; municipal staff edit the list and the weights.

    Abstract, so that each kind of expert scoring keeps its own list: the 综合论证 here (Criterion),
    the yearly 绩效评价 in evaluations. The scoring arithmetic (scoring.py) is the same for both.
    """

    name = models.CharField("评分项", max_length=64)
    description = models.CharField("说明", max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField("权重（%）", validators=[MinValueValidator(1), MaxValueValidator(100)])
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "id"]

    def __str__(self):
        return f"{self.name}（{self.weight}%）"


class Evidence(models.TextChoices):
    """What of the 申请书 an expert sees beside a criterion while scoring it."""

    ORGANISATION = "organisation", "首席专家与组织机构（§四（三））"
    CHARTER = "charter", "组建协议八项内容（§四（二））"


class Criterion(CriterionBase):
    """A criterion of the 综合论证."""

    evidence = models.CharField("评分时展示的申请书内容", max_length=16, choices=Evidence.choices, blank=True)

    class Meta(CriterionBase.Meta):
        verbose_name = verbose_name_plural = "评分项"


class ExpertProfile(models.Model):
    """What the 回避 rule needs to know about an expert's employer."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile",
                                limit_choices_to={"role": Role.EXPERT})
    employer_credit_code = models.CharField("工作单位统一社会信用代码", max_length=18, blank=True)
    specialty = models.CharField("专业领域", max_length=128, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家信息"

    def __str__(self):
        return str(self.user)


class AppraisalRound(models.Model):
    title = models.CharField("论证批次", max_length=128)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = clock.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "综合论证批次"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Derived from the assignments a user may see, so that the two scopes never disagree."""
        if user.is_authenticated and user.role == Role.MUNICIPAL_STAFF:
            return self.all()
        return self.filter(pk__in=ExpertAssignment.objects.visible_to(user).values("entry_id"))


class RoundEntry(models.Model):
    """One application in a round: its experts, and the staff's 综合论证 opinion and decision."""

    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="entries")
    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="appraisal_entries")
    version_number = models.PositiveIntegerField("论证版本")
    opinion = models.TextField("综合论证意见", blank=True)
    decision = models.CharField("结论", max_length=32, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    # The 综合论证意见 as decided (services.appraisal_content), frozen with the decision; its printed code is
    # taken from ``sha256``. Before the decision the opinion prints from the live record as 未定稿, unless staff
    # chose that it print not at all.
    content = models.JSONField("论证意见内容", null=True, blank=True)
    sha256 = models.CharField("内容摘要", max_length=64, blank=True)
    draft_printable = models.BooleanField("论证结束前可打印未定稿", default=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "论证申请"
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consortium"], condition=Q(decided_at__isnull=True), name="one_open_entry_per_consortium"),
        ]

    @property
    def decision_label(self):
        return ACTION_LABELS.get(self.decision, "")


class ExpertTaskQuerySet(models.QuerySet):
    """The scope of experts' tasks of any kind (综合论证, 绩效评价)."""

    def visible_to(self, user):
        """Municipal staff see every task; an expert their own, except those they recused from."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.EXPERT:
            return self.filter(expert=user, conflict_declared=False)
        if user.role == Role.MUNICIPAL_STAFF:
            return self.all()
        return self.none()

    def to_do_first(self):
        """Tasks still to score first (on every database: PostgreSQL sorts NULL last), then newest first."""
        return self.order_by(models.F("submitted_at").asc(nulls_first=True), "-assigned_at", "-pk")


class ExpertTaskBase(models.Model):
    """One expert's scoring task, whatever is scored: the 回避 they may declare, their comment, when they submitted.

    Abstract: the 综合论证 (ExpertAssignment) and the 绩效评价 (evaluations) each keep their own table, and
    share the rules (rules.expert_free_of_conflict), the arithmetic (scoring.py) and the use cases that
    record a conflict or the scores (services.record_conflict, services.record_scores).
    """

    assigned_at = clock.DateTimeField("分配时间", auto_now_add=True)
    conflict_declared = models.BooleanField("已声明回避", default=False)
    conflict_reason = models.CharField("回避理由", max_length=300, blank=True)
    comment = models.TextField("评审意见", blank=True)
    submitted_at = models.DateTimeField("提交评分时间", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def weighted_total(self):
        return scoring.total_of(self)


class ExpertAssignment(ExpertTaskBase):
    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments",
                               limit_choices_to={"role": Role.EXPERT})
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ExpertTaskQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "专家评审任务"
        ordering = ["entry", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "expert"], name="expert_once_per_entry")]

    @property
    def entry_open(self):
        return self.entry.decided_at is None


class ScoreBase(models.Model):
    """One criterion's score in an expert's task, with the weight it had then."""

    weight = models.PositiveSmallIntegerField("评分时的权重")  # kept, so later weight edits do not rewrite history
    value = models.DecimalField("得分", max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        abstract = True


class Score(ScoreBase):
    assignment = models.ForeignKey(ExpertAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=100), name="score_in_range"),
        ]


class DocumentKind(models.TextChoices):
    """The numbered documents of the bureau, each numbered from its own gapless yearly sequence."""

    FILING = "filing", "备案编号"
    REVOCATION = "revocation", "取消资格决定文号"


# The 备案编号 keeps the three digits it has always had; a decision's 文号 has none to spare (GB/T 9704 §7.2.3:
# 发文顺序号不编虚位).
NUMBER_FORMATS = {
    DocumentKind.FILING: "镇创联备〔{year}〕{number:03d}号",
    DocumentKind.REVOCATION: "镇创联撤〔{year}〕{number}号",
}


class DocumentNumberSequence(models.Model):
    """The last number of a kind used in a year; locked while a decision takes the next one."""

    kind = models.CharField("文件种类", max_length=16, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "文号序列"
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="one_sequence_per_kind_and_year")]


class FilingNotice(models.Model):
    """The 备案通知书 as the city issued it (services.filing_notice_content), frozen when the consortium is filed;
    its printed code is taken from ``sha256``."""

    consortium = models.OneToOneField(Consortium, on_delete=models.CASCADE, related_name="filing_notice")
    content = models.JSONField("通知内容")
    sha256 = models.CharField("内容摘要", max_length=64)
    issued_at = clock.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "备案通知书"

    def __str__(self):
        return self.content.get("record_number", "")


class RecommendationOpinion(models.Model):
    """The district's 推荐意见 (seed §四（一）: 板块推荐), frozen when it passes the 初审 and printed in the notice layout by a
    background task (reviews.jobs); filed with the application and shown to the city."""

    class State(models.TextChoices):
        PENDING = "pending", "排队中"
        DONE = "done", "已生成"
        FAILED = "failed", "生成失败"

    consortium = models.OneToOneField(Consortium, on_delete=models.CASCADE, related_name="recommendation_opinion")
    change = models.ForeignKey("applications.StatusChange", on_delete=models.PROTECT, related_name="+")
    content = models.JSONField("推荐意见内容")
    sha256 = models.CharField("内容摘要", max_length=64)
    state = models.CharField("生成状态", max_length=16, choices=State.choices, default=State.PENDING)
    file = models.FileField("文件", upload_to="recommendations/%Y/", blank=True, max_length=300)
    error = models.TextField("错误", blank=True)
    created_at = clock.DateTimeField("出具时间", auto_now_add=True)
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "推荐意见"

    def __str__(self):
        return f"{self.content.get('consortium', {}).get('name', '')} 推荐意见"
