"""年度运行情况总结和下一年度工作计划 (§六（三）) and its reminders."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.roles import Role
from applications.models import Consortium
from operations import clock
from operations.constraints import at_most

from ..choices import Reminder
from .base import REPORT_MONEY, ScopedByConsortium, report_count


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
    created_at = clock.DateTimeField("创建时间", auto_now_add=True)
    updated_at = clock.DateTimeField("最后保存", auto_now=True)
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
            at_most("invention_patents_applied", "patents_applied", "report_invention_applied_within_applied"),
            at_most("invention_patents_granted", "patents_granted", "report_invention_granted_within_granted"),
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


class ReportReminder(models.Model):
    """One reminder of one report's due date, sent once: a second run of the daily job finds it here."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="report_reminders")
    year = models.PositiveSmallIntegerField("报告年度")
    reminder = models.CharField("提醒", max_length=16, choices=Reminder.choices)
    sent_at = clock.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度报告提醒"
        constraints = [models.UniqueConstraint(fields=["consortium", "year", "reminder"], name="one_reminder_per_report_and_threshold")]
