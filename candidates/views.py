"""The 培育库's pages: the list (a district its own, the city all), a candidate, and its actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import listing
from accounts.permissions import role_required
from accounts.roles import Role
from operations.once import once_per_token

from . import phrases, selectors, services
from .choices import BEFORE_APPLYING, CandidateStatus, Origin
from .forms import CandidateForm, DropForm, FilterForm

STAFF = (Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF)


@role_required(*STAFF)
def candidate_list(request):
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = listing.paginate(request, selectors.candidates(request.user, status=chosen.get("status", ""), q=chosen.get("q", "")))
    counts = selectors.status_counts(request.user)
    return render(request, "candidates/list.html", {
        "page": page, "filters": filters, "chosen": chosen, "counts": counts, "total": sum(n for _, _, n in counts),
    })


@role_required(*STAFF)
@once_per_token
def candidate_new(request):
    form = CandidateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.add_candidate(request.user, form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已将“{candidate.name}”列入培育库。")
            return redirect("candidates:detail", pk=candidate.pk)
    return render(request, "candidates/form.html", {"form": form, "title": "新增培育对象"})


def _candidate_or_404(request, pk):
    candidate = selectors.candidate(request.user, pk)
    if candidate is None:
        raise Http404("没有找到该培育对象。")
    return candidate


@role_required(*STAFF)
def candidate_detail(request, pk):
    candidate = _candidate_or_404(request, pk)
    before_applying = candidate.status in BEFORE_APPLYING
    return render(request, "candidates/detail.html", {
        "candidate": candidate,
        "may_invite": before_applying and not (candidate.unit_id and candidate.unit.is_registered),
        "may_drop": before_applying,
        "may_resume": candidate.status == CandidateStatus.DROPPED,
        "may_mark_city_led": request.user.role == Role.MUNICIPAL_STAFF and candidate.origin != Origin.CITY,
        "drop_form": DropForm(),
        "registration_pending": candidate.unit_id is None and selectors.registration_pending(candidate),
    })


@role_required(*STAFF)
def candidate_edit(request, pk):
    candidate = _candidate_or_404(request, pk)
    if candidate.status in (CandidateStatus.APPLIED, CandidateStatus.FILED):
        messages.info(request, phrases.NOT_EDITABLE)
        return redirect("candidates:detail", pk=candidate.pk)
    form = CandidateForm(request.POST or None, user=request.user, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_candidate(candidate.pk, request.user, form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已保存。")
            return redirect("candidates:detail", pk=candidate.pk)
    return render(request, "candidates/form.html", {"form": form, "title": f"修改培育对象：{candidate.name}", "candidate": candidate})


def _act(request, pk, action, done):
    candidate = _candidate_or_404(request, pk)
    try:
        action(candidate)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done.format(name=candidate.name, email=candidate.contact_email))
    return redirect("candidates:detail", pk=candidate.pk)


@require_POST
@role_required(*STAFF)
def candidate_invite(request, pk):
    return _act(request, pk, lambda c: services.invite(c.pk, request.user, request=request),
                "已向 {email} 发送注册邀请，链接打开后将预先填好“{name}”的注册信息。")


@require_POST
@role_required(*STAFF)
def candidate_drop(request, pk):
    form = DropForm(request.POST)
    if not form.is_valid():
        _candidate_or_404(request, pk)
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("candidates:detail", pk=pk)
    return _act(request, pk, lambda c: services.drop(c.pk, request.user, form.cleaned_data["reason"], request=request),
                "“{name}”已标记为不再跟进。")


@require_POST
@role_required(*STAFF)
def candidate_resume(request, pk):
    return _act(request, pk, lambda c: services.resume(c.pk, request.user, request=request), "“{name}”已恢复培育。")


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
def candidate_city_led(request, pk):
    return _act(request, pk, lambda c: services.mark_city_led(c.pk, request.user, request=request), "“{name}”已标记为市级主导。")
