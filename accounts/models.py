from django.contrib.auth.models import AbstractUser, UserManager
from django.core.management.base import CommandError
from django.db import models

from operations import clock

from . import audit_actions
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


class AccountManager(UserManager):
    def create_superuser(self, *args, **kwargs):
        # Reached only from `manage.py createsuperuser`; the CommandError reads as a message there.
        raise CommandError(
            "本系统按“三员分立”不设超级用户。系统管理员请用 `manage.py create_system_admin 用户名` 创建，"
            "安全审计员请用 `manage.py create_audit_admin 用户名` 创建。"
        )


class User(AbstractUser):
    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.APPLICANT)
    full_name = models.CharField("姓名", max_length=64, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    bureau = models.ForeignKey(
        Bureau, verbose_name="所属机构", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    # The one relation that points up the layers, on purpose (pyproject.toml says so beside the contract): an applicant
    # account acts for one unit, and Consortium.objects.visible_to reads it on every request, so it is a column of the
    # user rather than a row to join. It is a string reference: accounts never imports applications, and no code in
    # accounts reads what a unit is (only its id: user.unit_id).
    unit = models.ForeignKey(
        "applications.Unit", verbose_name="所属单位", null=True, blank=True,
        on_delete=models.PROTECT, related_name="accounts",
    )
    employer = models.CharField("工作单位", max_length=128, blank=True, help_text="专家填写，用于回避")
    # Set when the system admin set this account's password (a new account, or a reset in the admin): the
    # user chooses their own before anything else (accounts.must_change); the admin never keeps one that works.
    must_change_password = models.BooleanField("下次登录须修改密码", default=False, editable=False)

    objects = AccountManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        # An applicant has no unit until its district approves the registration (applications.Registration).
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="district_reviewer") | models.Q(bureau__isnull=False),
                name="district_reviewer_has_bureau",
            ),
            # 三员分立: nobody holds every permission. The system admin's rights come from the role
            # (accounts.backends), and audit admins are made on the server (create_audit_admin).
            models.CheckConstraint(condition=models.Q(is_superuser=False), name="no_superuser"),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username


class AuditLogIsAppendOnly(Exception):
    """Raised by any attempt to change or delete an audit event outside accounts.audit.prune()."""

    def __init__(self):
        super().__init__("审计日志只能追加，不能修改或删除（过期日志由 accounts.audit.prune 清理）。")


class AuditEventQuerySet(models.QuerySet):
    """Audit events are written once and never changed. Only accounts.audit.prune() deletes, and only
    rows past the retention period; on PostgreSQL a trigger holds the same rule for every client."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly()

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly()

    def delete(self):
        raise AuditLogIsAppendOnly()

    delete.queryset_only = True


class AuditEvent(models.Model):
    """Append-only security and business log (who, when, what, on which object, result, from where);
    the audit admin reads and exports it. Written through accounts.audit.record()."""

    # A default, not auto_now_add: the value is still set once on insert and never changed (rows are
    # append-only), but it can be given explicitly, e.g. when a test needs an event of last year.
    created_at = models.DateTimeField("时间", default=clock.now, editable=False, db_index=True)
    # PROTECT: an account with a history is deactivated, never deleted (its events keep naming it).
    actor = models.ForeignKey(
        User, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=32, choices=Role.choices, blank=True)
    action = models.CharField("事件", max_length=32)  # registered by the app that records it (audit_actions)
    success = models.BooleanField("结果", default=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    target = models.CharField("对象", max_length=200, blank=True)
    detail = models.TextField("详情", blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "created_at"], name="auditevent_action_time")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    def get_action_display(self):
        return audit_actions.label(self.action)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly()


class LoginFailure(models.Model):
    """One failed sign-in, kept while it can still count towards a lock (accounts/lockout.py).

    A failure is recorded only when a password was actually checked: attempts refused because a
    lock was already in force do not count, so a lock always ends at the time the page announced.
    """

    username = models.CharField("用户名", max_length=150)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    # The key of a browser that signed in as this user before (accounts/devices.py); empty for any other.
    device = models.CharField("登录过的浏览器", max_length=32, blank=True, default="")
    created_at = models.DateTimeField("时间", default=clock.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录失败记录"
        indexes = [
            models.Index(fields=["username", "created_at"], name="loginfailure_user_time"),
            models.Index(fields=["ip", "created_at"], name="loginfailure_ip_time"),
        ]

    def __str__(self):
        return f"{self.username} {self.ip or ''} {self.created_at:%Y-%m-%d %H:%M:%S}"


class BrowserSignIn(models.Model):
    """One sign-in on one browser, from the login until its logout (or 12 hours): the server's half of the
    signed-in cookie (accounts/permissions.py). A form posted from that browser after its session expired is
    kept here (one body per sign-in; a later one replaces it) until the same user signs in again on it; a
    logout deletes the row, so a replayed cookie keeps nothing and makes no row anywhere."""

    token = models.CharField("令牌", max_length=43, unique=True)
    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="browser_sign_ins")
    created_at = models.DateTimeField("登录时间", default=clock.now)
    stash_path = models.CharField("暂存页面", max_length=300, blank=True)
    stash_data = models.JSONField("暂存内容", null=True, blank=True)
    stashed_at = models.DateTimeField("暂存时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "浏览器登录"
        indexes = [models.Index(fields=["user", "created_at"], name="browsersignin_user_time")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M:%S}"


class Notification(models.Model):
    """An in-app message (站内消息) to one user; read on /accounts/messages/."""

    recipient = models.ForeignKey(User, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = clock.DateTimeField("时间", auto_now_add=True)
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
    next_attempt_at = models.DateTimeField("下次尝试时间", default=clock.now)
    created_at = clock.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "待发邮件"
        ordering = ["next_attempt_at", "id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(state="pending"), name="email_due"),
        ]

    def __str__(self):
        return f"{self.to} {self.subject}"
