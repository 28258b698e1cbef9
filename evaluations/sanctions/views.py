"""Revocation and its printed decision; units and their bans."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.permissions import role_required
from accounts.roles import Role
from applications import workflow
from applications.choices import Status
from operations import clock
from operations.once import once_per_token

from .. import documents, permissions, rules, web
from ..grading import selectors as grading_selectors
from . import selectors, services
from .forms import BanForm, LiftBanForm, RevokeForm


@role_required(Role.MUNICIPAL_STAFF)
def revoke(request, pk):
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    allowed = permissions.for_page(request.user, consortium)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke(consortium.pk, request.user, form.cleaned_data["opinion"], request=request)
        except workflow.TransitionError as error:
            web.refused(request, error, consortium)
        else:
            messages.success(request, f"已取消“{consortium.name}”的市级创新联合体资格，牵头单位 3 年内不得牵头或参与创新联合体。")
            return redirect("evaluations:consortium", pk=pk)
    starts_on, ends_on = rules.ban_period(clock.today())
    return render(request, "evaluations/revoke.html", {
        "consortium": consortium, "form": form, "allowed": allowed["can_revoke"], "reason": allowed["revoke_reason"],
        "grades": grading_selectors.grade_history(consortium), "ban_starts_on": starts_on, "ban_ends_on": ends_on,
    })


@role_required(*web.READERS)
def revocation_notice(request, pk):
    consortium = web.consortium_or_404(request, pk, statuses=[Status.REVOKED])
    revocation = getattr(consortium, "revocation", None)
    if revocation is None:
        raise Http404("没有找到取消资格决定。")
    return web.printed(request, documents.revocation_notice_document(revocation), consortium,
                       filename=f"取消资格决定-{consortium.name}.pdf", target=f"创新联合体 {pk} 取消资格决定",
                       back_url=reverse("evaluations:consortium", args=[pk]))


@role_required(*web.READERS)
def unit(request, pk):
    found = selectors.unit(request.user, pk)
    if found is None:
        raise Http404("没有找到该单位。")
    today = clock.today()
    bans = selectors.bans_of(found)
    return render(request, "evaluations/unit.html", {
        "unit": found, "bans": [(ban, ban.in_force(today)) for ban in bans], "memberships": selectors.unit_memberships(request.user, found),
        "is_staff": request.user.role == Role.MUNICIPAL_STAFF, "today": today,
    })


@role_required(Role.MUNICIPAL_STAFF)
def bans(request):
    active_only = request.GET.get("active") == "1"
    page = web.page_of(request, selectors.bans(active_only))
    today = clock.today()
    return render(request, "evaluations/bans.html", {
        "page": page, "rows": [(ban, ban.in_force(today)) for ban in page.object_list], "active_only": active_only,
    })


@role_required(Role.MUNICIPAL_STAFF)
@once_per_token
def ban_new(request):
    form = BanForm(request.POST or None, initial=BanForm.initial_for(request.GET.get("code", "")[:18]))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ban = services.record_ban(request.user, credit_code=data["credit_code"], unit_name=data["unit_name"],
                                      unit_kind=data["unit_kind"], reason=data["reason"], starts_on=data["starts_on"],
                                      ends_on=data["ends_on"], request=request)
        except ValidationError as error:
            web.errors_to(form, error)
        else:
            messages.success(request, f"已记录：{ban.sentence}")
            return redirect("evaluations:unit", pk=ban.unit_id)
    return render(request, "evaluations/ban_new.html", {"form": form})


@role_required(Role.MUNICIPAL_STAFF)
def ban_lift(request, ban_id):
    """Lifting a ban takes two officers: one proposes with a reason, a different one confirms (or either withdraws)."""
    ban = selectors.ban(ban_id)
    if ban is None:
        raise Http404("没有找到该限制记录。")
    proposing = request.method == "POST" and not ({"confirm", "withdraw"} & set(request.POST))
    form = LiftBanForm(request.POST if proposing else None)
    if request.method == "POST":
        try:
            if "confirm" in request.POST:
                services.confirm_lift(ban.pk, request.user, request=request)
                messages.success(request, f"已确认解除{ban.unit.name}的限制，自今日起生效。")
                return redirect("evaluations:unit", pk=ban.unit_id)
            if "withdraw" in request.POST:
                services.withdraw_lift(ban.pk, request.user, request=request)
                messages.success(request, f"已撤回解除{ban.unit.name}限制的申请，限制继续有效。")
                return redirect("evaluations:unit", pk=ban.unit_id)
            if form.is_valid():
                services.lift_ban(ban.pk, request.user, form.cleaned_data["reason"], request=request)
                messages.success(request, f"已提出解除{ban.unit.name}的限制，须另一名工作人员确认后生效；确认前限制仍然有效。")
                return redirect("evaluations:unit", pk=ban.unit_id)
        except ValidationError as error:
            if proposing:
                web.errors_to(form, error)
            else:
                messages.error(request, "；".join(error.messages))
    return render(request, "evaluations/ban_lift.html", {
        "ban": ban, "form": form, "in_force": ban.in_force(), "may_confirm": ban.lift_proposed_by_id not in (None, request.user.pk),
    })
