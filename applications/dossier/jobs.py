"""Dossier renders as DossierRender rows: requested, run (here or in a background thread), kept.

DOSSIER_RUNNER = "sync" renders inside the request (tests, `make run`). "thread" starts a daemon
thread once the row is committed and lets the request wait DOSSIER_WAIT_SECONDS: a quick render
is answered at once, a slow one continues while the progress page polls the row.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, connections, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import DossierRender
from . import render, source
from .errors import DossierError

logger = logging.getLogger(__name__)

State = DossierRender.State
IN_FLIGHT = (State.PENDING, State.RUNNING)
STALE_AFTER = timedelta(minutes=10)  # a thread lost with its process (restart) never finishes
KEEP_RENDERS = 5  # per application; older files are deleted
INTERNAL_ERROR = "生成失败：系统内部错误，请稍后重试；如仍失败请联系系统管理员。"
STALE_ERROR = "生成超时或服务已重启，请重新生成。"

_threads: dict[int, threading.Thread] = {}
# At most two renders at a time per process (one per core, ~300 MB each); the others wait as 排队中.
_slots = threading.BoundedSemaphore(2)


def request(application, user, *, copies=1, site_url=""):
    """A render of what this user may print; reuses a finished or running render of the same version."""
    resolved = source.resolve(application, user)
    existing = _reusable(application, resolved.version, copies, user)
    if existing is not None:
        return existing
    job = DossierRender.objects.create(
        application=application, version=resolved.version, copies=copies, requested_by=user,
    )
    if settings.DOSSIER_RUNNER == "sync":
        run(job.pk, site_url=site_url, resolved=resolved)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _start_thread(job.pk, site_url))
    return job


def _reusable(application, version, copies, user):
    renders = DossierRender.objects.filter(application=application, version=version, copies=copies)
    if version is None:  # a draft changes with every save: only an unfinished render of this user is reused
        renders = renders.filter(requested_by=user, state__in=IN_FLIGHT)
    recent = renders.filter(created_at__gte=timezone.now() - STALE_AFTER, state__in=IN_FLIGHT).first()
    if recent is not None:
        return recent
    done = renders.filter(state=State.DONE).exclude(file="").first()
    if done is not None and done.file.storage.exists(done.file.name):
        return done
    return None


def run(render_id, *, site_url="", resolved=None):
    """Render one requested dossier and record the outcome on its row; never raises."""
    job = DossierRender.objects.select_related("application__consortium", "version").get(pk=render_id)
    DossierRender.objects.filter(pk=job.pk).update(state=State.RUNNING)
    try:
        resolved = resolved or _source_of(job)
        result = render.render_source(resolved, copies=job.copies, site_url=site_url)
    except DossierError as error:
        _finish(job, state=State.FAILED, error=str(error))
    except Exception:
        logger.exception("dossier render %s failed", job.pk)
        _finish(job, state=State.FAILED, error=INTERNAL_ERROR)
    else:
        job.file.save(f"dossier-{job.application_id}-{job.pk}.pdf", ContentFile(result.pdf), save=False)
        _finish(job, state=State.DONE, pages=result.pages, warnings=result.warnings)
        _prune(job)


def _source_of(job):
    if job.version is not None:
        return source.DossierSource(job.application, job.version.content, job.version)
    return source.resolve(job.application, job.requested_by)


def _finish(job, **fields):
    job.finished_at = timezone.now()
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


def _start_thread(render_id, site_url):
    thread = threading.Thread(target=_run_in_thread, args=(render_id, site_url), name=f"dossier-{render_id}", daemon=True)
    _threads[render_id] = thread
    thread.start()


def _run_in_thread(render_id, site_url):
    close_old_connections()
    try:
        with _slots:
            run(render_id, site_url=site_url)
    except Exception:
        # The row could not even be read or marked: it stays in flight and expires as stale.
        logger.exception("dossier render %s could not start", render_id)
    finally:
        _threads.pop(render_id, None)
        connections.close_all()


def wait(job, seconds):
    """Give a background render up to ``seconds`` to finish, then return the row as it stands."""
    thread = _threads.get(job.pk)
    if thread is not None:
        thread.join(seconds)
    job.refresh_from_db()
    return expire_if_stale(job)


def expire_if_stale(job):
    if job.state in IN_FLIGHT and job.created_at < timezone.now() - STALE_AFTER:
        job.state, job.error, job.finished_at = State.FAILED, STALE_ERROR, timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])
    return job


def visible_renders(user, consortium):
    """The renders of this consortium the user may fetch: frozen versions, and their own draft prints."""
    return DossierRender.objects.filter(application__consortium=consortium).filter(
        Q(version__isnull=False) | Q(requested_by=user)
    )
