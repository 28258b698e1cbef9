"""One editor for what a lead writes over days: the 申请书 part by part, and the annual report.

暂存 (``save_draft``) is offered at any time. Input that validates is written, unless someone saved over it since the
page was loaded (``services.StaleEdit``: nothing is written, the input stays on the page, 409). Input that does not
validate yet is kept as typed and shown again with its errors when the page is next opened (``reopen``), so nothing
typed is lost; only what validated can be submitted.
"""

from django.contrib import messages
from django.http import QueryDict

from .services import StaleEdit


def version(post):
    """The version the editor loaded; anything unreadable counts as stale (0), never as an error."""
    try:
        return int(post.get("lock_version"))
    except (TypeError, ValueError):
        return 0


def typed(post):
    """What was posted, as kept for reopening (the token left out)."""
    return {key: post.getlist(key) for key in post if key != "csrfmiddlewaretoken"}


def querydict(data):
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def each_form(forms):
    """The forms and formsets of an editor page: a dict (values a form, a formset or a list of (name, form)) or a list."""
    for value in forms.values() if isinstance(forms, dict) else forms:
        if isinstance(value, list):
            yield from (form for _, form in value)
        elif hasattr(value, "is_valid"):
            yield value


def validate(forms):
    return all([form.is_valid() for form in each_form(forms)])  # a list: every form shows its errors


def error_count(forms):
    total = 0
    for form in each_form(forms):
        if hasattr(form, "total_error_count"):
            total += form.total_error_count()
        else:
            total += sum(len(errors) for errors in form.errors.values())
    return total


def save_draft(request, forms, *, save, keep, saved, then):
    """暂存 what the editor posted; returns (written, status).

    ``save(lock_version)`` writes input that validated (it may raise StaleEdit); ``keep(typed)`` keeps input that
    did not; ``saved`` is the message when written, ``then`` what the lead does once all is right (提交, 报送).
    """
    if not validate(forms):
        keep(typed(request.POST))
        messages.warning(request, f"已暂存您填写的内容，但有 {error_count(forms)} 处需要改正（见标红处），改正并暂存后才能{then}。")
        return False, 200
    try:
        save(version(request.POST))
    except StaleEdit as stale:
        messages.error(request, str(stale))
        return False, 409
    messages.success(request, saved)
    return True, 200


def reopen(request, build, *, stashed=None, kept=None):
    """The forms on opening the page: what was typed before a login expired (``stashed``, with the version it was
    loaded at), else input kept with its errors (``kept``), else the stored content. Returns (forms, version or None)."""
    if stashed is not None:
        forms = build(querydict(stashed))
        validate(forms)
        messages.info(request, "登录已过期，已恢复您过期前填写的内容，请核对后点击“暂存”。")
        return forms, version(querydict(stashed))
    if kept is not None:
        forms = build(querydict(kept))
        validate(forms)
        messages.warning(request, "下面是上次暂存但未通过校验的内容，请改正标红处后暂存。")
        return forms, None
    return build(None), None
