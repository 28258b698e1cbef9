"""The shared model: units, consortia, their members and the 申请书.

Data and database constraints only; the use cases live in services.py, the
seed's rules in rules.py, the lifecycle in workflow.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Bureau, User
from accounts.roles import Role
from operations import clock
from operations.constraints import at_most

from . import phrases
from .choices import (
    APPLICATION_PROJECT_LEVELS,
    LIVE_STATUSES,
    REGISTRATION_STATUSES,
    UNIT_REGISTRY_STATUSES,
    AttachmentKind,
    Body,
    MemberRole,
    PlatformLevel,
    RegistrationStatus,
    SeatRole,
    SignatoryCapacity,
    Status,
    UnitKind,
    level_choices,
)
from .rules import code_issued_in_zhenjiang
from .validators import validate_credit_code, validate_money

MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True, "validators": [validate_money]}


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
        """The members on a day (today by default): joined by then (or from the start) and not yet left."""
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


class Application(models.Model):
    """The 备案申请书 being written: one per consortium, edited until submitted, frozen into versions."""

    consortium = models.OneToOneField(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="application")
    # Cover and (一) 基础信息表
    contact_person = models.CharField("联系人", max_length=64, blank=True)
    contact_phone = models.CharField("联系电话", max_length=32, blank=True)
    mailing_address = models.CharField("通讯地址", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True)
    lead_types = models.JSONField("牵头单位类型", default=list, blank=True)
    research_directions = models.TextField("重点研发方向", blank=True)
    governance = models.TextField("联合体决策及运行机制", blank=True, help_text="决策执行机制、科技成果归属、利益分配等")
    staff_total = models.PositiveIntegerField("牵头及成员单位从业人员数", null=True, blank=True)
    staff_professional = models.PositiveIntegerField("其中：专业技术人员", null=True, blank=True)
    ip_total = models.PositiveIntegerField("有效知识产权数量", null=True, blank=True)
    ip_invention_patents = models.PositiveIntegerField("其中：发明专利", null=True, blank=True)
    # (二) 建设方案
    plan_significance = models.TextField("建设的意义和必要性", blank=True)
    plan_foundation = models.TextField("建设基础", blank=True)
    plan_positioning = models.TextField("发展定位及分析", blank=True)
    plan_organization = models.TextField("组织架构", blank=True)
    plan_mechanism = models.TextField("运行机制", blank=True)
    plan_funding = models.TextField("经费投入与保障措施", blank=True)
    # (二) 三、保障措施 1. 组织架构: the 秘书处 (§四（三）); the 理事会 and 专家指导委员会 are BodySeat rows.
    secretariat_head = models.CharField("秘书长", max_length=64, blank=True)
    secretariat_unit = models.CharField("秘书处依托单位", max_length=128, blank=True)
    # 首席专家 (§四（三）); name and title are the consortium's (基础信息表).
    chief_expert_unit = models.CharField("首席专家工作单位", max_length=128, blank=True)
    chief_expert_field = models.CharField("首席专家研究领域", max_length=128, blank=True)
    chief_expert_education = models.TextField("首席专家学习经历", blank=True)
    chief_expert_achievements = models.TextField("首席专家主要学术成就", blank=True)
    chief_expert_industry_roles = models.TextField("首席专家产业界任职", blank=True)
    chief_expert_phone = models.CharField("首席专家联系电话", max_length=32, blank=True)
    chief_expert_email = models.CharField("首席专家电子邮箱", max_length=254, blank=True)
    # (四) 章程（组建协议）: the eight contents of §四（二）, in its order (choices.CHARTER_SECTIONS), and what else
    # the agreement says (the whole text of an application written before the sections were asked).
    charter_principles = models.TextField("组建原则", blank=True)
    charter_goals = models.TextField("目标任务", blank=True)
    charter_division = models.TextField("成员分工", blank=True)
    charter_organization = models.TextField("组织机构和职责", blank=True)
    charter_ip = models.TextField("知识产权归属", blank=True)
    charter_benefits = models.TextField("收益分配", blank=True)
    charter_funding = models.TextField("经费管理", blank=True)
    charter_projects = models.TextField("项目管理", blank=True)
    charter_text = models.TextField("其他约定", blank=True)
    # Why the application falls short of a 原则上 rule of §三 (member count, 高校院所); printed after (一).
    shortfall_statement = models.TextField("情况说明", blank=True)

    lock_version = models.PositiveIntegerField("版本号", default=1)
    updated_at = clock.DateTimeField("最后保存", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最后保存人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "备案申请书"
        constraints = [
            at_most("staff_professional", "staff_total", "application_professional_within_staff"),
            at_most("ip_invention_patents", "ip_total", "application_patents_within_ip"),
        ]

    def __str__(self):
        return f"{self.consortium} 备案申请书"


class Platform(models.Model):
    """牵头及成员单位已建市级以上创新平台."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="platforms")
    position = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("平台名称", max_length=128)
    industry = models.CharField("产业领域", max_length=64, blank=True)
    level = models.CharField("级别", max_length=16, choices=PlatformLevel.choices)
    host_unit = models.CharField("依托单位", max_length=128, blank=True)
    built_on = models.DateField("建设时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "创新平台"
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class Project(models.Model):
    """牵头及成员单位近三年承担的国家级/省级项目."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="projects")
    position = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("项目名称", max_length=200)
    industry = models.CharField("产业领域", max_length=64, blank=True)
    level = models.CharField("级别", max_length=16, choices=level_choices(*APPLICATION_PROJECT_LEVELS))
    starts_on = models.DateField("实施期起", null=True, blank=True)
    ends_on = models.DateField("实施期止", null=True, blank=True)
    undertaker = models.CharField("承担单位", max_length=128, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "承担项目"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name


class AnnualTarget(models.Model):
    """(二) 建设方案 二、建设任务及目标: one row per year, with quantified targets."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField("序号", default=0)
    year = models.PositiveSmallIntegerField("年度")
    tasks = models.TextField("建设任务")
    research_plan = models.TextField("研发项目计划", blank=True)
    team_building = models.TextField("团队建设", blank=True)
    rd_investment = models.DecimalField("研发经费投入（万元）", **MONEY)

    class Meta:
        verbose_name = verbose_name_plural = "年度建设任务及目标"
        ordering = ["position", "year", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rd_investment__isnull=True) | Q(rd_investment__gte=0), name="target_money_not_negative"),
        ]


