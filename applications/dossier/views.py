"""Download of the printed dossier, its progress page, and the public verification page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import audit
from applications import audit_actions as applications_actions
from operations.files import protected_file_response

from . import jobs, verification
from .render import COPY_CHOICES


def _consortium(user, pk):
    """Only what Consortium.objects.visible_to lets this user see; anything else is a 404."""
    consortium = jobs.printable(user, pk)
    if consortium is None:
        raise Http404("没有找到该创新联合体。")
    return consortium


def _render_of(user, pk, render_id):
    consortium = _consortium(user, pk)
    job = get_object_or_404(jobs.visible_renders(user, consortium).select_related("version"), pk=render_id)
    return consortium, jobs.expire_if_stale(job)


def _site_url(request):
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


@require_POST
@login_required
def request_dossier(request, pk):
    consortium = _consortium(request.user, pk)
    application = consortium.application
    copies = max(COPY_CHOICES) if request.POST.get("copies") == str(max(COPY_CHOICES)) else 1
    job = jobs.request(application, request.user, copies=copies, site_url=_site_url(request))
    job = jobs.wait(job, settings.DOSSIER_WAIT_SECONDS)
    if job.state == job.State.DONE and not job.warnings:
        return redirect("dossier:download", pk=consortium.pk, render_id=job.pk)
    return redirect("dossier:progress", pk=consortium.pk, render_id=job.pk)


@login_required
def progress(request, pk, render_id):
    consortium, job = _render_of(request.user, pk, render_id)
    context = {
        "consortium": consortium, "job": job, "in_flight": job.state in jobs.IN_FLIGHT,
        "download_url": reverse("dossier:download", kwargs={"pk": consortium.pk, "render_id": job.pk}),
    }
    return render(request, "dossier/progress.html", context)


@login_required
def download(request, pk, render_id):
    consortium, job = _render_of(request.user, pk, render_id)
    if job.state != job.State.DONE or not job.file:
        return redirect("dossier:progress", pk=consortium.pk, render_id=job.pk)
    name = download_name(consortium, job)
    response = protected_file_response(job.file, filename=name, content_type="application/pdf",
                                       missing_message="文件已被清理，请重新生成。")
    audit.record(applications_actions.DOSSIER_DOWNLOAD, request=request, target=f"创新联合体 {consortium.pk} 申请书打印文件 {job.pk}",
                 detail=name)
    return response


def download_name(consortium, job):
    edition = f"第{job.version.number}版" if job.version else "草稿"
    copies = "-一式三份" if job.copies > 1 else ""
    return f"{consortium.name}-备案申请书-{edition}{copies}.pdf"


def verify_form(request):
    typed = request.GET.get("code", "").strip()
    if typed:
        digits = verification.normalize(typed)
        if digits is not None:
            return redirect("dossier:verify", code=verification.code_for(digits))
        return render(request, "dossier/verify.html", {"version": None, "asked": True, "code": typed[:40]}, status=404)
    return render(request, "dossier/verify.html", {"version": None, "asked": False})


def verify(request, code):
    version = verification.find_version(code)
    if version is None:
        document = verification.find_document(code)
        if document is not None:
            return render(request, "dossier/verify.html", {"version": None, "asked": True, "code": document.code, "document": document})
        return render(request, "dossier/verify.html", {"version": None, "asked": True, "code": code}, status=404)
    consortium = version.application.consortium
    printed = version.content.get("consortium", {})  # the names as the paper shows them
    context = {
        "asked": True, "version": version, "code": verification.code_for(version.sha256),
        "consortium_name": printed.get("name") or consortium.name, "current_name": consortium.name,
        "lead_unit": printed.get("lead_unit") or consortium.lead_unit.name,
        "version_date": version.submitted_at, "status": consortium.get_status_display(),
    }
    return render(request, "dossier/verify.html", context)
