from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

STASH_PREFIX = "stashed-post:"
STASH_MAX_CHARS = 200_000  # a long 建设方案 fits; a flood of anonymous posts does not fill the session store


def stash_key(path):
    return STASH_PREFIX + path


def role_required(*roles, keep_post=False):
    """Anonymous users go to the login page; signed-in users of another role get 403.

    With keep_post, a form posted after the session expired is kept in the new session,
    so that the page can show it again once the user has logged back in.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                if keep_post and request.method == "POST":
                    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
                    if sum(len(v) for values in data.values() for v in values) <= STASH_MAX_CHARS:
                        request.session[stash_key(request.path)] = data
                return redirect_to_login(request.path if keep_post else request.get_full_path())
            if request.user.role not in roles:
                raise PermissionDenied("您的角色无权访问此页面。")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