class BodySeat(models.Model):
    """A seat on the 理事会 or the 专家指导委员会 (§四（三）), as the 申请书 names it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="body_seats")
    body = models.CharField("机构", max_length=16, choices=Body.choices)
    position = models.PositiveSmallIntegerField("序号", default=0)
    role = models.CharField("职务", max_length=8, choices=SeatRole.choices, default=SeatRole.MEMBER)
    name = models.CharField("姓名", max_length=64)
    unit_name = models.CharField("所在单位", max_length=128, blank=True)
    title = models.CharField("职务/职称", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "组织机构成员"
        ordering = ["position", "id"]  # the 理事会 first, then the 专家指导委员会 (services.write_organization)

    def __str__(self):
        return f"{self.get_body_display()} {self.name}"


def attachment_path(instance, filename):
    return f"attachments/{instance.consortium_id}/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Attachment(models.Model):
    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="attachments")
    unit = models.ForeignKey(Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField("材料类型", max_length=32, choices=AttachmentKind.choices)
    title = models.CharField("材料名称", max_length=128, blank=True)
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = clock.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "附件材料"
        ordering = ["kind", "id"]

    def __str__(self):
        return self.title or self.original_name


class SignatureBase(models.Model):
    """One unit's signature of an agreement: who signed it for the unit (法定代表人 or 授权人, with the 授权书) and when.

    Abstract: the 组建协议 of the 申请书 (Signatory) and the 补充协议 of a member change each keep their own table,
    one row per unit concerned; the form (forms.SignatoryFormSet), the checks (rules.signature_problems) and the
    writer (services.write_signatures) serve both.
    """

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("单位名称", max_length=128)
    position = models.PositiveSmallIntegerField("序号", default=0)
    capacity = models.CharField("签署人身份", max_length=24, choices=SignatoryCapacity.choices, blank=True)
    person_name = models.CharField("签署人", max_length=64, blank=True)
    signed_on = models.DateField("签署日期", null=True, blank=True)
    authorization = models.ForeignKey(
        Attachment, verbose_name="授权书", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.unit_name}：{self.person_name}"


class Signatory(SignatureBase):
    """Who signed the 组建协议 for each unit of the consortium (§四（二）)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="signatories")

    class Meta(SignatureBase.Meta):
        verbose_name = verbose_name_plural = "组建协议签署单位"
        constraints = [models.UniqueConstraint(fields=["application", "unit"], name="one_signatory_per_unit")]


