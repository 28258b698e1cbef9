import sys

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache

from . import health, outages

RETRY_AFTER_SECONDS = 30


@never_cache
def healthz(request):
    healthy, checks = health.report()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False},
    )


def server_error(request):
    """handler500: the database or the file storage being away is a 503 that says so; anything else a 500.

    Django calls it while it handles the exception, so sys.exc_info() is that exception. The page is
    rendered without a request context: it must not need the database that may be the one away.
    """
    why = outages.reason(sys.exc_info()[1])
    if why is None:
        return defaults.server_error(request)
    response = HttpResponse(loader.render_to_string("503.html", {"reason": why}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
