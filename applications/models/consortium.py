"""The consortium, its members over time and its status history."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from operations import clock
from operations.constraints import at_most

from ..choices import (
    LIVE_STATUSES,
    MemberRole,
    Status,
    UnitKind,
)
from ..validators import validate_money
from .registry import IndustryField, Unit

MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True, "validators": [validate_money]}


class ConsortiumQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place that decides which consortia (and so applications) a user may see."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.APPLICANT:
            return self.filter(lead_unit_id=user.unit_id) if user.unit_id else self.none()
        if user.role == Role.DISTRICT_REVIEWER:
            return self.filter(lead_unit__bureau_id=user.bureau_id).exclude(status=Status.DRAFT)
        if user.role == Role.MUNICIPAL_STAFF:
            return self.exclude(status=Status.DRAFT)
        return self.none()

    def live(self):
        return self.filter(status__in=LIVE_STATUSES)


def users_who_see(consortium, role):
    """The inverse of ConsortiumQuerySet.visible_to, kept beside it so that the two cannot drift apart
    (a test walks every role and status): the active accounts of ``role`` that see this consortium."""
    users = User.objects.filter(role=role, is_active=True)
    if role == Role.APPLICANT:
        return users.filter(unit_id=consortium.lead_unit_id)
    if consortium.status == Status.DRAFT:
        return users.none()
    if role == Role.DISTRICT_REVIEWER:
        return users.filter(bureau_id=consortium.lead_unit.bureau_id) if consortium.lead_unit.bureau_id else users.none()
    if role == Role.MUNICIPAL_STAFF:
        return users
    return users.none()


class Consortium(models.Model):
    name = models.CharField("创新联合体名称", max_length=128)
    industry_field = models.ForeignKey(
        IndustryField, verbose_name="产业领域", on_delete=models.PROTECT, related_name="consortia"
    )
    lead_unit = models.ForeignKey(Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_consortia")
    chief_scientist = models.CharField("首席科学家姓名", max_length=64, blank=True)
    chief_scientist_title = models.CharField("职务/职称", max_length=64, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    record_number = models.CharField("备案编号", max_length=32, null=True, blank=True, unique=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    created_at = clock.DateTimeField("创建时间", auto_now_add=True)
    updated_at = clock.DateTimeField("更新时间", auto_now=True)

    objects = ConsortiumQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "创新联合体"
        ordering = ["-updated_at", "-id"]
        # Lists page in this order: the first 50 rows come from the index, however many consortia there are.
        indexes = [models.Index(fields=["-updated_at", "-id"], name="consortium_recent_first")]
        constraints = [
            models.UniqueConstraint(
                fields=["lead_unit"],
                condition=Q(status__in=LIVE_STATUSES),
                name="one_live_consortium_per_lead",
                violation_error_message="该牵头单位已牵头一个在建或已备案的创新联合体。",
            ),
            models.CheckConstraint(
                condition=~Q(status="filed") | (Q(record_number__isnull=False) & Q(filed_on__isnull=False)),
                name="filed_has_record_number",
            ),
        ]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """The members on a day (today by default): joined by then (or from the start) and not yet left (in Python:
        Membership.member_on)."""
        on = on or clock.today()
        return self.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=on), Q(left_on__isnull=True) | Q(left_on__gt=on))


class Membership(models.Model):
    """A unit in a consortium, lead or member, as this consortium's lead declared it, with its history.

    ``unit_name`` and ``unit_kind`` are the declaration: they belong to this consortium and may
    differ from the registry (Unit), which reviewers then see flagged.
    """

    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships")
    unit_name = models.CharField("单位名称（申报）", max_length=128)
    unit_kind = models.CharField("单位类型（申报）", max_length=16, choices=UnitKind.choices, default=UnitKind.ENTERPRISE)
    role = models.CharField("角色", max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER)
    position = models.PositiveSmallIntegerField("序号", default=0)
    task_division = models.CharField("任务分工", max_length=200, blank=True)
    duties = models.CharField("工作职责", max_length=500, blank=True)
    sales_revenue = models.DecimalField("近一年销售收入（万元）", **MONEY)
    rd_spend = models.DecimalField("近一年研发投入（万元）", **MONEY)
    # 附件材料 2 and 3 are asked unit by unit: what the lead declares of each (the lead's own types are lead_types).
    qualifications = models.JSONField("单位资质（申报）", default=list, blank=True)
    patent_count = models.PositiveIntegerField("有效专利（项）", null=True, blank=True)
    invention_patent_count = models.PositiveIntegerField("其中：有效发明专利（项）", null=True, blank=True)
    # (三) 单位简介: three paragraphs after the outline (enterprise or 高校院所 outline).
    intro_overview = models.TextField("简介第一段", blank=True)
    intro_research = models.TextField("简介第二段", blank=True)
    intro_honors = models.TextField("简介第三段", blank=True)
    joined_on = models.DateField("加入日期", null=True, blank=True, help_text="空：自组建起")
    left_on = models.DateField("退出日期", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    def member_on(self, day):
        """Whether this membership counts on ``day``: MembershipQuerySet.current(day) for a membership already read
        (tests/test_prepared.py holds the two equal on the days around a change)."""
        return (self.joined_on is None or self.joined_on <= day) and (self.left_on is None or self.left_on > day)

    class Meta:
        verbose_name = verbose_name_plural = "成员单位"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "unit"], condition=Q(left_on__isnull=True), name="unit_once_per_consortium"
            ),
            models.UniqueConstraint(
                fields=["consortium"], condition=Q(role="lead", left_on__isnull=True), name="one_lead_per_consortium"
            ),
            models.CheckConstraint(condition=Q(sales_revenue__isnull=True) | Q(sales_revenue__gte=0), name="sales_not_negative"),
            models.CheckConstraint(condition=Q(rd_spend__isnull=True) | Q(rd_spend__gte=0), name="rd_spend_not_negative"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
            at_most("invention_patent_count", "patent_count", "membership_inventions_within_patents"),
        ]

    def __str__(self):
        return f"{self.consortium} — {self.unit_name}"


class StatusChange(models.Model):
    """One step of the lifecycle: the decision record behind every status change (the timeline)."""

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="status_changes")
    action = models.CharField("操作", max_length=32)
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+")
    actor_role = models.CharField("角色", max_length=32)
    opinion = models.TextField("意见", blank=True)
    # What the step decided besides its opinion, written by its effects: a grade, the members added and
    # removed, the liaison officer named. Shown in the timeline and the notices.
    detail = models.TextField("办理结果", blank=True)
    created_at = clock.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "流转记录"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def changes_status(self):
        """False for the steps a filed consortium takes without leaving its state (a grade, a member change)."""
        return self.from_status != self.to_status
