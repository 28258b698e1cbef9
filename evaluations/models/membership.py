"""增减成员单位 by 补充协议 (§六（三））: the lead's request and the units it adds or removes."""

from django.db import models
from django.db.models import Q

from applications.models import Attachment, Consortium, Membership, SignatureBase

from ..choices import ChangeAction
from .base import REPORT_MONEY, LeadRequest


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
    supplementary_agreement = models.ForeignKey(Attachment, verbose_name="补充协议", on_delete=models.PROTECT, related_name="+")

    class Meta(LeadRequest.Meta):
        verbose_name = verbose_name_plural = "成员变更"
        constraints = [
            models.UniqueConstraint(fields=["consortium"], condition=Q(status="pending"), name="one_pending_member_change"),
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


class MemberChangeSignatory(SignatureBase):
    """Who signed the 补充协议 for each member (§六（三）: 经创新联合体全体成员同意): the units of the consortium when the
    change was asked, the lead first, those leaving included — a list of who agreed, not a tick."""

    change = models.ForeignKey(MemberChange, on_delete=models.CASCADE, related_name="signatories")

    class Meta(SignatureBase.Meta):
        verbose_name = verbose_name_plural = "补充协议签署单位"
        constraints = [models.UniqueConstraint(fields=["change", "unit"], name="one_supplementary_signatory_per_unit")]
