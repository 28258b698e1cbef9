"""The city chooses a consortium's 科技联络员; the 科技联络员 and the district record their work on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applications import workflow
from applications.choices import Status
from operations import clock
from operations.once import once_per_token

from .. import permissions, web
from . import services
from .forms import FollowUpFormSet, LiaisonForm, LiaisonOpinionForm, WorkRecordForm, follow_ups_of


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


@role_required(Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER)
@once_per_token
def work_new(request, pk):
    """Record a visit, meeting or coordination item with its follow-ups: the 科技联络员 and the district's staff."""
    consortium = web.consortium_or_404(request, pk)
    allowed, reason = permissions.work_rights(request.user, consortium)
    if not allowed:
        raise PermissionDenied(reason)
    form = WorkRecordForm(request.POST or None, initial={"happened_on": clock.today()})
    follow_ups = FollowUpFormSet(request.POST or None, prefix="follow")
    if request.method == "POST" and all([form.is_valid(), follow_ups.is_valid()]):
        try:
            record = services.record_work(consortium.pk, request.user, form.cleaned_data, follow_ups_of(follow_ups), request=request)
        except ValidationError as error:
            web.errors_to(form, error)
        else:
            messages.success(request, f"已记录{record.get_kind_display()}（{record.happened_on:%Y-%m-%d}）。")
            return redirect(f"{reverse('evaluations:consortium', args=[pk])}#work")
    return render(request, "evaluations/work_new.html", {"consortium": consortium, "form": form, "follow_ups": follow_ups})


@require_POST
@role_required(Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER)
def follow_up(request, follow_up_id):
    done = request.POST.get("done") == "1"
    try:
        item = services.set_follow_up(follow_up_id, request.user, done, request=request)
    except PermissionDenied:
        raise Http404("没有找到该跟进事项。") from None
    messages.success(request, f"“{item.task}”已标记为{'已完成' if done else '未完成'}。")
    return redirect(_back(request, reverse("evaluations:consortium", args=[item.record.consortium_id]) + "#work"))


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
def liaison_opinion(request, pk):
    """The 科技联络员's opinion on a member change, a dissolution request or a year's evaluation (optional)."""
    consortium = web.consortium_or_404(request, pk)
    form = LiaisonOpinionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.write_opinion(consortium.pk, request.user, data["about"], data["subject_id"], data["text"], request=request)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "已保存科技联络员意见。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect(_back(request, reverse("evaluations:consortium", args=[pk])))


def _back(request, default):
    """The page the form was on (a path of this site only), else ``default``."""
    target = request.POST.get("next", "")
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/") else default
