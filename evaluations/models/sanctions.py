"""资格取消 (§六（二））: the decision and the ban it caused."""

from django.db import models

from applications.models import Consortium, StatusChange, UnitBan

from .base import ScopedByConsortium


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
