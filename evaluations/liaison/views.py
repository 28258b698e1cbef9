"""The city chooses a consortium's 科技联络员."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applications import workflow
from applications.choices import Status

from .. import web
from . import services
from .forms import LiaisonForm


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
def assign_liaison(request, pk):
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    form = LiaisonForm(request.POST)
    if form.is_valid():
        try:
            services.assign_liaison(consortium.pk, request.user, form.cleaned_data["officer"], note=form.cleaned_data["note"], request=request)
        except (workflow.TransitionError, ValidationError) as error:
            web.refused(request, error, consortium)
        else:
            messages.success(request, f"已选派{form.cleaned_data['officer'].display_name}为科技联络员。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("evaluations:consortium", pk=pk)
