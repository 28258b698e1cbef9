"""Known devices (OWASP's device cookies): a browser that has signed in as a user carries a signed token.

The token names the browser (a random key) and the accounts signed in on it. The locks a stranger can set
off (one user name from anywhere, one address; accounts/lockout.py) apply only to browsers that are not a
known device of that account, so guesses from elsewhere never keep the owner out of their own browser.
A known device has a lock of its own, counted on that browser alone. The cookie is sent only to the login
page, and a successful sign-in renews it.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

COOKIE = "zj_device"
SALT = "accounts.device"
MAX_AGE = timedelta(days=180)
# A shared office browser remembers this many accounts, the latest first.
MAX_ACCOUNTS = 10


@dataclass(frozen=True)
class Device:
    key: str
    user_ids: tuple


def read(request):
    """The device token this browser carries, or None (absent, forged or expired)."""
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    key, _, ids = value.partition(":")
    user_ids = tuple(int(part) for part in ids.split(",") if part.isdigit())
    return Device(key, user_ids) if key else None


def known_device(request, username):
    """This browser's key if it has signed in as ``username`` before, else ""."""
    device = read(request) if request is not None else None
    if device is None:
        return ""
    User = get_user_model()
    user_id = User._default_manager.filter(**{User.USERNAME_FIELD: username}).values_list("pk", flat=True).first()
    return device.key if user_id in device.user_ids else ""


def remember(request, response, user):
    """After a successful sign-in: this browser is a known device of ``user`` from now on."""
    device = read(request)
    key = device.key if device else secrets.token_urlsafe(16)
    others = [user_id for user_id in (device.user_ids if device else ()) if user_id != user.pk]
    user_ids = [user.pk, *others][:MAX_ACCOUNTS]
    response.set_signed_cookie(
        COOKIE, f"{key}:{','.join(map(str, user_ids))}", salt=SALT, max_age=int(MAX_AGE.total_seconds()),
        path=reverse(settings.LOGIN_URL), httponly=True, secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
    )
    return response
