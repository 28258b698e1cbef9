"""Print once, serve the file: every frozen document is rendered once, by the task worker, and kept.

A frozen document (the annual report, the 评价结果通知 and its 复核更正, the 取消资格决定, the 备案通知书, a decided
综合论证意见) never changes, so its PDF is rendered once from its content and stored, keyed by the content's SHA-256.
A request finds the stored file and serves it (operations.files, X-Accel-Redirect under nginx); a request for one not
yet rendered queues one render and shows the dossier's progress page. The database decides who queues it: the row's
unique (kind, sha256) key lets one of any number of parallel first requests create it, in the transaction that queues
the task; the others find that row.

The apps that own the documents register how each kind is rendered (``register``) when they load, so that the task
worker, which imports every app, can render every kind; this module knows none of them.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction

from operations import clock
from operations.background import background_task, enqueue

from ..models import DocumentRender
from .jobs import IN_FLIGHT, INTERNAL_ERROR, expire_if_stale, render_into

logger = logging.getLogger(__name__)

State = DocumentRender.State

# kind → (Chinese name, function(object_id) → PDF bytes)
RENDERERS: dict[str, tuple[str, Callable[[int], bytes]]] = {}


@dataclass(frozen=True)
class Document:
    """One frozen document as its page asks for it: its kind, its record, its content's SHA-256 and its name."""

    kind: str
    object_id: int
    sha256: str
    name: str


def register(kind, name, renderer):
    """``renderer(object_id)`` returns the PDF of the frozen document ``object_id`` of this kind."""
    RENDERERS[kind] = (name, renderer)


def request(kind, object_id, sha256):
    """The render of this frozen document: the stored one, the one under way, or one queued now (once)."""
    job = _current(kind, sha256)
    if job is not None:
        return job
    try:
        with transaction.atomic():
            job = DocumentRender.objects.create(kind=kind, sha256=sha256, object_id=object_id)
            enqueue(render_document, job.pk)
    except IntegrityError:  # another request created it a moment ago, and queued its render
        return DocumentRender.objects.get(kind=kind, sha256=sha256)
    job.refresh_from_db()  # rendered already when tasks run where they are queued (tests)
    return job


def _current(kind, sha256):
    """The row of this content unless it is of no more use: failed (a new request tries again) or its file gone."""
    job = DocumentRender.objects.filter(kind=kind, sha256=sha256).first()
    if job is None:
        return None
    job = expire_if_stale(job)
    usable = job.state in IN_FLIGHT or (job.state == State.DONE and job.file and job.file.storage.exists(job.file.name))
    if usable:
        return job
    if job.state == State.DONE:  # the stored file was cleaned away: render it again
        forget(job)
        return None
    return job  # failed: shown once with its message (see forget)


def forget(job):
    """Drop a failed or lost render, so that the next request renders the document again."""
    DocumentRender.objects.filter(pk=job.pk, state=job.state).delete()


def _title(render_id):
    job = DocumentRender.objects.filter(pk=render_id).first()
    name = RENDERERS.get(job.kind, ("文书",))[0] if job else "文书"
    return f"生成{name}打印文件（文书打印记录 {render_id}）"


def _give_up(render_id):
    DocumentRender.objects.filter(pk=render_id).exclude(state=State.DONE).update(
        state=State.FAILED, error=INTERNAL_ERROR, finished_at=clock.now()
    )


@background_task(title=_title, retries=1, first_retry_after=timedelta(seconds=30), on_give_up=_give_up)
def render_document(render_id):
    run(render_id)


def run(render_id):
    """Render one queued document and record the outcome on its row; a render already done is not done again.

    What the user can act on (a missing font) fails the render with its message; anything else is raised, so that
    the task is retried and, at the last attempt, shown to the system administrator.
    """
    job = DocumentRender.objects.filter(pk=render_id).first()
    if job is None or job.state == State.DONE:
        return
    render_into(job, f"{job.kind}-{job.sha256}.pdf", lambda: (RENDERERS[job.kind][1](job.object_id), {}), finish=_finish)


def _finish(job, **fields):
    job.finished_at = clock.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["state", "file", "error", "finished_at"])

