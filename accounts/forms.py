import ipaddress
from datetime import datetime, time

import django_filters
from django import forms
from django.contrib.auth import forms as auth_forms
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import audit_actions as accounts_actions

from . import audit, notify
from .listing import DATE_ERRORS, ListFilter, SortFilter, TextField
from .selectors import AUDIT_COLUMNS


class UsernameFilter(django_filters.CharFilter):
    field_class = TextField


class AddressFilter(django_filters.Filter):
    field_class = forms.GenericIPAddressField


class AuditFilter(ListFilter):
    """The audit log's filters and sorting (query string). Invalid filters are explained beside their field
    and left out; the valid ones still apply."""

    action = django_filters.ChoiceFilter(label="事件", choices=(), empty_label="全部")  # each app's actions: see __init__
    username = UsernameFilter(
        label="用户名", method="by_username", max_length=150,
        error_messages={"max_length": "用户名最多 150 个字符。"},
    )
    ip = AddressFilter(
        label="IP 地址", field_name="ip",
        error_messages={"invalid": "请填写正确的 IP 地址，如 10.1.2.3。"},
    )
    start = django_filters.DateFilter(label="起始日期", method="from_day", input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS)
    end = django_filters.DateFilter(label="截止日期", method="to_day", input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS)
    sort = SortFilter(AUDIT_COLUMNS)

    date_ranges = (("start", "end"),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["action"].extra["choices"] = accounts_actions.choices()  # registered by every app by now

    def by_username(self, events, name, value):
        value = value.strip()
        return events.filter(username__icontains=value) if value else events

    # Whole local days, compared on the indexed timestamp itself.
    def from_day(self, events, name, value):
        return events.filter(created_at__gte=timezone.make_aware(datetime.combine(value, time.min)))

    def to_day(self, events, name, value):
        return events.filter(created_at__lte=timezone.make_aware(datetime.combine(value, time.max)))


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its email put in the outbox instead of being sent during the request.

    A known address then answers as fast as an unknown one (which tells nobody whether an address
    has an account), and a mail server that is down loses nothing: the outbox retries.
    """

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        notify.queue_email(to_email, subject, render_to_string(email_template_name, context))
        self.reset_usernames.append(context["user"].get_username())

    def save(self, *args, request=None, **kwargs):
        self.reset_usernames = []
        super().save(*args, request=request, **kwargs)
        email = self.cleaned_data["email"]
        for username in self.reset_usernames:
            audit.record(
                accounts_actions.PASSWORD_RESET_REQUESTED, request=request, username=username, target=email,
                detail="重设密码链接已放入邮件发送队列。",
            )
        if not self.reset_usernames:
            audit.record(
                accounts_actions.PASSWORD_RESET_REQUESTED, request=request, target=email, success=False,
                detail="该邮箱没有可重设密码的账户，未发送邮件。",
            )


class UnlockForm(forms.Form):
    """Which lock the system admin lifts: every lock on a user name, or the lock on an address."""

    username = TextField(required=False, max_length=150)
    ip = forms.GenericIPAddressField(required=False)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("username")) == bool(cleaned.get("ip")):
            raise forms.ValidationError("请选择要解除的一个账户或一个网络地址。")
        if cleaned.get("ip"):
            cleaned["ip"] = str(ipaddress.ip_address(cleaned["ip"]))
        return cleaned
