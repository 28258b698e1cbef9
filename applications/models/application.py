"""The 备案申请书: its parts' rows, attachments, signatures, frozen versions and what the editor keeps."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from operations import clock
from operations.constraints import at_most

from ..choices import (
    APPLICATION_PROJECT_LEVELS,
    AttachmentKind,
    Body,
    PlatformLevel,
    SeatRole,
    SignatoryCapacity,
    level_choices,
)
from .consortium import MONEY, Consortium
from .registry import Unit


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
