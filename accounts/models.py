from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from .roles import BureauKind, Role


class Bureau(models.Model):
    """A science bureau: the municipal one, or one of the district bureaus doing 初审."""

    name = models.CharField("机构名称", max_length=64, unique=True)
    district = models.CharField("辖区", max_length=32, blank=True, help_text="如“京口区”；市科技局留空")
    kind = models.CharField("类型", max_length=16, choices=BureauKind.choices, default=BureauKind.DISTRICT)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "科技主管部门"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district"], condition=models.Q(kind="district"), name="one_bureau_per_district"
            ),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.APPLICANT)
    full_name = models.CharField("姓名", max_length=64, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    bureau = models.ForeignKey(
        Bureau, verbose_name="所属机构", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    # A string reference: accounts never imports applications (imports run one way).
    unit = models.ForeignKey(
        "applications.Unit", verbose_name="所属单位", null=True, blank=True,
        on_delete=models.PROTECT, related_name="accounts",
    )
    employer = models.CharField("工作单位", max_length=128, blank=True, help_text="专家填写，用于回避")

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        # An applicant has no unit until its district approves the registration (applications.Registration).
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="district_reviewer") | models.Q(bureau__isnull=False),
                name="district_reviewer_has_bureau",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username


class AuditEvent(models.Model):
    """Append-only security and business log; the audit admin reads and exports it."""

    class Action(models.TextChoices):
        LOGIN = "login", "登录成功"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKED_OUT = "locked_out", "账户锁定"
        LOGOUT = "logout", "退出登录"
        PASSWORD_CHANGED = "password_changed", "修改密码"
        REGISTRATION = "registration", "单位注册"
        REGISTRATION_DECISION = "registration_decision", "注册审核"
        STATUS_CHANGE = "status_change", "状态变更"
        EXPORT = "export", "导出日志"
        APPLICATION_SAVED = "application_saved", "保存申请书"
        ATTACHMENT_DOWNLOADED = "attachment_downloaded", "下载附件"
        DOCUMENT_DOWNLOADED = "document_downloaded", "下载打印文件"
        EXPERT_ASSIGNED = "expert_assigned", "分配评审专家"
        SCORES_SUBMITTED = "scores_submitted", "提交评分"
        CONFLICT_DECLARED = "conflict_declared", "声明回避"
        CRITERIA_CHANGED = "criteria_changed", "修改评分项"

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=32, choices=Role.choices, blank=True)
    action = models.CharField("事件", max_length=32, choices=Action.choices)
    success = models.BooleanField("结果", default=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    target = models.CharField("对象", max_length=200, blank=True)
    detail = models.TextField("详情", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"


class Notification(models.Model):
    """An in-app message (站内消息) to one user; read on /accounts/messages/."""

    recipient = models.ForeignKey(User, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return self.title


class OutgoingEmail(models.Model):
    """The email outbox: written after commit, sent at once if possible, retried with backoff if not."""

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    to = models.EmailField("收件地址")
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("正文")
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    next_attempt_at = models.DateTimeField("下次尝试时间", default=timezone.now)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "待发邮件"
        ordering = ["next_attempt_at", "id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(state="pending"), name="email_due"),
        ]

    def __str__(self):
        return f"{self.to} {self.subject}"
