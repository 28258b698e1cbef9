"""The lead asks for a member change; the city records or returns it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role
from applications import readiness, workflow
from applications.choices import Status
from operations import clock
from operations.once import once_per_token

from .. import flows, permissions, web
from ..forms_common import DecisionForm
from . import selectors, services
from .forms import MemberChangeForm


@role_required(Role.APPLICANT)
@once_per_token
def member_change_new(request, pk):
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    pending = services.pending_member_change(consortium)
    form = MemberChangeForm(request.POST or None, request.FILES or None, consortium=consortium)
    check = None
    if request.method == "POST" and pending is None:
        if form.is_valid():
            check = form.check()
        if check is not None and check.ok:
            data = form.cleaned_data
            try:
                services.request_member_change(
                    consortium.pk, request.user, effective_on=data["effective_on"], description=data["description"],
                    removals=[m.pk for m in data["removals"]], additions=form.additions_data(),
                    statement=data["shortfall_statement"], signatures=form.signatories.rows(), supplementary_agreement=data["supplementary_agreement"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error("supplementary_agreement", error)
            except workflow.TransitionError as error:
                web.refused(request, error, consortium)
            else:
                messages.success(request, "成员变更申请已提交，等待市科技局备案。")
                return redirect("evaluations:consortium", pk=pk)
        if request.FILES.get("supplementary_agreement") and "supplementary_agreement" not in form.errors:
            messages.warning(request, "请改正标红处。出于安全原因，浏览器不会保留已选择的文件，提交前请重新选择补充协议文件。")
    return render(request, "evaluations/member_change_new.html", {
        "consortium": consortium, "form": form, "formset": form.additions, "pending": pending, "check": check,
        "refusal": permissions.for_page(request.user, consortium)["request_member_change_reason"] if pending is None else "",
        "members": selectors.members_on(consortium, clock.today()),
        "member_warnings": readiness.member_warnings(
            [{"unit": {"name": row["unit_name"], "kind": row["unit_kind"], "credit_code": row["credit_code"]}}
             for row in form.additions_data()]) if form.is_bound and form.additions.is_valid() else {},
    })


@role_required(*web.READERS)
def member_change(request, change_id):
    change = selectors.member_change(request.user, change_id)
    if change is None:
        raise Http404("没有找到该成员变更。")
    consortium = change.consortium
    steps = flows.MEMBER_CHANGE.available_steps(request.user, consortium, change)
    decidable = bool(steps)
    form = DecisionForm(request.POST or None, steps=steps)
    if request.method == "POST" and decidable and form.is_valid():
        try:
            services.decide_member_change(consortium.pk, request.user, form.cleaned_data["action"], form.cleaned_data["opinion"],
                                          change_id=change.pk, request=request)
        except workflow.TransitionError as error:
            web.refused(request, error, consortium)
        else:
            messages.success(request, f"已办理成员变更：{flows.MEMBER_CHANGE.labels[form.cleaned_data['action']]}。")
            return redirect("evaluations:consortium", pk=consortium.pk)
    items = list(change.items.all())
    check = services.check_recorded_change(change) if change.status == "pending" else None
    return render(request, "evaluations/member_change.html", {
        "consortium": consortium, "change": change, "form": form, "decidable": decidable, "check": check,
        "additions": [i for i in items if i.action == "add"], "removals": [i for i in items if i.action == "remove"],
        "warnings": readiness.member_warnings(
            [{"unit": {"name": i.unit_name, "kind": i.unit_kind, "credit_code": i.credit_code}} for i in items if i.action == "add"]),
    })
