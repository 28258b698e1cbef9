"""Staff record and change the projects a consortium carries."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role
from applications.choices import Status
from operations import clock
from operations.once import once_per_token

from .. import rules, web
from ..choices import DISTRICT_SUPPORT_KINDS
from ..grading import selectors as grading_selectors
from . import selectors, services
from .forms import ProjectForm, SupportRecordForm


def _saved(request, form, consortium, existing, record, change):
    """Record a new row (``record``) or change ``existing`` (``change``) from the valid form; a refusal of the use case
    is shown beside the form's fields (False)."""
    try:
        if existing:
            change(existing.pk, request.user, form.cleaned_data, request=request)
        else:
            record(consortium.pk, request.user, form.cleaned_data, request=request)
    except ValidationError as error:
        web.errors_to(form, error)
        return False
    return True


@role_required(Role.MUNICIPAL_STAFF)
@once_per_token
def project(request, pk, project_id=None):
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    existing = selectors.project(consortium, project_id) if project_id else None
    if project_id and existing is None:
        raise Http404("没有找到该项目。")
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_for(existing) if existing else None)
    if request.method == "POST" and form.is_valid() and _saved(request, form, consortium, existing, services.record_project,
                                                                 services.change_project):
        messages.success(request, f"已{'修改' if existing else '登记'}承担项目“{form.cleaned_data['name']}”。")
        return redirect("evaluations:consortium", pk=pk)
    return render(request, "evaluations/project.html", {
        "consortium": consortium, "form": form, "existing": existing,
        "recommended": rules.recommended(grading_selectors.graded_years(consortium)),
    })


@role_required(Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER)
@once_per_token
def support(request, pk, record_id=None):
    """Record (or change) support a filed consortium received: the city any kind, a district bureau its own 资助."""
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    existing = selectors.support_record(request.user, consortium, record_id) if record_id else None
    if record_id and existing is None:
        raise Http404("没有找到该支持记录。")
    may, reason = services.may_record_support(request.user, existing.kind if existing else None)
    if not may:
        raise PermissionDenied(reason)
    kinds = DISTRICT_SUPPORT_KINDS if request.user.role == Role.DISTRICT_REVIEWER else None
    initial = SupportRecordForm.initial_for(existing) if existing else {
        "year": clock.today().year,
        "granting_body": request.user.bureau.name if kinds and request.user.bureau_id else "",
    }
    form = SupportRecordForm(request.POST or None, initial=initial, consortium=consortium, kinds=kinds)
    if request.method == "POST" and form.is_valid() and _saved(request, form, consortium, existing, services.record_support,
                                                                 services.change_support):
        messages.success(request, f"已{'修改' if existing else '登记'}支持记录。")
        return redirect("evaluations:consortium", pk=pk)
    return render(request, "evaluations/support.html", {"consortium": consortium, "form": form, "existing": existing})
