from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

# What a signed-in editor typed when their session ran out, kept for them across the new login.
# One body per session (a later one replaces it), at most this many characters: a long 建设方案 fits,
# a flood of anonymous posts does not fill the session store.
STASH_KEY = "stashed-post"
STASH_MAX_CHARS = 200_000
# A signed cookie set at login and removed at logout: the browser was signed in, so an anonymous post
# from it is a session that expired, not a stranger's.
SIGNED_IN_COOKIE = "zj_signed_in"
SIGNED_IN_SALT = "accounts.signed-in"
SIGNED_IN_MAX_AGE = 12 * 60 * 60


def remember_signed_in(response, user):
    response.set_signed_cookie(
        SIGNED_IN_COOKIE, str(user.pk), salt=SIGNED_IN_SALT, max_age=SIGNED_IN_MAX_AGE, httponly=True,
        secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
    )
    return response


def forget_signed_in(response):
    response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
    return response


def signed_in_before(request):
    """The user id this browser was last signed in as (signed cookie), or None."""
    value = request.get_signed_cookie(SIGNED_IN_COOKIE, default=None, salt=SIGNED_IN_SALT, max_age=SIGNED_IN_MAX_AGE)
    return int(value) if value and value.isdigit() else None


def _stash(request):
    user_id = signed_in_before(request)
    if user_id is None:
        return
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    size = sum(len(key) + sum(len(value) for value in values) for key, values in data.items())
    if size <= STASH_MAX_CHARS:
        request.session[STASH_KEY] = {"user": user_id, "path": request.path, "data": data}


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
