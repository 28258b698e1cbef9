"""After 备案: annual reports, the 绩效评价 and its experts, revocations, the projects a consortium carries,
its member changes, dissolution requests and 科技联络员.

Data and database constraints only; the use cases are in services.py, the rules in rules.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.roles import Role
from applications.models import Attachment, Consortium, Membership, StatusChange, UnitBan
from applications.validators import validate_money
from reviews.models import CriterionBase, ExpertTaskBase, ExpertTaskQuerySet, ScoreBase

from .choices import (
    FUNDING_CAPS,
    ChangeAction,
    EvaluationBasis,
    Grade,
    ProjectKind,
    ProjectLevel,
    ProjectStatus,
    Reminder,
    RequestStatus,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
REPORT_MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True, "validators": [validate_money]}


def report_count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


class ScopedByConsortium(models.QuerySet):
    """Visible as far as the consortium is: the one scope rule, Consortium.objects.visible_to."""

    def visible_to(self, user):
        return self.filter(consortium__in=Consortium.objects.visible_to(user))


class ReportQuerySet(ScopedByConsortium):
    def visible_to(self, user):
        """The lead's accounts see its reports while they write them; everyone else in scope once submitted."""
        scoped = super().visible_to(user)
        if user.is_authenticated and user.role == Role.APPLICANT:
            return scoped
        return scoped.filter(submitted_at__isnull=False)


class AnnualReport(models.Model):
    """年度运行情况总结和下一年度工作计划 (§六（三）): one per filed consortium and year, due 12-31 of that year.

    The lead writes it over several days (暂存); submitting freezes ``content`` (what every page and the
    printed report show from then on) and its SHA-256 (the verification code).
    """

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    # The year's figures (an empty one is not yet filled in; 0 is a figure).
    rd_spend_lead = models.DecimalField("牵头单位研发投入（万元）", **REPORT_MONEY)
    rd_spend_members = models.DecimalField("成员单位研发投入（万元）", **REPORT_MONEY)
    joint_projects_started = report_count("新启动联合攻关项目（项）")
    joint_projects_finished = report_count("完成联合攻关项目（项）")
    patents_applied = report_count("申请专利（件）")
    invention_patents_applied = report_count("其中：申请发明专利（件）")
    patents_granted = report_count("授权专利（件）")
    invention_patents_granted = report_count("其中：授权发明专利（件）")
    talents_introduced = report_count("引进培育高层次人才（人）")
    teams_introduced = report_count("引进培育创新团队（个）")
    platforms_built = report_count("新建或升级创新平台（个）")
    forums_held = report_count("举办创新论坛、技术研讨（场）")
    roadshows_held = report_count("举办科技成果路演（场）")
    matchmaking_held = report_count("举办产学研对接活动（场）")
    results_transferred = report_count("转移转化科技成果（项）")
    transfer_value = models.DecimalField("成果转移转化金额（万元）", **REPORT_MONEY)
    # The texts.
    summary = models.TextField("年度运行情况总结", blank=True)
    # [{"target": the year's target as the filed 建设方案 states it, "state": TargetState or "", "note": ""}]
    target_progress = models.JSONField("年度目标完成情况", default=list, blank=True)
    problems = models.TextField("存在的问题和建议", blank=True)
    next_year_plan = models.TextField("下一年度工作计划", blank=True)
    # Writing it: optimistic concurrency as in the 申请书 editor, and what was typed but did not validate yet.
    lock_version = models.PositiveIntegerField("版本号", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后保存", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后保存人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    pending_input = models.JSONField("暂存的未校验内容", null=True, blank=True)
    # Submitted: frozen.
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    content = models.JSONField("报送内容", null=True, blank=True)
    sha256 = models.CharField("内容摘要", max_length=64, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "年度报告"
        ordering = ["consortium", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "year"], name="one_report_per_consortium_year"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | (Q(content__isnull=False) & ~Q(sha256="")),
                name="submitted_report_is_frozen",
            ),
            models.CheckConstraint(
                condition=Q(patents_applied__isnull=True) | Q(invention_patents_applied__isnull=True)
                | Q(invention_patents_applied__lte=models.F("patents_applied")),
                name="report_invention_applied_within_applied",
            ),
            models.CheckConstraint(
                condition=Q(patents_granted__isnull=True) | Q(invention_patents_granted__isnull=True)
                | Q(invention_patents_granted__lte=models.F("patents_granted")),
                name="report_invention_granted_within_granted",
            ),
            *[
                models.CheckConstraint(condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}), name=f"report_{name}_not_negative")
                for name in ("rd_spend_lead", "rd_spend_members", "transfer_value")
            ],
        ]

    def __str__(self):
        return f"{self.consortium} {self.year}年度报告"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


