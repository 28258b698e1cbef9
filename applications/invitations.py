"""A registration link that pre-fills the registration form (a district or the city invites a candidate lead from the
培育库). The link carries what the inviter knows, signed so that nobody can forge one, and nothing else: the enterprise
still registers and its district still approves it as for everyone."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "applications.registration-invitation"
MAX_AGE_DAYS = 60
FIELDS = ("name", "credit_code", "bureau", "full_name", "phone", "email")
EXPIRED = "该邀请链接已失效（超过 60 天或已被修改），请直接填写注册信息。"


def link(**initial):
    """The absolute address of the registration page pre-filled with ``initial`` (keys from FIELDS)."""
    token = signing.dumps({key: initial[key] for key in FIELDS if initial.get(key) not in (None, "")}, salt=SALT, compress=True)
    return f"{(settings.SITE_URL or '').rstrip('/')}{reverse('applications:register')}?invite={token}"


def initial_from(token):
    """(the form's initial values, a message for the page): ({}, "") without a token."""
    if not token:
        return {}, ""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 86400)
    except signing.BadSignature:
        return {}, EXPIRED
    return {key: value for key, value in data.items() if key in FIELDS}, ""
