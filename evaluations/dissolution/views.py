"""The lead asks to dissolve; the city dissolves or returns the request."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from applications import workflow

from .. import permissions, web
from ..forms_common import DecisionForm
from ..support.services import running_projects
from . import selectors, services
from .forms import DissolutionRequestForm


@role_required(*web.READERS)
def dissolution(request, pk):
    consortium = web.consortium_or_404(request, pk)
    allowed = permissions.for_page(request.user, consortium)
    request_form = DissolutionRequestForm(request.POST if "reason" in request.POST else None)
    decision_form = DecisionForm(request.POST if "action" in request.POST else None, steps=services.deciding_steps())
    if request.method == "POST":
        if request_form.is_bound and request_form.is_valid() and allowed["can_request_dissolution"]:
            try:
                services.request_dissolution(consortium.pk, request.user, request_form.cleaned_data["reason"], request=request)
            except workflow.TransitionError as error:
                web.refused(request, error, consortium)
            else:
                messages.success(request, "解散申请已提交，等待市科技局办理。")
                return redirect("evaluations:dissolution", pk=pk)
        elif decision_form.is_bound and decision_form.is_valid() and allowed["can_decide_dissolution"]:
            action = decision_form.cleaned_data["action"]
            try:
                services.decide_dissolution(consortium.pk, request.user, action, decision_form.cleaned_data["opinion"], request=request)
            except workflow.TransitionError as error:
                web.refused(request, error, consortium)
            else:
                messages.success(request, f"已办理：{services.label(action)}。")
                return redirect("evaluations:dissolution", pk=pk)
        elif not (request_form.is_bound or decision_form.is_bound):
            raise PermissionDenied("您不能办理该解散申请。")
    return render(request, "evaluations/dissolution.html", {
        "consortium": consortium, "allowed": allowed, "request_form": request_form, "decision_form": decision_form,
        "requests": selectors.dissolution_requests(consortium), "pending": services.pending_dissolution(consortium),
        "running": running_projects(consortium),
    })
