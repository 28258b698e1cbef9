from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.roles import Role
from applications import diff, readiness, snapshot, workflow
from applications.choices import Status
from applications.dossier.errors import FontMissing
from applications.models import Consortium
from operations.files import protected_file_response

from . import notice, rules, selectors, services
from .filters import QueueFilter
from .forms import (
    AddExpertForm,
    BatchPassForm,
    ConflictForm,
    CriteriaFormSet,
    DecisionForm,
    DistrictReviewForm,
    RoundForm,
    ScoreForm,
)
from .models import RoundEntry

STAFF = (Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF)


@role_required(Role.DISTRICT_REVIEWER)
def district_queue(request):
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = Status.SUBMITTED
    queue = QueueFilter(params, queryset=selectors.queue(request.user))
    waiting = [c for c in queue.qs if c.status == Status.SUBMITTED]
    form = BatchPassForm(choices=waiting)
    if request.method == "POST":
        form = BatchPassForm(request.POST, choices=waiting)
        if form.is_valid():
            outcomes = services.batch_district_pass(form.cleaned_data["selected"], request.user, form.cleaned_data["opinion"], request)
            for outcome in outcomes:
                level = messages.SUCCESS if outcome.ok else messages.ERROR
                messages.add_message(request, level, f"{outcome.consortium.name}：{outcome.message}")
            return redirect(request.get_full_path())
    return render(request, "reviews/district_queue.html", {"filter": queue, "consortia": queue.qs, "form": form})


def _review_context(request, application):
    consortium = application.consortium
    versions = list(application.versions.all())
    latest = versions[0] if versions else None
    previous = versions[1] if len(versions) > 1 else None
    return {
        "application": application,
        "consortium": consortium,
        "content": snapshot.with_attachment_links(
            latest.content if latest else snapshot.build(application),
            lambda pk: reverse("applications:attachment", args=[pk]),
        ),
        "latest_version": latest,
        "changes": diff.compare(previous.content, latest.content) if previous else None,
        "previous_version": previous,
        "checks": readiness.run(application),
        "actions": {step.action for step in workflow.available_actions(request.user, consortium)},
        "versions": versions,
    }


@role_required(*STAFF)
def review(request, pk):
    application = selectors.review_application(request.user, pk)
    if application is None:
        raise Http404("没有找到该申请。")
    context = _review_context(request, application)
    consortium = application.consortium
    form = DistrictReviewForm()
    decision_form = DecisionForm(initial={"name": services.suggested_name(consortium)})
    if request.method == "POST":
        if request.POST.get("action") in services.DISTRICT_ACTIONS:
            form = DistrictReviewForm(request.POST)
            if form.is_valid():
                return _act(request, pk, lambda: services.district_review(
                    pk, request.user, form.cleaned_data["action"], form.cleaned_data["opinion"], request))
        else:
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid():
                data = decision_form.cleaned_data
                return _act(request, pk, lambda: services.decide(
                    pk, request.user, data["action"], data["opinion"], name=data["name"], request=request))
    entry = selectors.open_entry(consortium) if request.user.role == Role.MUNICIPAL_STAFF else None
    context.update(form=form, decision_form=decision_form, entry=entry, add_expert_form=AddExpertForm(),
                   criteria=selectors.active_criteria())
    return render(request, "reviews/review.html", context)


def _act(request, pk, action):
    try:
        consortium = action()
    except workflow.TransitionError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except PermissionDenied:
        raise Http404("没有找到该申请。") from None
    else:
        messages.success(request, f"已办理：{consortium.name}，当前状态“{consortium.get_status_display()}”。")
    return redirect("reviews:review", pk=pk)


