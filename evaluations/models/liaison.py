"""科技联络员 (§六（一））."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.roles import Role
from applications.models import Consortium
from operations import clock

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
    assigned_at = clock.DateTimeField("选派时间", auto_now_add=True)
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

    @property
    def is_current(self):
        """LiaisonQuerySet.current() of one row already read."""
        return self.ended_at is None


class WorkKind(models.TextChoices):
    VISIT = "visit", "走访"
    MEETING = "meeting", "会议"
    COORDINATION = "coordination", "协调事项"


class WorkRecordQuerySet(ScopedByConsortium):
    def visible_to(self, user):
        """The bureaus' own notes: the city and the consortium's district, never the applicants (nor anyone else)."""
        if not user.is_authenticated or user.role not in (Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER):
            return self.none()
        return super().visible_to(user)


class WorkRecord(models.Model):
    """§六（一）: 定期了解工作进展和上门服务 — a visit, a meeting or a coordination item on a filed consortium, recorded by its
    科技联络员 or its district's staff: when, who took part, what was agreed; its follow-ups below."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="work_records")
    kind = models.CharField("类型", max_length=16, choices=WorkKind.choices)
    happened_on = models.DateField("日期")
    participants = models.CharField("参加人员", max_length=500)
    agreed = models.TextField("商定事项")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_as = models.CharField("记录单位", max_length=64)  # 科技联络员, or the district bureau's name, as it was
    recorded_at = clock.DateTimeField("记录时间", auto_now_add=True)

    objects = WorkRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "工作记录"
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["consortium", "kind", "happened_on"], name="work_record_visits")]

    def __str__(self):
        return f"{self.consortium} {self.get_kind_display()} {self.happened_on}"


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(record__in=WorkRecord.objects.visible_to(user))

    def open(self):
        return self.filter(done_on__isnull=True)


class FollowUp(models.Model):
    """A follow-up of a work record: what, by when, and whether it was done."""

    record = models.ForeignKey(WorkRecord, verbose_name="工作记录", on_delete=models.CASCADE, related_name="follow_ups")
    task = models.CharField("跟进事项", max_length=300)
    due_on = models.DateField("完成期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "跟进事项"
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.task


class OpinionOn(models.TextChoices):
    MEMBER_CHANGE = "member_change", "成员变更"
    DISSOLUTION = "dissolution", "解散申请"
    EVALUATION = "evaluation", "年度绩效评价"


class LiaisonOpinion(models.Model):
    """The 科技联络员's opinion (asked, never required) on a member change, a dissolution request or a year's evaluation,
    shown to the staff who decide it. ``subject_id``: the member change's or request's id, or the year evaluated."""

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="liaison_opinions")
    about = models.CharField("事项", max_length=16, choices=OpinionOn.choices)
    subject_id = models.PositiveIntegerField("事项编号")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="科技联络员", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("意见")
    written_at = clock.DateTimeField("填写时间", auto_now=True)

    objects = WorkRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "科技联络员意见"
        constraints = [models.UniqueConstraint(fields=["about", "subject_id", "officer"], name="one_liaison_opinion_per_subject")]

    def __str__(self):
        return f"{self.get_about_display()} {self.subject_id}：{self.text[:20]}"