# The report's figures as the editor, the page and the printed report group them (labels: the fields').
FIGURE_GROUPS = [
    ("研发投入", ["rd_spend_lead", "rd_spend_members"]),
    ("联合攻关", ["joint_projects_started", "joint_projects_finished"]),
    ("知识产权", ["patents_applied", "invention_patents_applied", "patents_granted", "invention_patents_granted"]),
    ("人才团队与创新平台", ["talents_introduced", "teams_introduced", "platforms_built"]),
    ("产学研活动", ["forums_held", "roadshows_held", "matchmaking_held"]),
    ("成果转移转化", ["results_transferred", "transfer_value"]),
]
FIGURES = [name for _, names in FIGURE_GROUPS for name in names]
REPORT_TEXTS = ["summary", "problems", "next_year_plan"]


class ReportReminder(models.Model):
    """One reminder of one report's due date, sent once: a second run of the daily job finds it here."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="report_reminders")
    year = models.PositiveSmallIntegerField("报告年度")
    reminder = models.CharField("提醒", max_length=16, choices=Reminder.choices)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度报告提醒"
        constraints = [models.UniqueConstraint(fields=["consortium", "year", "reminder"], name="one_reminder_per_report_and_threshold")]


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


class Revocation(models.Model):
    """资格取消 (§六（二）): the decision, the lead unit's ban it caused, and the notice as printed (``content``)."""

    consortium = models.OneToOneField(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="revocation")
    change = models.OneToOneField(StatusChange, verbose_name="办理记录", on_delete=models.PROTECT, related_name="revocation")
    ban = models.OneToOneField(UnitBan, verbose_name="限制记录", on_delete=models.PROTECT, related_name="revocation")
    revoked_on = models.DateField("取消日期")
    content = models.JSONField("通知内容")
    sha256 = models.CharField("内容摘要", max_length=64)

    objects = ScopedByConsortium.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "取消资格决定"

    def __str__(self):
        return f"{self.consortium} 取消资格（{self.revoked_on}）"


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


class LeadRequest(models.Model):
    """What the lead asks the city and how the city settled it (a workflow step each way)."""

    status = models.CharField("办理状态", max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    opinion = models.TextField("办理意见", blank=True)

    objects = ScopedByConsortium.as_manager()

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-id"]


class DissolutionRequest(LeadRequest):
    """§六（三）: the lead asks to dissolve, with a reason; the city records it through the workflow (or returns it)."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="dissolution_requests")
    reason = models.TextField("解散理由")

    class Meta(LeadRequest.Meta):
        verbose_name = verbose_name_plural = "解散申请"
        constraints = [
            models.UniqueConstraint(fields=["consortium"], condition=Q(status="pending"), name="one_pending_dissolution_request"),
        ]


class MemberChange(LeadRequest):
    """增减成员单位 by 补充协议 (§六（三）): the lead's request, its supplementary agreement, the city's 备案.

    Recording it dates the memberships: an added unit joins, a removed one leaves, on ``effective_on``;
    the member list of any day stays as it was (Membership.objects.current(on)).
    """

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="member_changes")
    effective_on = models.DateField("生效日期")
    description = models.TextField("变更说明")
    shortfall_statement = models.TextField("情况说明", blank=True)
    shortfalls = models.JSONField("未达到的原则性要求", default=list, blank=True)
    all_agreed = models.BooleanField("全体成员单位同意")
    agreement = models.ForeignKey(Attachment, verbose_name="补充协议", on_delete=models.PROTECT, related_name="+")

    class Meta(LeadRequest.Meta):
        verbose_name = verbose_name_plural = "成员变更"
        constraints = [
            models.UniqueConstraint(fields=["consortium"], condition=Q(status="pending"), name="one_pending_member_change"),
            models.CheckConstraint(condition=Q(all_agreed=True), name="member_change_agreed_by_all"),
        ]

    def __str__(self):
        return f"{self.consortium} 成员变更（{self.effective_on}）"


class MemberChangeItem(models.Model):
    """One unit added or removed, as the lead declared it (an added unit: like a member row of the 申请书)."""

    change = models.ForeignKey(MemberChange, on_delete=models.CASCADE, related_name="items")
    action = models.CharField("变更", max_length=8, choices=ChangeAction.choices)
    position = models.PositiveSmallIntegerField("序号", default=0)
    # A removal names the membership that ends; an addition, once recorded, the membership it began.
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("单位名称", max_length=128)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    unit_kind = models.CharField("单位类型", max_length=16)
    task_division = models.CharField("任务分工", max_length=200, blank=True)
    duties = models.CharField("工作职责", max_length=500, blank=True)
    sales_revenue = models.DecimalField("近一年销售收入（万元）", **REPORT_MONEY)
    rd_spend = models.DecimalField("近一年研发投入（万元）", **REPORT_MONEY)

    class Meta:
        verbose_name = verbose_name_plural = "成员变更明细"
        ordering = ["change", "action", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(action="remove") | Q(membership__isnull=False), name="removal_names_membership"),
        ]


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