class ApplicationVersion(models.Model):
    """An immutable snapshot of the 申请书 taken at each submission."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本")
    content = models.JSONField("内容")
    sha256 = models.CharField("内容摘要", max_length=64)
    submitted_at = clock.DateTimeField("提交时间", auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "申请书版本"
        ordering = ["application", "-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="version_number_unique")]

    def __str__(self):
        return f"第 {self.number} 版"


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


class DossierRender(models.Model):
    """One rendering of the printed dossier (备案申请书 PDF), kept so that slow renders can run in the background."""

    class State(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="dossier_renders")
    version = models.ForeignKey(ApplicationVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    copies = models.PositiveSmallIntegerField("份数", default=1)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PENDING)
    file = models.FileField("文件", upload_to="dossiers/%Y/%m/", blank=True, max_length=300)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    warnings = models.JSONField("警告", default=list, blank=True)
    error = models.TextField("错误", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = clock.DateTimeField("请求时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "申请书打印文件"
        ordering = ["-created_at"]


class DocumentRender(models.Model):
    """A frozen printed document (an annual report, a notice, a decision, an 综合论证意见) rendered once by the task
    worker and kept as a file. Keyed by the frozen content's SHA-256: the same content is never rendered twice, and
    the database's unique key makes parallel first requests queue one render between them."""

    State = DossierRender.State

    kind = models.CharField("文书类型", max_length=40)
    sha256 = models.CharField("文书内容 SHA-256", max_length=64)
    object_id = models.PositiveBigIntegerField("文书记录编号")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PENDING)
    file = models.FileField("文件", upload_to="documents/", blank=True, max_length=300)
    error = models.TextField("错误", blank=True)
    created_at = clock.DateTimeField("请求时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "文书打印文件"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "sha256"], name="one_render_per_document")]

    def __str__(self):
        return f"{self.kind} {self.sha256[:12]}"


class PartSave(models.Model):
    """Each save of one part of the 申请书; tells a stale editor what changed since they loaded the page."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="part_saves")
    lock_version = models.PositiveIntegerField("保存后版本号")
    part = models.CharField("部分", max_length=32)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = clock.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "申请书保存记录"
        ordering = ["lock_version"]
        constraints = [models.UniqueConstraint(fields=["application", "lock_version"], name="one_save_per_version")]


class DraftInput(models.Model):
    """What was typed into a part but could not be stored as data yet (暂存 of invalid input).

    Shown again, with its errors, the next time the part is opened; removed once the part saves cleanly.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="draft_inputs")
    part = models.CharField("部分", max_length=32)
    data = models.JSONField("填写内容")
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = clock.DateTimeField("暂存时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "暂存的未校验内容"
        constraints = [models.UniqueConstraint(fields=["application", "part"], name="one_draft_input_per_part")]
