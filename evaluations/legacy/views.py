"""The system administrator's import of the consortia filed before the portal: upload → dry run → confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from accounts.permissions import role_required
from accounts.roles import Role

from ..models import ImportStatus
from . import checks, selectors, services, workbook
from .forms import WorkbookForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required(Role.SYSTEM_ADMIN)
def filed_import(request):
    form = WorkbookForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["workbook"]
        batch, plan = services.dry_run(uploaded.read(), uploaded.name, request.user, request=request)
        return redirect("evaluations:filed_import_batch", pk=batch.pk)
    return render(request, "evaluations/filed_import.html", {"form": form, "imports": selectors.recent_imports()})


@role_required(Role.SYSTEM_ADMIN)
def filed_import_batch(request, pk):
    batch = selectors.batch(pk)
    if batch is None:
        raise Http404("没有找到该导入文件。")
    if request.method == "POST" and batch.status == ImportStatus.CHECKED:
        try:
            batch, consortia = services.confirm(batch.pk, request.user, request=request)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已导入 {len(consortia)} 个创新联合体。")
        return redirect("evaluations:filed_import_batch", pk=pk)
    findings = batch.findings
    errors = [f for f in findings if f["severity"] == checks.ERROR]
    return render(request, "evaluations/filed_import_batch.html", {
        "batch": batch, "findings": findings, "errors": len(errors), "warnings": len(findings) - len(errors),
        "imported": selectors.imported_consortia(batch) if batch.status == ImportStatus.IMPORTED else [],
    })


@role_required(Role.SYSTEM_ADMIN)
def filed_import_template(request):
    response = HttpResponse(workbook.template(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "创新联合体历史备案导入模板.xlsx")
    return response
