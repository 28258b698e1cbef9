import re

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import audit_actions as accounts_actions

from . import audit, signed_in

REFUSED = {403: "无权访问", 404: "对象不存在或无权查看"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Asked for by browsers on their own, never a sign of probing.
BROWSER_FILES = ("/favicon.ico", "/robots.txt", "/apple-touch-icon")


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with request.user the user itself rather than a lazy object that loads it on first use.

    Every request reads its user at once anyway (PasswordChangeRequiredMiddleware, below it), so nothing is loaded
    that was not (a request without a session reads no database either way); but each read through the lazy object is
    a method call or three, and a page reads request.user dozens of times (its permissions, the navbar, the audit):
    60 to 300 calls a page, measured."""

    def process_request(self, request):
        super().process_request(request)
        with signed_in.reading(request.session):  # the user its session store read with it, if any
            request.user = auth_middleware.get_user(request)


class AuditMiddleware:
    """Records every refusal (403 or 404) answered to a signed-in user, once, with the reason the view
    gave; and lets events raised without a request (the admin's LogEntry) carry the client address.

    Goes after AuthenticationMiddleware. A view that records its own ACCESS_DENIED event through
    audit.record(request=…) is not recorded a second time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.serving(request):
            response = self.get_response(request)
        if response.status_code in REFUSED and self._worth_recording(request):
            # Our views give their reasons in Chinese; Django's own ("No Unit matches…") are replaced.
            reason = getattr(request, "audit_refusal_reason", "")
            if not CHINESE.search(reason):
                reason = REFUSED[response.status_code]
            audit.record(
                accounts_actions.ACCESS_DENIED, request=request, success=False, target=request.get_full_path(),
                detail=f"HTTP {response.status_code} {request.method}：{reason}",
            )
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, (PermissionDenied, Http404)) and exception.args:
            request.audit_refusal_reason = str(exception.args[0])

    @staticmethod
    def _worth_recording(request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if getattr(request, "audit_access_denied_recorded", False):
            return False
        path = request.path_info
        static = "/" + settings.STATIC_URL.lstrip("/")
        return not path.startswith(static) and not path.startswith(BROWSER_FILES)
