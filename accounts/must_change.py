"""An account whose password the system admin set (User.must_change_password: a new account, or a reset in the
admin) is taken to the password change page until the user has chosen their own: the admin never holds a
password that works for someone else's account (三员分立)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Goes after AuthenticationMiddleware. Open meanwhile: the password change pages, signing out, static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password and not self._open(request.path_info):
            return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _open(path):
        names = ("accounts:password_change", "accounts:password_change_done", "accounts:logout")
        return path in {reverse(name) for name in names} or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
