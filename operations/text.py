"""Small things every app prints the same way, kept once at the bottom of the layers (this module imports nothing
of ours but the clock): the Chinese date of a day, the digest of frozen content that a verification code is taken
from, and HTML escaping (of values, texts and a tag's attributes) for markup written in Python, with the CSRF input
{% csrf_token %} writes."""

import hashlib
import html
import json
from datetime import date, datetime

from django.utils.functional import Promise

from . import clock


def escape_text(text):
    """html.escape(text): the same characters, and quicker for a text that has none of them (most have none)."""
    return html.escape(text) if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text else text


def escape(value):
    """django.utils.html.conditional_escape, the same characters (a safe string is kept as it is, anything else escaped
    as {{ }} escapes it), without the lazy-string wrapper around Django's escape(): markup written in Python for many
    values at once (a page of form widgets, a filter's options) spent most of its time in that wrapper."""
    kind = type(value)
    if kind is str:  # the most frequent by far (attribute values, names, labels)
        return escape_text(value)
    if kind is int:
        return str(value)
    if isinstance(value, Promise):
        value = str(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def attributes(attrs):
    """The attributes of a tag as Django's attrs.html writes them: `` name="value"`` for each attribute, a bare name for
    True, nothing for False. (Django's stringformat filter keeps a safe string safe, so values are escaped as {{ }}
    escapes them: conditionally.) The names, which are the code's own and few, are escaped once each."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        escaped = _NAMES.get(name)
        if escaped is None:
            escaped = _NAMES[name] = escape(name)
        out.append(f" {escaped}" if value is True else f' {escaped}="{escape(value)}"')
    return "".join(out)


_NAMES = {}


def chinese_date(value):
    """2026年12月20日, of a date, an aware datetime (its Beijing day), or an ISO date or date-time of frozen content; ""
    for nothing."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = clock.localdate(value)
    return f"{value.year}年{value.month}月{value.day}日"


def digest(content):
    """SHA-256 of the canonical JSON of frozen content (a 申请书 version, a report, a notice): what its verification
    code is taken from. Keys sorted, no spaces, Chinese kept as UTF-8, so that the same content always gives the same code."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def csrf_input(context):
    """What {% csrf_token %} writes, for markup written in Python from a template's context: the hidden input with the
    request's token, or nothing where there is none."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
