"""Staff record and change the projects a consortium carries."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role
from applications.choices import Status

from .. import rules, web
from ..grading import selectors as grading_selectors
from . import selectors, services
from .forms import ProjectForm


@role_required(Role.MUNICIPAL_STAFF)
def project(request, pk, project_id=None):
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    existing = selectors.project(consortium, project_id) if project_id else None
    if project_id and existing is None:
        raise Http404("没有找到该项目。")
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_for(existing) if existing else None)
    if request.method == "POST" and form.is_valid():
        try:
            if existing:
                services.change_project(existing.pk, request.user, form.cleaned_data, request=request)
            else:
                services.record_project(consortium.pk, request.user, form.cleaned_data, request=request)
        except ValidationError as error:
            web.errors_to(form, error)
        else:
            messages.success(request, f"已{'修改' if existing else '登记'}承担项目“{form.cleaned_data['name']}”。")
            return redirect("evaluations:consortium", pk=pk)
    return render(request, "evaluations/project.html", {
        "consortium": consortium, "form": form, "existing": existing,
        "recommended": rules.recommended(grading_selectors.graded_years(consortium)),
    })
