"""One-time form tokens: a form that creates a record is submitted once, however often it is sent.

A form carries a token (``{% once_token %}``, operations/templatetags/once.py): a random nonce signed with the user
it was drawn for and when. The view is decorated with ``@once_per_token``. The first POST of a token claims it by
inserting a SubmittedForm row (the database's unique key decides between parallel double clicks) and runs the view;
when the view answers with a redirect (the result page of what it did), the row keeps that address. A second POST of
the same token runs nothing: it is sent to that same result page, saying so. A POST whose view answered with the form
again (errors beside the fields, nothing created), or refused with an error message and a redirect, releases its
token, so the corrected form can be sent.

A POST without a token, with one not signed here, drawn for someone else or older than MAX_AGE is refused with a
Chinese page (HTTP 400), as Django refuses a missing CSRF token.
"""

import functools
import secrets
import time
from datetime import timedelta

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render

from . import clock
from .models import SubmittedForm

FIELD = "once_token"
SALT = "operations.once"
MAX_AGE = timedelta(days=3)
WAIT_FOR_FIRST_SECONDS = 10
POLL_SECONDS = 0.1

MISSING = "提交未完成：表单缺少一次性提交凭证（页面可能是系统升级前打开的）。"
FORGED = "提交未完成：表单的一次性提交凭证无效，或属于其他用户。"
EXPIRED = "提交未完成：表单打开已超过 3 天，提交凭证已过期。"
AGAIN = "本次提交未记录任何内容。您填写的内容已保留，核对无误后可点击“重新提交”，或返回表单页面重新填写。"
REPEATED = "该表单已经提交过，未重复记录。以下是第一次提交的结果。"
STILL_RUNNING = "该表单的第一次提交仍在处理中，未重复提交；请稍后在列表中查看结果。"


def _owner(user):
    return str(user.pk) if user is not None and user.is_authenticated else "-"


def new_token(user):
    """A fresh token for a form shown to ``user`` (anonymous: a registration)."""
    return signing.TimestampSigner(salt=SALT).sign(f"{secrets.token_urlsafe(18)}.{_owner(user)}")


def nonce_of(value, user):
    """(nonce, None) for a token of this user still in date, else (None, the reason in Chinese)."""
    if not value:
        return None, MISSING
    try:
        unsigned = signing.TimestampSigner(salt=SALT).unsign(value, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return None, EXPIRED
    except signing.BadSignature:
        return None, FORGED
    nonce, _, owner = unsigned.rpartition(".")
    if not nonce or owner != _owner(user):
        return None, FORGED
    return nonce, None


def once_per_token(view):
    """Decorate a view whose POST creates a record: see the module's docstring. Put it below the permission decorators,
    so that a refused user is refused as before."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        nonce, refusal = nonce_of(request.POST.get(FIELD, ""), getattr(request, "user", None))
        if refusal:
            return _refused(request, refusal)
        earlier = _claim(request, nonce)
        if earlier is not None:
            return earlier
        errors_before = _errors_said(request)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            _release(nonce)
            raise
        if 300 <= response.status_code < 400 and response.has_header("Location") and _errors_said(request) == errors_before:
            SubmittedForm.objects.filter(token=nonce).update(result_url=response["Location"][:500])
        else:
            _release(nonce)  # the form again with its errors, or a refusal said on the next page: nothing was created
        return response

    wrapped.takes_once_token = True  # carried up by functools.wraps through the permission decorators above
    return wrapped


def _errors_said(request):
    """How many error messages this request has queued: a view that refuses says why with messages.error (and
    may then redirect to the page the form came from), so a redirect that brought a new error created nothing.
    Read from the message storage's queue without iterating it (iterating would mark the messages as shown)."""
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", ())
    return sum(1 for message in queued if message.level >= messages.ERROR)


def _refused(request, reason):
    """The refusal, with what was typed kept in a form the user may send again as it is (with a fresh token)."""
    typed = [(name, value) for name, values in request.POST.lists() if name not in (FIELD, "csrfmiddlewaretoken") for value in values]
    return render(request, "once_refused.html", {
        "reason": reason, "again": AGAIN, "form_url": request.path, "typed": typed, "had_files": bool(request.FILES),
    }, status=400)


def _insert(request, nonce):
    try:
        with transaction.atomic():
            SubmittedForm.objects.create(token=nonce, path=request.path[:300])
        return True
    except IntegrityError:
        return False


def _claim(request, nonce):
    """None when this request claimed the token; else the response that shows the first submission's result."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    while True:
        if _insert(request, nonce):
            return None
        first = SubmittedForm.objects.filter(token=nonce).values_list("result_url", flat=True).first()
        if first:
            messages.info(request, REPEATED)
            return redirect(first)
        if first is None:  # released meanwhile (the first one's form had errors): this one may go ahead
            continue
        if time.monotonic() > deadline:
            messages.warning(request, STILL_RUNNING)
            return redirect(request.path)
        time.sleep(POLL_SECONDS)


def _release(nonce):
    SubmittedForm.objects.filter(token=nonce, result_url="").delete()


def prune():
    """Scheduled: forget tokens older than any form that may still carry them."""
    return SubmittedForm.objects.filter(created_at__lt=clock.now() - MAX_AGE - timedelta(days=1)).delete()[0]
