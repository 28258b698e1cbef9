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


def _unavailable(why):
    """The 503 page, rendered without a request context: it must not need the database that may be the one away."""
    response = HttpResponse(loader.render_to_string("503.html", {"reason": why}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: the database or the file storage being away is a 503 that says so; anything else a 500.

    Django calls it while it handles the exception, so sys.exc_info() is that exception.
    """
    why = outages.reason(sys.exc_info()[1])
    return defaults.server_error(request) if why is None else _unavailable(why)


def bad_request(request, exception):
    """handler400: Django turns a session it could not save into a 400 ("the session was deleted"), also when the
    database went away under it; that is an outage, not a bad request."""
    why = outages.reason(exception)
    return defaults.bad_request(request, exception) if why is None else _unavailable(why)
