"""The public 公示 page: no login, no session, the same HTML for everyone (dashboards/public.py)."""

from django.conf import settings
from django.http import HttpResponse

from . import public


def public_list(request):
    response = HttpResponse(public.page_html(request.GET.get("page")))
    response["Cache-Control"] = f"public, max-age={settings.PUBLIC_LIST_CACHE_SECONDS}"
    return response
