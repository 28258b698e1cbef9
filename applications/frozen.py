"""What the review page reads off the latest frozen version of a 申请书, worked out once per process.

A frozen version never changes: its content is written once, with its SHA-256 beside it. The 申请书 as the review page
draws it, the 形式审查 checks and flags that judge the content alone (readiness.content_checks, content_flags), and what
changed since the version before (diff.compare) are the same each time it is read — and were a fifth of the page's
work, with the transfer and decoding of two contents. Each process keeps them here, by the versions' keys and digests,
the day the latest was submitted and the settings the checks read; the page then reads no content at all. What the
database knows today is judged on every reading (readiness.judged, member_flags): the lead's registration and other
consortia, the bans in force, the registry's units.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from operations import clock

from . import diff, readiness, snapshot
from .models import ApplicationVersion


@dataclass(frozen=True)
class Reading:
    html: str  # the 申请书 as applications/_content.html draws it, its attachments linked to the version's own files
    checks: tuple  # readiness.content_checks(), judged on the day it was submitted: to be read, not changed
    members: tuple  # the content's members, judged today: readiness.judged() (bans), member_flags() (the registry)
    flags: tuple  # readiness.content_flags()
    changes: tuple | None  # diff.compare() from the version before, None for a first version


# The readings kept by this process (a process started with other templates starts with none), at most KEPT.
_kept = {}
KEPT = 32


def read(latest, previous, consortium_id):
    """The Reading of ``latest`` (and of what changed since ``previous``, or None) of the consortium's 申请书. The versions
    may come without their content (deferred): it is read, both in one query, only for a reading not kept."""
    key = (latest.pk, latest.sha256, latest.number, latest.submitted_at, previous and previous.pk,
           previous and previous.sha256, consortium_id, settings.CONSORTIUM_MIN_MEMBERS, settings.CHARTER_SECTION_MIN_CHARS)
    reading = _kept.get(key)
    if reading is None:
        content, earlier = _contents(latest, previous)
        links = {a["id"]: reverse("applications:version_attachment", args=[consortium_id, latest.number, a["id"]])
                 for a in content["attachments"]}
        reading = Reading(
            html=render_to_string("applications/_content.html", {"content": snapshot.with_attachment_links(content, links.get)}),
            checks=tuple(readiness.content_checks(content, clock.localdate(latest.submitted_at))),
            members=tuple(content["members"]),
            flags=tuple(readiness.content_flags(content)),
            changes=None if previous is None else tuple(diff.compare(earlier, content)),
        )
        if len(_kept) >= KEPT:
            _kept.clear()
        _kept[key] = reading
    return reading


def forget():
    """Drops every reading kept (the tests start each with none)."""
    _kept.clear()


def _contents(latest, previous):
    """The contents of ``latest`` and ``previous`` (None for none): those not read with them, in one query."""
    versions = [latest] if previous is None else [latest, previous]
    deferred = [version.pk for version in versions if "content" in version.get_deferred_fields()]
    found = dict(ApplicationVersion.objects.filter(pk__in=deferred).order_by().values_list("pk", "content")) if deferred else {}
    contents = [found[version.pk] if version.pk in found else version.content for version in versions]
    return contents[0], (contents[1] if previous is not None else None)
