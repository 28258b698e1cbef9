"""Units, the 产业领域 and the registry: who may apply, registrations and bans (§六（二）)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Bureau
from accounts.roles import Role
from operations import clock

from .. import phrases
from ..choices import (
    REGISTRATION_STATUSES,
    UNIT_REGISTRY_STATUSES,
    RegistrationStatus,
    UnitKind,
)
from ..rules import code_issued_in_zhenjiang
from ..validators import validate_credit_code


class IndustryField(models.Model):
    """A chain of the city's 四群八链; admin-editable reference data."""

    name = models.CharField("产业领域", max_length=64, unique=True)
    cluster = models.CharField("所属产业集群", max_length=64, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "产业领域"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.APPLICANT:
            return self.filter(pk=user.unit_id)
        if user.role == Role.DISTRICT_REVIEWER:
            return self.filter(bureau_id=user.bureau_id)
        if user.role in (Role.MUNICIPAL_STAFF, Role.SYSTEM_ADMIN):
            return self.all()
        return self.none()


class Unit(models.Model):
    """The unit registry: one row per 统一社会信用代码.

    A unit that registered itself (approved by its district) carries its registered data. A unit
    that leads only declared as a member is a bare entry keyed by its code; what each lead typed
    about it (name, kind) belongs to that lead's Membership and never rewrites this row.
    """

    name = models.CharField("单位名称", max_length=128)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code],
        error_messages={"unique": "该统一社会信用代码已存在。"},
    )
    kind = models.CharField("单位类型", max_length=16, choices=UnitKind.choices, default=UnitKind.ENTERPRISE)
    bureau = models.ForeignKey(
        Bureau, verbose_name="所在辖区", null=True, blank=True, on_delete=models.PROTECT,
        related_name="units", limit_choices_to={"kind": "district"},
        help_text="注册在镇江市的单位选择所在辖市区；市外单位留空",
    )
    is_legal_person = models.BooleanField("独立法人", default=True)
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    address = models.CharField("通讯地址", max_length=200, blank=True)
    qualifications = models.JSONField("单位类型（资质）", default=list, blank=True)
    staff_count = models.PositiveIntegerField("从业人员数", null=True, blank=True)
    professional_staff_count = models.PositiveIntegerField("专业技术人员数", null=True, blank=True)
    registration_status = models.CharField(
        "注册状态", max_length=16, choices=[(s.value, s.label) for s in UNIT_REGISTRY_STATUSES],
        default=RegistrationStatus.UNREGISTERED,
    )
    created_at = clock.DateTimeField("创建时间", auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["name"]
        # The unit list pages through the registry in name order (dashboards.lists).
        indexes = [models.Index(fields=["name", "id"], name="unit_name_order")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(registration_status="approved") | Q(bureau__isnull=False),
                name="registered_unit_has_district",
            ),
            models.CheckConstraint(
                condition=Q(registration_status__in=UNIT_REGISTRY_STATUSES), name="unit_registry_status",
            ),
            models.CheckConstraint(
                condition=Q(staff_count__isnull=True)
                | Q(professional_staff_count__isnull=True)
                | Q(professional_staff_count__lte=models.F("staff_count")),
                name="professional_staff_within_staff",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_enterprise(self):
        return self.kind == UnitKind.ENTERPRISE

    @property
    def is_registered(self):
        return self.registration_status == RegistrationStatus.APPROVED


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A district bureau reviews the registrations of its own district; the applicant sees their own."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.DISTRICT_REVIEWER:
            return self.filter(bureau_id=user.bureau_id)
        if user.role == Role.APPLICANT:
            return self.filter(applicant=user)
        if user.role in (Role.MUNICIPAL_STAFF, Role.SYSTEM_ADMIN):
            return self.all()
        return self.none()


class Registration(models.Model):
    """An enterprise's request to register (单位注册), kept apart from the unit registry.

    Nothing here reaches the registry (Unit) until the district bureau approves it; a code that
    consortia already list as a member is claimed only then.
    """

    applicant = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="注册账号", on_delete=models.CASCADE, related_name="registration"
    )
    name = models.CharField("单位名称", max_length=128)
    credit_code = models.CharField("统一社会信用代码", max_length=18, validators=[validate_credit_code])
    bureau = models.ForeignKey(
        Bureau, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="registrations",
        limit_choices_to={"kind": "district"},
    )
    legal_representative = models.CharField("法定代表人", max_length=64)
    address = models.CharField("通讯地址", max_length=200)
    # §三（一）1: the lead is an 独立法人. Asked on registration; empty for requests made before it was asked.
    is_legal_person = models.BooleanField("独立法人", null=True, blank=True)
    status = models.CharField(
        "审核状态", max_length=16, choices=[(s.value, s.label) for s in REGISTRATION_STATUSES],
        default=RegistrationStatus.PENDING, db_index=True,
    )
    reason = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="登记的单位", null=True, blank=True, on_delete=models.PROTECT, related_name="registrations"
    )
    created_at = models.DateTimeField("提交时间", default=clock.now)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "单位注册申请"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=Q(status="pending"), name="one_pending_registration_per_code",
                violation_error_message="该统一社会信用代码已提交注册，正在等待审核。",
            ),
            models.CheckConstraint(condition=Q(status__in=REGISTRATION_STATUSES), name="registration_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(unit__isnull=False), name="approved_registration_has_unit"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | ~Q(is_legal_person=False), name="approved_registration_is_legal_person"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_status_display()}）"

    @property
    def region_flag(self):
        """Why the district should look twice at the code's region ("" when it was issued in 镇江)."""
        return code_issued_in_zhenjiang(self.credit_code)[1]


class UnitBanQuerySet(models.QuerySet):
    def active(self, on=None):
        """In force on a day (today by default): begun, not yet ended, not lifted by then."""
        on = on or clock.today()
        return self.filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=on), starts_on__lte=on, ends_on__gt=on)


class UnitBan(models.Model):
    """A unit barred from leading or joining consortia (seed §六(二): 3 years after revocation).

    ``ends_on`` is the first day the unit is free again. A ban is never deleted: the city may lift it
    early, with a reason (``lifted_on`` is then the first free day), and the record stays.
    """

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="bans")
    consortium = models.ForeignKey(
        "Consortium", verbose_name="被取消资格的联合体", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期")
    reason = models.CharField("原因", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", default=clock.now)
    lifted_on = models.DateField("解除日期", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="解除人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField("解除理由", blank=True)
    # Four-eyes (三员): one officer proposes lifting, a different one confirms; the ban holds until then.
    lift_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="解除提出人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_proposed_at = models.DateTimeField("解除提出时间", null=True, blank=True)
    lift_proposed_reason = models.TextField("提出解除的理由", blank=True)

    objects = UnitBanQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "限制牵头/参与记录"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="ban_ends_after_start"),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | (Q(lifted_on__gte=models.F("starts_on")) & ~Q(lift_reason="")),
                name="lifted_ban_has_reason",
            ),
        ]

    def in_force(self, on=None):
        on = on or clock.today()
        return self.starts_on <= on < self.ends_on and (self.lifted_on is None or on < self.lifted_on)

    @property
    def sentence(self):
        """某单位因……，……前不得牵头或参与创新联合体。 (applications.phrases.ban)"""
        return phrases.ban(self.unit.name, self.reason, self.ends_on)

    @property
    def sentence_with_start(self):
        return phrases.ban(self.unit.name, self.reason, self.ends_on, starts_on=self.starts_on)

    def __str__(self):
        return f"{self.unit}（至 {self.ends_on}）"
