"""Logs as JSON lines, each tied to the request (and user) it was written for.

RequestIdMiddleware takes the request id from X-Request-ID (set by nginx or the load balancer) when
it is a sane token, otherwise makes one; it returns it in the response's X-Request-ID header and
writes one access line per request. JsonFormatter writes every record as one JSON object per line,
with the request id and user id of the request being served, so that the lines of one request can
be found on any server.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import datetime, timezone

from django.utils.functional import empty

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
# The request being served; its user's id is read when a line is written, and only if the view already
# loaded the user: logging never reads the session itself (a page that does not, like the public list,
# must not become "Vary: Cookie" or cost a session query because it is logged).
request_var: ContextVar[object | None] = ContextVar("request", default=None)


def known_user_id(request):
    """The signed-in user's id if this request has already loaded its user, else None."""
    user = getattr(request, "__dict__", {}).get("user")
    user = getattr(user, "_wrapped", user)
    if user is None or user is empty or not getattr(user, "is_authenticated", False):
        return None
    return user.pk

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_logger = logging.getLogger("operations.access")

# Attributes every LogRecord has; anything else was passed with extra= and is written too.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get() or None,
            "user_id": known_user_id(request_var.get()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    """Place first: every response, even a redirect by SecurityMiddleware, carries the request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = given if _SANE_REQUEST_ID.match(given) else uuid.uuid4().hex
        request_token = request_id_var.set(request.request_id)
        user_token = request_var.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            access_logger.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": round((time.monotonic() - started) * 1000)},
            )
            return response
        finally:
            request_id_var.reset(request_token)
            request_var.reset(user_token)
