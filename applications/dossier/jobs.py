"""Dossier renders as DossierRender rows: requested in a view, rendered by a background task, kept.

A request creates the row (排队中) and queues ``render_dossier``; a task worker renders it and records
the outcome on the row, which the progress page polls. The row outlives any process: a worker
killed mid-render has its task run again (operations.workers), and a render still unfinished after
STALE_AFTER is marked failed so that the user is asked to try again rather than wait for ever.
"""

import logging
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db.models import Q

from operations import clock
from operations.background import background_task, enqueue

from ..models import Consortium, DossierRender
from . import render, source
from .errors import DossierError

logger = logging.getLogger(__name__)

State = DossierRender.State
IN_FLIGHT = (State.PENDING, State.RUNNING)
STALE_AFTER = timedelta(minutes=10)
KEEP_RENDERS = 5  # per application; older files are deleted
POLL_SECONDS = 0.25
INTERNAL_ERROR = "生成失败：系统内部错误，请稍后重试；如仍失败请联系系统管理员。"
STALE_ERROR = "生成超时或服务已重启，请重新生成。"


def request(application, user, *, copies=1, site_url=""):
    """A render of what this user may print; reuses a finished or running render of the same version."""
    resolved = source.resolve(application, user)
    existing = _reusable(application, resolved.version, copies, user)
    if existing is not None:
        return existing
    job = DossierRender.objects.create(
        application=application, version=resolved.version, copies=copies, requested_by=user,
    )
    enqueue(render_dossier, job.pk, site_url)
    job.refresh_from_db()  # rendered already when tasks run where they are queued (tests)
    return job


def _reusable(application, version, copies, user):
    renders = DossierRender.objects.filter(application=application, version=version, copies=copies)
    if version is None:  # a draft changes with every save: only an unfinished render of this user is reused
        renders = renders.filter(requested_by=user, state__in=IN_FLIGHT)
    recent = renders.filter(created_at__gte=clock.now() - STALE_AFTER, state__in=IN_FLIGHT).first()
    if recent is not None:
        return recent
    done = renders.filter(state=State.DONE).exclude(file="").first()
    if done is not None and done.file.storage.exists(done.file.name):
        return done
    return None


def _title(render_id, site_url=""):
    return f"生成申请书打印文件（打印记录 {render_id}）"


def _give_up(render_id, site_url=""):
    DossierRender.objects.filter(pk=render_id).exclude(state=State.DONE).update(
        state=State.FAILED, error=INTERNAL_ERROR, finished_at=clock.now()
    )


@background_task(title=_title, retries=1, first_retry_after=timedelta(seconds=30), on_give_up=_give_up)
def render_dossier(render_id, site_url=""):
    run(render_id, site_url=site_url)


def run(render_id, *, site_url=""):
    """Render one requested dossier and record the outcome on its row.

    What the user can act on (a missing font, a broken attachment) fails the render with its message.
    Anything else is raised, so that the task is retried and, at the last attempt, shown to the
    system administrator. A render already done is not done again.
    """
    job = DossierRender.objects.select_related("application__consortium", "version").filter(pk=render_id).first()
    if job is None or job.state == State.DONE:
        return
    def dossier():
        result = render.render_source(_source_of(job), copies=job.copies, site_url=site_url)
        return result.pdf, {"pages": result.pages, "warnings": result.warnings}

    render_into(job, f"dossier-{job.application_id}-{job.pk}.pdf", dossier, finish=_finish)
    _prune(job)


def _source_of(job):
    if job.version is not None:
        return source.DossierSource(job.application, job.version.content, job.version)
    return source.resolve(job.application, job.requested_by)


def render_into(job, name, make, *, finish):
    """One render job (a dossier, a printed document) from RUNNING to its end: ``make()`` gives (pdf, fields); what the
    user can act on (a DossierError, e.g. a missing font) fails the job with its message; anything else puts it back
    to 排队中 and is raised, so that the task is retried. The file is saved under ``name`` (one left by a run that was
    killed before it finished is replaced); ``finish(job, **fields)`` records the outcome."""
    type(job).objects.filter(pk=job.pk).update(state=State.RUNNING, error="")
    try:
        pdf, fields = make()
    except DossierError as error:
        finish(job, state=State.FAILED, error=str(error))
        return
    except Exception:
        type(job).objects.filter(pk=job.pk).update(state=State.PENDING)
        raise
    name = job.file.field.generate_filename(job, name)
    job.file.storage.delete(name)
    job.file.save(name.rsplit("/", 1)[-1], ContentFile(pdf), save=False)
    finish(job, state=State.DONE, error="", **fields)


def _finish(job, **fields):
    job.finished_at = clock.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["state", "file", "pages", "warnings", "error", "finished_at"])


def _prune(job):
    """Keep the latest renders of an application; delete the files of older ones."""
    old = DossierRender.objects.filter(application_id=job.application_id).exclude(state__in=IN_FLIGHT)[KEEP_RENDERS:]
    for stale in old:
        if stale.file:
            stale.file.delete(save=False)
        stale.delete()


def wait(job, seconds):
    """Give a queued render up to ``seconds`` to finish, then return the row as it stands.

    A render queued behind another one still unfinished is not waited for: the worker renders one after another, so
    it could not be done in time, and the wait would only hold a web worker (20 dossiers asked at once held all four
    of `make bench-rush`'s for 10 s, and every other request waited behind them)."""
    deadline = time.monotonic() + seconds
    job.refresh_from_db()
    if job.state in IN_FLIGHT and _queued_behind_another(job):
        return expire_if_stale(job)
    while job.state in IN_FLIGHT and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        job.refresh_from_db()
    return expire_if_stale(job)


def _queued_behind_another(job):
    """Another render asked for before this one is unfinished (one older than STALE_AFTER is dead, not ahead)."""
    return (DossierRender.objects.filter(state__in=IN_FLIGHT, pk__lt=job.pk, created_at__gte=clock.now() - STALE_AFTER)
            .exists())


def expire_if_stale(job):
    if job.state in IN_FLIGHT and job.created_at < clock.now() - STALE_AFTER:
        job.state, job.error, job.finished_at = State.FAILED, STALE_ERROR, clock.now()
        job.save(update_fields=["state", "error", "finished_at"])
    return job


def expire_stale_renders():
    """Scheduled: renders left unfinished for STALE_AFTER are failed, so that nobody waits on them."""
    return DossierRender.objects.filter(state__in=IN_FLIGHT, created_at__lt=clock.now() - STALE_AFTER).update(
        state=State.FAILED, error=STALE_ERROR, finished_at=clock.now()
    )


def visible_renders(user, consortium):
    """The renders of this consortium the user may fetch: frozen versions, and their own draft prints."""
    return DossierRender.objects.filter(application__consortium=consortium).filter(
        Q(version__isnull=False) | Q(requested_by=user)
    )


def printable(user, pk):
    """The consortium ``pk`` if the user may see it (Consortium.objects.visible_to), with its 申请书; else None."""
    return Consortium.objects.visible_to(user).select_related("lead_unit", "application").filter(pk=pk).first()
