import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import audit_actions as accounts_actions
from operations import clock

from . import audit, devices, listing, lockout, notify
from .downloads import xlsx_response
from .exports import safe_row
from .forms import AuditFilter, PasswordResetForm, UnlockForm
from .links import login_links
from .permissions import forget_signed_in, remember_signed_in, role_required
from .roles import Role
from .selectors import AUDIT_COLUMNS, audit_alerts, audit_events, flagged


class LoginView(auth_views.LoginView):
    """Sign-in; while a lock applies (accounts/lockout.py) the page says why and until when (HTTP 429)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lockout_notice=f"{lockout.notice()}闲置 {settings.SESSION_COOKIE_AGE // 60} 分钟后需重新登录。",
            login_links=login_links(),
            **kwargs,
        )

    def form_invalid(self, form):
        lock = getattr(self.request, "login_lock", None)
        if lock is None:
            return super().form_invalid(form)
        form.errors.clear()  # the lock's message replaces "wrong user name or password"; the name stays typed
        return self.render_to_response(self.get_context_data(form=form, locked_message=lock.message), status=429)

    def form_valid(self, form):
        response = remember_signed_in(self.request, super().form_valid(form), form.get_user())
        return devices.remember(self.request, response, form.get_user())


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        return forget_signed_in(request, super().post(request, *args, **kwargs))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs):
        return super().get_context_data(must_change=self.request.user.must_change_password, **kwargs)

    def form_valid(self, form):
        form.user.must_change_password = False  # saved with the new password
        response = super().form_valid(form)
        audit.record(accounts_actions.PASSWORD_CHANGED, request=self.request)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the mailed link also lifts every login lock on the account."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        form.user.must_change_password = False  # the user chose this password
        response = super().form_valid(form)
        cleared = lockout.clear_account(form.user.get_username())
        audit.record(
            accounts_actions.PASSWORD_RESET_DONE, request=self.request, actor=form.user,
            detail="通过邮件中的链接重设了密码" + (f"，解除了登录锁定（清除 {cleared} 次失败记录）。" if cleared else "。"),
        )
        return response


@role_required(Role.SYSTEM_ADMIN)
def lockouts(request):
    """系统管理 → 登录锁定: the locks in force, and lifting one."""
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(form.non_field_errors() or ["请求无效，请刷新页面后重试。"]))
            return redirect("accounts:lockouts")
        if username := form.cleaned_data.get("username"):
            cleared, target = lockout.clear_account(username), f"账户 {username}"
        else:
            cleared, target = lockout.clear_address(form.cleaned_data["ip"]), f"网络地址 {form.cleaned_data['ip']}"
        audit.record(
            accounts_actions.LOCKOUT_CLEARED, request=request, target=target,
            detail=f"系统管理员解除登录锁定，清除 {cleared} 次失败记录。",
        )
        messages.success(request, f"已解除{target}的登录锁定。")
        return redirect("accounts:lockouts")
    locks = [(lock, lockout.RULE_NAMES[lock.rule.name], lockout.clock(lock.until)) for lock in lockout.active_locks()]
    return render(request, "accounts/lockouts.html", {"locks": locks, "notice": lockout.notice()})


@role_required(Role.AUDIT_ADMIN)
def audit_log(request):
    found = AuditFilter(request.GET, queryset=audit_events())
    page = listing.paginate(request, found.qs)
    alerts = audit_alerts()
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit_log.html", {
        "filter": found, "form": found.form, "page": page, "alerts": alerts, "flagged": flagged(page.object_list, alerts),
        "query": query.urlencode(),
    })


class _Echo:
    def write(self, value):
        return value


@role_required(Role.AUDIT_ADMIN)
def audit_log_xlsx(request):
    found = AuditFilter(request.GET, queryset=audit_events())
    return xlsx_response(request, "审计日志", AUDIT_COLUMNS, found.qs.values(*listing.keys(AUDIT_COLUMNS)), found.describe())


@role_required(Role.AUDIT_ADMIN)
def audit_log_export(request):
    found = AuditFilter(request.GET, queryset=audit_events())
    events = found.qs
    audit.record(accounts_actions.EXPORT, request=request, target="审计日志（CSV）", detail=f"筛选条件：{found.describe()}")
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so that Excel opens the Chinese text as UTF-8
        yield writer.writerow(["时间", "用户名", "角色", "事件", "结果", "IP 地址", "对象", "详情"])
        roles = dict(Role.choices)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(safe_row([
                clock.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                event.username,
                roles.get(event.role, event.role),
                event.get_action_display(),
                "成功" if event.success else "失败",
                event.ip or "",
                event.target,
                event.detail,
            ]))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


@login_required
def message_list(request):
    page = Paginator(notify.messages_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "accounts/messages.html", {"page": page})


@login_required
@require_POST
def message_read(request, pk):
    """Mark one message read, then open its link (or go back to the list)."""
    notification = get_object_or_404(notify.messages_for(request.user), pk=pk)
    notify.mark_read(notification)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.link)
    return redirect("accounts:messages")


@login_required
@require_POST
def message_read_all(request):
    notify.mark_all_read(request.user)
    return redirect("accounts:messages")
