"""The annual report: written by the lead until submitted, then read (and printed) from its frozen content."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.permissions import role_required
from accounts.roles import Role
from applications import editing
from applications.choices import Status
from evaluations import audit_actions as evaluations_actions
from operations import clock
from operations.once import once_per_token

from .. import documents, permissions, rules, web
from ..choices import FIGURE_GROUPS, FIGURES, REPORT_TEXTS
from . import selectors, services
from .forms import ReportForm, TargetProgressFormSet


def _report_forms(report, data=None):
    initial = {name: getattr(report, name) for name in FIGURES + REPORT_TEXTS}
    progress = [{"state": row["state"], "note": row["note"]} for row in report.target_progress]
    return ReportForm(data, initial=initial), TargetProgressFormSet(data, prefix="targets", initial=progress)


def _report_data(form, progress):
    return {**form.cleaned_data, "progress": [f.cleaned_data or {"state": "", "note": ""} for f in progress.forms]}


def _editor_context(consortium, report, form, progress, lock_version):
    previous = services.previous_report(consortium, report.year)
    previous_values = {name: getattr(previous, name) for name in FIGURES} if previous else {}
    groups = [(group, [(form[name], previous_values.get(name), rules.change_between(getattr(report, name), previous_values.get(name)))
                       for name in names]) for group, names in FIGURE_GROUPS]
    return {
        "consortium": consortium, "report": report, "form": form, "progress": progress, "lock_version": lock_version,
        "groups": groups, "previous": previous, "targets": list(zip(report.target_progress, progress.forms)),
        "due_on": rules.report_due_on(report.year), "overdue": rules.report_due_on(report.year) < clock.today(),
        "missing": services.missing_for_submission(report),
        "texts": [form[name] for name in REPORT_TEXTS],
    }


@role_required(*web.READERS)
def report_page(request, pk, year):
    """The lead writes the report here until it is submitted; afterwards everyone in scope reads the frozen one."""
    year = web.report_year(year)
    consortium = web.consortium_or_404(request, pk)
    report = selectors.report(request.user, consortium, year)
    is_lead = request.user.role == Role.APPLICANT
    if report is None:
        if not is_lead:
            raise Http404("该年度报告尚未报送。")
        ok, reason = rules.may_write_report(year, consortium.filed_on, clock.today())
        return render(request, "evaluations/report_start.html", {
            "consortium": consortium, "year": year, "may_start": ok and consortium.status == Status.FILED, "reason": reason,
            "due_on": rules.report_due_on(year),
        })
    if report.is_submitted or not is_lead or consortium.status != Status.FILED:
        if not report.is_submitted:
            raise Http404("该年度报告尚未报送。")
        if request.user.role in (Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER):
            audit.record(evaluations_actions.REPORT_OPENED, request=request, target=f"创新联合体 {pk} {year} 年度报告",
                         detail=f"{consortium.name} {year} 年度运行情况总结和下一年度工作计划")
        return render(request, "evaluations/report.html", {
            "consortium": consortium, "report": report, "content": report.content,
            "evaluation": selectors.evaluation_of(consortium, year),
            "can_grade": "evaluate" in permissions.offered(request.user, consortium),
            "late": clock.localdate(report.submitted_at) > rules.report_due_on(year),
        })
    status = 200
    lock_version = report.lock_version
    if request.method == "POST":
        form, progress = _report_forms(report, request.POST)
        lock_version = editing.version(request.POST)
        try:
            written, status = editing.save_draft(
                request, [form, progress],
                save=lambda loaded: services.save_report(report.pk, request.user, loaded, _report_data(form, progress), request=request),
                keep=lambda typed: services.keep_report_input(report.pk, request.user, typed),
                saved=f"{year} 年度报告已暂存。", then="报送",
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
            return redirect("evaluations:consortium", pk=pk)
        if written:
            return redirect("evaluations:report", pk=pk, year=year)
        report.refresh_from_db()
    else:
        (form, progress), _ = editing.reopen(request, lambda data: _report_forms(report, data), kept=report.pending_input)
    context = _editor_context(consortium, report, form, progress, lock_version)
    return render(request, "evaluations/report_edit.html", context, status=status)


@require_POST
@role_required(Role.APPLICANT)
@once_per_token
def report_start(request, pk, year):
    year = web.report_year(year)
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    try:
        services.start_report(consortium.pk, request.user, year, request=request)
    except ValidationError as error:
        web.refused(request, error)
        return redirect("evaluations:consortium", pk=pk)
    return redirect("evaluations:report", pk=pk, year=year)


@require_POST
@role_required(Role.APPLICANT)
def report_submit(request, pk, year):
    year = web.report_year(year)
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    report = selectors.report(request.user, consortium, year)
    if report is None:
        raise Http404("没有找到该年度报告。")
    try:
        services.submit_report(report.pk, request.user, request=request)
    except ValidationError as error:
        web.refused(request, error)
        return redirect("evaluations:report", pk=pk, year=year)
    messages.success(request, f"{year} 年度运行情况总结和下一年度工作计划已报送，报送后不能再修改。")
    return redirect("evaluations:report", pk=pk, year=year)


@role_required(*web.READERS)
def report_pdf(request, pk, year):
    year = web.report_year(year)
    consortium = web.consortium_or_404(request, pk)
    report = selectors.report(request.user, consortium, year)
    if report is None or not report.is_submitted:
        raise Http404("该年度报告尚未报送。")
    return web.printed(request, documents.annual_report_document(report), consortium,
                       filename=f"{consortium.name}-{year}年度运行情况总结和下一年度工作计划.pdf",
                       target=f"创新联合体 {pk} {year} 年度报告", back_url=reverse("evaluations:report", args=[pk, year]))
