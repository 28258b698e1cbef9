"""Consortia filed before the portal, brought in from a workbook (issue 21.5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from applications.models import Consortium
from operations import clock


def workbook_path(instance, filename):
    return f"filed_imports/{instance.sha256}.xlsx"


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "已检查（未导入）"
    IMPORTED = "imported", "已导入"


class FiledImport(models.Model):
    """One workbook: kept as uploaded (its SHA-256 names it), checked (the dry run's findings), then imported once."""

    sha256 = models.CharField("文件 SHA-256", max_length=64)
    file = models.FileField("导入文件", upload_to=workbook_path, max_length=200)
    file_name = models.CharField("文件名", max_length=200)
    status = models.CharField("状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    findings = models.JSONField("检查结果", default=list, blank=True)
    summary = models.JSONField("导入内容", default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = clock.DateTimeField("上传时间", auto_now_add=True)
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "历史备案导入"
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sha256"], condition=Q(status="imported"), name="a_workbook_is_imported_once"),
        ]

    def __str__(self):
        return f"{self.file_name}（{self.sha256[:12]}）"


class ImportedConsortium(models.Model):
    """The mark 历史导入 of a consortium filed before the portal, with the workbook it came from."""

    consortium = models.OneToOneField(Consortium, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="filed_import")
    batch = models.ForeignKey(FiledImport, verbose_name="导入文件", on_delete=models.PROTECT, related_name="consortia")

    class Meta:
        verbose_name = verbose_name_plural = "历史导入的创新联合体"
