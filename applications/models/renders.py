"""The printed dossier's and documents' renders: asked for, done by the task worker, stored."""

from django.conf import settings
from django.db import models

from operations import clock

from .application import Application, ApplicationVersion


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
