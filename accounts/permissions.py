import secrets
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from operations import clock

from .models import BrowserSignIn

# What a signed-in editor typed when their session ran out, kept for them across the new login.
# One body per browser sign-in (a later one replaces it), at most this many characters: a long 建设方案 fits.
# Kept on the server's record of that sign-in (accounts.models.BrowserSignIn), never in a session: a request
# without a live session makes no session row. At most STASHES_PER_USER bodies per user (the newest).
STASH_KEY = "stashed-post"
STASH_MAX_CHARS = 200_000
STASHES_PER_USER = 3
# Sign-ins remembered per user (the newest; older ones can keep nothing any more).
SIGN_INS_PER_USER = 10
# A signed cookie set at login and removed at logout, naming the user and the server's record of that sign-in
# (BrowserSignIn): the browser was signed in, so an anonymous post from it is a session that expired, not a
# stranger's. Logging out deletes the record, so the cookie, replayed, is worth nothing.
SIGNED_IN_COOKIE = "zj_signed_in"
SIGNED_IN_SALT = "accounts.signed-in"
SIGNED_IN_MAX_AGE = 12 * 60 * 60


def remember_signed_in(request, response, user):
    """After a login: a new record of this browser's sign-in, the cookie naming it, and whatever the browser's
    previous sign-in as the same user kept (a form posted after it expired) put into the new, live session."""
    now = clock.now()
    before = _sign_in_of(request)
    if before is not None:
        if before.user_id == user.pk and before.stash_data is not None and hasattr(request, "session"):
            request.session[STASH_KEY] = {"user": user.pk, "path": before.stash_path, "data": before.stash_data}
        before.delete()
    recent = BrowserSignIn.objects.filter(user=user, created_at__gte=now - timedelta(seconds=SIGNED_IN_MAX_AGE))
    kept = list(recent.order_by("-created_at", "-pk").values_list("pk", flat=True)[:SIGN_INS_PER_USER - 1])
    BrowserSignIn.objects.filter(user=user).exclude(pk__in=kept).delete()
    sign_in = BrowserSignIn.objects.create(token=secrets.token_urlsafe(32), user=user, created_at=now)
    response.set_signed_cookie(
        SIGNED_IN_COOKIE, f"{user.pk}:{sign_in.token}", salt=SIGNED_IN_SALT, max_age=SIGNED_IN_MAX_AGE, httponly=True,
        secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
    )
    return response


def forget_signed_in(request, response):
    """At logout: the record of this browser's sign-in goes (and what it kept), and the cookie with it."""
    sign_in = _sign_in_of(request)
    if sign_in is not None:
        sign_in.delete()
    response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
    return response


def _sign_in_of(request):
    """The live record of the sign-in this browser's signed cookie names, or None (none, forged, logged out, old)."""
    value = request.get_signed_cookie(SIGNED_IN_COOKIE, default=None, salt=SIGNED_IN_SALT, max_age=SIGNED_IN_MAX_AGE)
    user_id, _, token = (value or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    since = clock.now() - timedelta(seconds=SIGNED_IN_MAX_AGE)
    return BrowserSignIn.objects.filter(token=token, user_id=int(user_id), created_at__gte=since).first()


def _stash(request):
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    size = sum(len(key) + sum(len(value) for value in values) for key, values in data.items())
    if size > STASH_MAX_CHARS:
        return
    sign_in = _sign_in_of(request)
    if sign_in is None:
        return
    BrowserSignIn.objects.filter(pk=sign_in.pk).update(stash_path=request.path, stash_data=data, stashed_at=clock.now())
    newest = (BrowserSignIn.objects.filter(user_id=sign_in.user_id, stashed_at__isnull=False)
              .order_by("-stashed_at", "-pk").values_list("pk", flat=True)[:STASHES_PER_USER])
    (BrowserSignIn.objects.filter(user_id=sign_in.user_id, stashed_at__isnull=False).exclude(pk__in=list(newest))
     .update(stash_path="", stash_data=None, stashed_at=None))


def take_stashed_post(request):
    """The form data kept for this page when the session expired, once, for the same user; else None."""
    stashed = request.session.get(STASH_KEY)
    if not stashed or stashed.get("path") != request.path or stashed.get("user") != request.user.pk:
        return None
    del request.session[STASH_KEY]
    return stashed["data"]


def role_required(*roles, keep_post=None):
    """Anonymous users go to the login page; signed-in users of another role get 403.

    ``keep_post``: a function of the view's URL arguments saying whether this page's form is worth
    keeping. A form posted there after the browser's session expired is kept in the new session,
    so that the page can show it again once the same user has logged back in.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                if keep_post is not None and request.method == "POST" and keep_post(kwargs):
                    _stash(request)
                return redirect_to_login(request.path if keep_post else request.get_full_path())
            if request.user.role not in roles:
                raise PermissionDenied("您的角色无权访问此页面。")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
