from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role

from . import readiness, rules, selectors, services, snapshot
from .choices import EDITABLE_STATUSES, Part, RegistrationStatus, Status
from .forms import RegistrationDecisionForm, RegistrationForm, StartApplicationForm, UnitRegistrationFields
from .models import Unit


def register(request):
    if request.user.is_authenticated:
        return redirect("dashboards:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.register_unit(
                unit_data=form.unit_data(), user_data=form.user_data(),
                password=form.cleaned_data["password1"], request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user)  # the one backend in settings.AUTHENTICATION_BACKENDS
            messages.success(request, "注册已提交，请等待所在辖市区科技部门审核。审核通过后即可在线填报备案申请书。")
            return redirect("dashboards:home")
    return render(request, "applications/register.html", {"form": form})


@role_required(Role.APPLICANT)
def registration_resubmit(request):
    unit = request.user.unit
    if unit.registration_status != RegistrationStatus.REJECTED:
        return redirect("dashboards:home")
    initial = {field: getattr(unit, field) for field in UnitRegistrationFields.UNIT_FIELDS}
    form = UnitRegistrationFields(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.unit_data()
        if data["credit_code"] != unit.credit_code and Unit.objects.filter(credit_code=data["credit_code"]).exists():
            form.add_error("credit_code", "该统一社会信用代码已存在。")
        else:
            services.resubmit_registration(unit, data)
            messages.success(request, "已重新提交注册，请等待审核。")
            return redirect("dashboards:home")
    return render(request, "applications/registration_resubmit.html", {"form": form, "unit": unit})


@role_required(Role.DISTRICT_REVIEWER)
def registration_queue(request):
    units = selectors.pending_registrations(request.user)
    return render(request, "applications/registration_queue.html", {"units": units, "form": RegistrationDecisionForm()})


@require_POST
@role_required(Role.DISTRICT_REVIEWER)
def registration_decide(request, pk):
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
    form = RegistrationDecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if request.POST.get("decision") == "approve":
            services.approve_registration(unit.pk, request.user, reason=reason, request=request)
            messages.success(request, f"已通过“{unit.name}”的注册。")
        else:
            services.reject_registration(unit.pk, request.user, reason=reason, request=request)
            messages.success(request, f"已退回“{unit.name}”的注册，理由已告知申报单位。")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect("applications:registration_queue")


@role_required(Role.APPLICANT)
def start_application(request):
    ok, reason = rules.may_start_application(request.user)
    form = StartApplicationForm(request.POST or None)
    if request.method == "POST" and ok and form.is_valid():
        try:
            consortium = services.start_application(
                request.user, name=form.cleaned_data["name"], industry_field=form.cleaned_data["industry_field"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已创建备案申请书草稿，可随时暂存、分多次填写。")
            return redirect("applications:detail", pk=consortium.pk)
    return render(request, "applications/start.html", {"form": form, "allowed": ok, "reason": reason})


@role_required(Role.APPLICANT, Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF)
def consortium_detail(request, pk):
    try:
        application = selectors.application_for(request.user, pk)
    except selectors.NotFound:
        raise Http404("没有找到该申请。") from None
    consortium = application.consortium
    editable = consortium.status in EDITABLE_STATUSES
    can_edit = editable and request.user.role == Role.APPLICANT
    return render(request, "applications/detail.html", {
        "application": application,
        "consortium": consortium,
        "memberships": [m for m in consortium.memberships.all() if m.left_on is None],
        "latest_version": application.versions.first(),
        "return_opinion": consortium.status_changes.filter(action__in=["district_return", "city_return"]).last(),
        "editable": editable,
        "in_review": consortium.status in (Status.SUBMITTED, Status.DISTRICT_PASSED, Status.UNDER_APPRAISAL),
        "can_edit": can_edit,
        "parts": Part.choices,
        "completeness": readiness.completeness(snapshot.build(application)) if can_edit else {},
    })
