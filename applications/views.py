from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import listing
from accounts.permissions import remember_signed_in, role_required
from accounts.roles import Role
from operations.once import once_per_token

from . import invitations, links, permissions, readiness, selectors, services, snapshot
from .choices import EDITOR_PARTS, RegistrationStatus, Status
from .forms import RegistrationDecisionForm, RegistrationForm, StartApplicationForm, UnitRegistrationFields

# The site's home: each role's workbench lives behind it (the dashboards app, which comes later in the lifecycle).
HOME = "/"


@once_per_token
def register(request):
    if request.user.is_authenticated:
        return redirect(HOME)
    initial, problem = invitations.initial_from(request.GET.get("invite", ""))
    if problem and request.method != "POST":
        messages.warning(request, problem)
    form = RegistrationForm(request.POST or None, initial=initial)
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
            return remember_signed_in(request, redirect(HOME), user)
    return render(request, "applications/register.html", {"form": form})


@role_required(Role.APPLICANT)
@once_per_token
def registration_resubmit(request):
    registration = selectors.registration_of(request.user)
    if registration is None or registration.status != RegistrationStatus.REJECTED:
        return redirect(HOME)
    initial = {field: getattr(registration, field) for field in UnitRegistrationFields.UNIT_FIELDS}
    form = UnitRegistrationFields(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.resubmit_registration(request.user, form.unit_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已重新提交注册，请等待审核。")
            return redirect(HOME)
    return render(request, "applications/registration_resubmit.html", {"form": form, "registration": registration})


@role_required(Role.DISTRICT_REVIEWER)
def registration_queue(request):
    """Pending registrations, oldest first, 50 a page, each with the consortia that already list its code."""
    page = listing.paginate(request, selectors.pending_page(request.user))
    listed = selectors.declarations_of(request.user, [r.credit_code for r in page.object_list])
    return render(request, "applications/registration_queue.html", {
        "page": page, "registrations": [(r, listed.get(r.credit_code, [])) for r in page.object_list],
    })


@require_POST
@role_required(Role.DISTRICT_REVIEWER)
def registration_decide(request, pk):
    registration = selectors.registration_of(request.user, pk)
    if registration is None:
        raise Http404("没有找到该注册申请。")
    form = RegistrationDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("applications:registration_queue")
    reason = form.cleaned_data["reason"]
    try:
        if request.POST.get("decision") == "approve":
            services.approve_registration(registration.pk, request.user, reason=reason, request=request)
            messages.success(request, f"已通过“{registration.name}”的注册。")
        else:
            services.reject_registration(registration.pk, request.user, reason=reason, request=request)
            messages.success(request, f"已退回“{registration.name}”的注册，理由已告知申报单位。")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except PermissionDenied:
        raise Http404("没有找到该注册。") from None
    return redirect("applications:registration_queue")


@role_required(Role.APPLICANT)
@once_per_token
def start_application(request):
    ok, reason = services.may_start_application(request.user)
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
    allowed = permissions.for_page(request.user, consortium)
    return render(request, "applications/detail.html", {
        "application": application,
        "consortium": consortium,
        "memberships": consortium.current_members,
        "latest_version": application.versions.first(),
        "return_opinion": consortium.status_changes.filter(action__in=["district_return", "city_return"]).last(),
        "editable": allowed["can_edit"],
        "in_review": consortium.status in (Status.SUBMITTED, Status.DISTRICT_PASSED, Status.UNDER_APPRAISAL),
        "can_edit": allowed["can_edit"],
        "parts": EDITOR_PARTS,
        "completeness": readiness.completeness(snapshot.build(application)) if allowed["can_edit"] else {},
        "links": links.for_consortium(request.user, consortium),
        "sections": links.sections_for(request.user, consortium),
    })
