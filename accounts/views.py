import csv

from axes.helpers import get_cool_off
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import audit, notify
from .links import login_links
from .models import AuditEvent
from .permissions import forget_signed_in, remember_signed_in, role_required
from .roles import Role
from .selectors import audit_events


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "login_links": login_links()}

    def form_valid(self, form):
        return remember_signed_in(super().form_valid(form), form.get_user())


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        return forget_signed_in(super().post(request, *args, **kwargs))


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this instead of logging in once the limit is reached."""
    until = timezone.localtime() + get_cool_off(request)
    form = AuthenticationForm(request, data=request.POST or None)
    form.errors.clear()
    context = {
        "form": form,
        "login_links": login_links(),
        "locked_message": (
            "登录失败次数过多，账户已被锁定 30 分钟，"
            f"请于 {until:%H:%M} 后再试；如需提前解锁请联系系统管理员。"
        ),
    }
    return render(request, "accounts/login.html", context, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuditEvent.Action.PASSWORD_CHANGED, request=self.request)
        return response


@role_required(Role.AUDIT_ADMIN)
def audit_log(request):
    events = audit_events(request.GET)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "actions": AuditEvent.Action.choices, "filters": request.GET, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value):
        return value


@role_required(Role.AUDIT_ADMIN)
def audit_log_export(request):
    events = audit_events(request.GET)
    audit.record(AuditEvent.Action.EXPORT, request=request, detail=request.GET.urlencode())
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so that Excel opens the Chinese text as UTF-8
        yield writer.writerow(["时间", "用户名", "角色", "事件", "结果", "IP 地址", "对象", "详情"])
        roles = dict(Role.choices)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow([
                timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                event.username,
                roles.get(event.role, event.role),
                event.get_action_display(),
                "成功" if event.success else "失败",
                event.ip or "",
                event.target,
                event.detail,
            ])

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
