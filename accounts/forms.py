import ipaddress

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.validators import ProhibitNullCharactersValidator
from django.template.loader import render_to_string

from . import audit, notify
from .models import AuditEvent

# Django's own zh-hans text for this refusal reads "不允许是用空字符串", which says the opposite.
NO_NUL = ProhibitNullCharactersValidator(message="含有不可见的控制字符（\\x00），请删除后重试。")


class TextField(forms.CharField):
    """A CharField whose refusal of NUL characters is worded correctly in Chinese."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)] + [NO_NUL]


class AuditFilterForm(forms.Form):
    """The audit log's filters (query string). Invalid filters are explained beside their field and
    left out; the valid ones still apply."""

    DATE_ERROR = {"invalid": "请按“年-月-日”填写日期，如 2026-01-31。"}

    action = forms.ChoiceField(label="事件", required=False, choices=[("", "全部"), *AuditEvent.Action.choices])
    username = TextField(label="用户名", required=False, max_length=150, error_messages={"max_length": "用户名最多 150 个字符。"})
    ip = forms.GenericIPAddressField(
        label="IP 地址", required=False, error_messages={"invalid": "请填写正确的 IP 地址，如 10.1.2.3。"}
    )
    start = forms.DateField(label="起始日期", required=False, input_formats=["%Y-%m-%d"], error_messages=DATE_ERROR)
    end = forms.DateField(label="截止日期", required=False, input_formats=["%Y-%m-%d"], error_messages=DATE_ERROR)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "截止日期不能早于起始日期。")
        return cleaned

    def filters(self):
        """The filters that validated, without the empty ones."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}

    def describe(self):
        """The filters in use, as the export's audit event records them."""
        shown = []
        for name, value in self.filters().items():
            if name == "action":
                value = AuditEvent.Action(value).label
            shown.append(f"{self.fields[name].label} {value}")
        return "；".join(shown) or "无"


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
                AuditEvent.Action.PASSWORD_RESET_REQUESTED, request=request, username=username, target=email,
                detail="重设密码链接已放入邮件发送队列。",
            )
        if not self.reset_usernames:
            audit.record(
                AuditEvent.Action.PASSWORD_RESET_REQUESTED, request=request, target=email, success=False,
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
