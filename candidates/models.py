"""The 培育库 (seed §四（一）): candidate lead enterprises a district recommends (板块推荐) or the city designates
(市级主导), followed from 培育 to 备案. The unit and the consortium are linked by the workflow's effects and the
registration's approval (services, signals), never typed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Bureau
from accounts.roles import Role
from applications.models import Consortium, IndustryField, Unit
from applications.validators import validate_credit_code
from operations import clock

from .choices import CandidateStatus, Origin


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A district bureau sees the candidates of its own district; the city sees them all; nobody else any."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.DISTRICT_REVIEWER:
            return self.filter(bureau_id=user.bureau_id) if user.bureau_id else self.none()
        if user.role == Role.MUNICIPAL_STAFF:
            return self.all()
        return self.none()


class Candidate(models.Model):
    name = models.CharField("企业名称", max_length=128)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code],
                                   error_messages={"unique": "该统一社会信用代码已在培育库中。"})
    bureau = models.ForeignKey(Bureau, verbose_name="所在辖市区", on_delete=models.PROTECT, related_name="candidates",
                               limit_choices_to={"kind": "district"})
    industry_field = models.ForeignKey(IndustryField, verbose_name="产业领域", on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField("联系人", max_length=64)
    contact_phone = models.CharField("联系电话", max_length=32)
    contact_email = models.EmailField("电子邮箱")
    reason = models.TextField("推荐理由")
    origin = models.CharField("来源", max_length=16, choices=Origin.choices, default=Origin.DISTRICT)
    status = models.CharField("状态", max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.CULTIVATING,
                              db_index=True)
    dropped_reason = models.TextField("不再跟进原因", blank=True)
    unit = models.ForeignKey(Unit, verbose_name="登记的单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    consortium = models.ForeignKey(Consortium, verbose_name="创新联合体", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    invited_at = models.DateTimeField("邀请时间", null=True, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = clock.DateTimeField("入库时间", auto_now_add=True)
    updated_at = clock.DateTimeField("更新时间", auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "培育库"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CandidateStatus.values), name="candidate_status_valid"),
            models.CheckConstraint(condition=~Q(status="dropped") | ~Q(dropped_reason=""), name="dropped_candidate_has_reason"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_status_display()}）"