@role_required(Role.MUNICIPAL_STAFF)
def city_queue(request):
    waiting = list(selectors.awaiting_appraisal(request.user))
    form = RoundForm(choices=waiting)
    if request.method == "POST":
        form = RoundForm(request.POST, choices=waiting)
        if form.is_valid():
            data = form.cleaned_data
            appraisal_round, outcomes = services.create_round(data["title"], data["selected"], list(data["experts"]),
                                                               request.user, request=request)
            for outcome in outcomes:
                level = messages.SUCCESS if outcome.ok else messages.ERROR
                messages.add_message(request, level, f"{outcome.consortium.name}：{outcome.message}")
            return redirect("reviews:city_queue")
    return render(request, "reviews/city_queue.html", {
        "waiting": waiting, "form": form, "entries": selectors.entries_in_progress(),
    })


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
def add_expert(request, entry_id):
    entry = get_object_or_404(RoundEntry.objects.visible_to(request.user).select_related("consortium"), pk=entry_id, decided_at__isnull=True)
    form = AddExpertForm(request.POST)
    if form.is_valid():
        try:
            services.assign_expert(entry, form.cleaned_data["expert"], request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已分配专家{form.cleaned_data['expert'].display_name}。")
    else:
        messages.error(request, "请选择专家。")
    return redirect("reviews:review", pk=entry.consortium_id)


@role_required(Role.MUNICIPAL_STAFF)
def criteria(request):
    formset = CriteriaFormSet(request.POST or None)
    if request.method == "POST" and formset.is_valid():
        formset.save()
        messages.success(request, "评分项与权重已保存；已提交的评分保留提交时的权重。")
        return redirect("reviews:criteria")
    return render(request, "reviews/criteria.html", {"formset": formset})


@role_required(Role.EXPERT)
def assignment(request, pk):
    task = get_object_or_404(selectors.expert_assignments(request.user), pk=pk)
    if task.conflict_declared:
        raise Http404("您已声明回避。")
    criteria = selectors.active_criteria()
    form = ScoreForm(criteria=criteria)
    conflict_form = ConflictForm()
    if request.method == "POST":
        if "declare_conflict" in request.POST:
            conflict_form = ConflictForm(request.POST)
            if conflict_form.is_valid():
                try:
                    services.declare_conflict(task, request.user, conflict_form.cleaned_data["reason"])
                except ValidationError as error:
                    messages.error(request, "；".join(error.messages))
                else:
                    messages.success(request, "已声明回避，市科技局将另行安排专家。")
                    return redirect("dashboards:expert")
        else:
            form = ScoreForm(request.POST, criteria=criteria)
            if form.is_valid():
                try:
                    services.submit_scores(task.pk, request.user, form.values(), form.cleaned_data["comment"])
                except ValidationError as error:
                    messages.error(request, "；".join(error.messages))
                else:
                    messages.success(request, "评分已提交。")
                    return redirect("reviews:assignment", pk=pk)
    entry = task.entry
    application = snapshot.queryset().prefetch_related("versions").get(consortium=entry.consortium)
    version = application.versions.get(number=entry.version_number)
    may_see, reason = rules.may_see_other_scores(task)
    others = []
    if may_see:
        others = [a for a in entry.assignments.prefetch_related("scores__criterion") if a.pk != task.pk and a.submitted_at]
    return render(request, "reviews/assignment.html", {
        "task": task, "entry": entry, "version": version, "form": form,
        "content": snapshot.with_attachment_links(
            version.content, lambda pk: reverse("reviews:assignment_attachment", args=[task.pk, pk])),
        "conflict_form": conflict_form, "others": others, "others_hidden_reason": reason,
        "my_scores": task.scores.select_related("criterion") if task.submitted_at else [],
    })


@role_required(Role.EXPERT)
def assignment_attachment(request, pk, attachment_id):
    """Experts read the attachments of what is assigned to them, and nothing else."""
    task = get_object_or_404(selectors.expert_assignments(request.user), pk=pk, conflict_declared=False)
    attachment = get_object_or_404(task.entry.consortium.attachments, pk=attachment_id)
    return protected_file_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)




@role_required(Role.APPLICANT, *STAFF)
def filing_notice(request, pk):
    """备案通知书 of a filed consortium, for its lead unit and the reviewers in scope."""
    consortium = (
        Consortium.objects.visible_to(request.user).select_related("lead_unit").filter(pk=pk, record_number__isnull=False).first()
    )
    if consortium is None:
        raise Http404("没有找到该备案。")
    try:
        pdf = notice.render(consortium)
    except FontMissing as error:
        messages.error(request, str(error))
        return redirect("applications:detail", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"备案通知书-{consortium.record_number}.pdf")
    return response
