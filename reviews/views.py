"""The pages of 初审, 综合论证 and 备案: the queues, the review page, its decisions and the experts' scoring.

Over 400 lines on purpose: they follow reviews/services.py step by step, one page or action for each.
"""

from html import escape

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts import audit, listing
from accounts import audit_actions as accounts_actions
from accounts.permissions import role_required
from accounts.roles import Role
from accounts.scoped import Scoped
from applications import attachment_files, frozen, links, readiness, snapshot, workflow
from applications import services as application_services
from applications.choices import Status
from applications.dossier.errors import FontMissing
from applications.dossier.views import printed_document
from operations.files import protected_file_response
from operations.once import once_per_token
from operations.prepared import PreparedCount
from reviews import audit_actions as reviews_actions

from . import documents, recommendations, rules, scoring, selectors, services
from .filters import QueueFilter
from .forms import (
    AddExpertForm,
    BatchPassForm,
    ConflictForm,
    CriteriaFormSet,
    DecisionForm,
    DistrictReviewForm,
    DraftPrintingForm,
    RoundForm,
    ScoreForm,
)

STAFF = (Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF)


@role_required(Role.DISTRICT_REVIEWER)
def district_queue(request):
    """The district's queue, 50 a page; ticked applications are passed one by one, each outcome reported."""
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = Status.SUBMITTED
    queue = QueueFilter(params, queryset=selectors.queue(request.user))
    if set(request.GET) <= {"page"}:  # the queue as it opens (those waiting for 初审): its prepared count and pages
        user = request.user
        page = listing.paginate(request, listing.PreparedRows(lambda: _SUBMITTED_COUNT(user), lambda part: _SUBMITTED_PAGE(user, part)))
    else:
        page = listing.paginate(request, queue.qs, values=listing.keys(DISTRICT_COLUMNS))
    form = BatchPassForm()  # the consortia it may pass are asked only when it is sent (its boxes are the table's)
    if request.method == "POST":
        form = BatchPassForm(request.POST, queryset=selectors.visible_consortia(request.user))
        if form.is_valid():
            chosen = [consortium.pk for consortium in form.cleaned_data["selected"]]
            outcomes = services.batch_district_pass(chosen, request.user, form.cleaned_data["opinion"], request)
            for outcome in outcomes:
                level = messages.SUCCESS if outcome.ok else messages.ERROR
                messages.add_message(request, level, f"{outcome.consortium.name}：{outcome.message}")
                if not outcome.ok:
                    application_services.record_refused_step(request, outcome.consortium, outcome.message)
            return redirect(request.get_full_path())
    ticked = {str(pk) for pk in form["selected"].value() or ()}
    tick = listing.Column("pk", "", badge=lambda row: _tick_box(row, ticked) if row["status"] == Status.SUBMITTED else "")
    return render(request, "reviews/district_queue.html", {
        "filter": queue, "page": page, "form": form,
        "queue": listing.table([tick, *DISTRICT_COLUMNS], links.flagged(page.object_list)),
    })


def _submitted(user):
    return selectors.queue(user).filter(status=Status.SUBMITTED)


def _submitted_page(user, part: slice):
    return _submitted(user).values(*listing.keys(DISTRICT_COLUMNS))[part]


_SUBMITTED_COUNT = Scoped(lambda user: selectors.counted(user, Status.SUBMITTED), PreparedCount)
_SUBMITTED_PAGE = Scoped(_submitted_page)


# The district queue's table, as plain values formatted once (accounts/listing.py).
DISTRICT_COLUMNS = [
    listing.Column("name", "创新联合体名称", badge=links.name_with_flags("reviews:review"), fetch=("status", "filed_on")),
    listing.Column("lead_unit__name", "牵头单位"),
    listing.Column("lead_unit__credit_code", "统一社会信用代码", css="font-monospace small"),
    listing.Column("industry_field__name", "产业领域"),
    listing.Column("status", "状态", badge=links.status_cell),
    listing.Column("submitted_at", "提交时间", listing.DATETIME, css="text-nowrap"),
]


def _review_context(request, application):
    """What the review page shows: the latest frozen version, judged as submitted; never the live rows."""
    consortium = application.consortium
    versions = list(application.versions.all())
    latest = versions[0] if versions else None
    steps = workflow.LIFECYCLE.steps_in_scope(request.user, consortium)  # review_application read it in scope
    if latest:  # what the frozen version shows and what its content alone decides: kept by the process (frozen.read)
        reading = frozen.read(latest, versions[1] if len(versions) > 1 else None, consortium.pk)
        content_html, changes = reading.html, reading.changes
        checks = readiness.judged(application, reading.checks, reading.members)
        flags = [*reading.flags, *readiness.member_flags(reading.members)]
    else:  # an application never frozen (data older than the versions): its live rows, judged today
        content = snapshot.build(snapshot.load(application.pk))
        content_html = render_to_string("applications/_content.html", {
            "content": snapshot.with_attachment_links(content, lambda pk: reverse("applications:attachment", args=[pk]))})
        changes, checks, flags = None, readiness.run(application, content), readiness.flags(content)
    return {
        "application": application,
        "consortium": consortium,
        "content_html": content_html,
        "latest_version": latest,
        "changes": changes,
        "previous_version": versions[1] if len(versions) > 1 else None,
        "checks": checks,
        "flags": flags,
        "actions": {step.action for step in steps},
        "district_steps": [step for step in steps if step.action in services.DISTRICT_ACTIONS],
        "versions": versions,
    }


def _entry_or_404(user, entry_id, consortium_id=None):
    entry = selectors.entry(user, entry_id, consortium_id=consortium_id)
    if entry is None:
        raise Http404("没有找到该论证记录。")
    return entry


@role_required(*STAFF)
def review(request, pk):
    application = selectors.review_application(request.user, pk)
    if application is None:
        raise Http404("没有找到该申请。")
    context = _review_context(request, application)
    consortium = application.consortium
    form = DistrictReviewForm()
    field = consortium.industry_field.name
    decision_form = DecisionForm(initial={"name": services.suggested_name(consortium)}, industry_field=field)
    if request.method == "POST":
        if request.POST.get("action") in services.DISTRICT_ACTIONS:
            form = DistrictReviewForm(request.POST)
            if form.is_valid():
                return _act(request, consortium, lambda: services.district_review(
                    pk, request.user, form.cleaned_data["action"], form.cleaned_data["opinion"], request))
        else:
            decision_form = DecisionForm(request.POST, industry_field=field)
            if decision_form.is_valid():
                data = decision_form.cleaned_data
                return _act(request, consortium, lambda: services.decide(
                    pk, request.user, data["action"], data["opinion"], name=data["name"],
                    confirm_field=data["confirm_field"], request=request))
    record = selectors.appraisal_record(request.user, consortium) if request.user.role == Role.MUNICIPAL_STAFF else []
    context.update(
        form=form, decision_form=decision_form, add_expert_form=AddExpertForm(),
        appraisals=[(entry, scoring.summarize(entry.assignments.all())) for entry in record],
        recommendation=recommendations.for_consortium(request.user, pk),
    )
    return render(request, "reviews/review.html", context)


def _act(request, consortium, action):
    pk = consortium.pk
    try:
        consortium = action()
    except workflow.TransitionError as error:
        messages.error(request, error.message + "".join(error.reasons))
        application_services.record_refused_step(request, consortium, error)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except PermissionDenied:
        raise Http404("没有找到该申请。") from None
    else:
        messages.success(request, f"已办理：{consortium.name}，当前状态“{consortium.get_status_display()}”。")
    return redirect("reviews:review", pk=pk)


@role_required(Role.MUNICIPAL_STAFF)
@once_per_token
def city_queue(request):
    """Applications waiting for 综合论证 (50 a page, ticked ones start a round) and the running ones (50 a page)."""
    user = request.user
    waiting = listing.paginate(request, listing.PreparedRows(lambda: _WAITING_COUNT(user), lambda page: _WAITING_PAGE(user, page)))
    running = listing.paginate(request, listing.PreparedRows(lambda: _RUNNING_COUNT(user), lambda page: _RUNNING_PAGE(user, page)),
                               param="running")
    form = RoundForm()  # the applications it may start are asked only when it is sent (its boxes are the table's)
    if request.method == "POST":
        form = RoundForm(request.POST, queryset=selectors.awaiting_appraisal(request.user))
        if form.is_valid():
            data = form.cleaned_data
            chosen = [consortium.pk for consortium in data["selected"]]
            _, outcomes = services.create_round(data["title"], chosen, list(data["experts"]), request.user, request=request)
            for outcome in outcomes:
                level = messages.SUCCESS if outcome.ok else messages.ERROR
                messages.add_message(request, level, f"{outcome.consortium.name}：{outcome.message}")
                if not outcome.ok:
                    application_services.record_refused_step(request, outcome.consortium, outcome.message)
            return redirect("reviews:city_queue")
    ticked = {str(pk) for pk in form["selected"].value() or ()}
    tick = listing.Column("pk", "", badge=lambda row: _tick_box(row, ticked))
    return render(request, "reviews/city_queue.html", {
        "page": waiting, "waiting": listing.table([tick, *WAITING_COLUMNS], waiting.object_list), "form": form,
        "running": running, "entries": listing.table(RUNNING_COLUMNS, running.object_list),
    })


# The city queue's two tables, as plain values formatted once (accounts/listing.py).
WAITING_COLUMNS = [
    listing.Column("name", "创新联合体名称", link=listing.link_to("reviews:review")),
    listing.Column("lead_unit__name", "牵头单位"),
    listing.Column("lead_unit__bureau__district", "辖区", css="text-nowrap"),
    listing.Column("industry_field__name", "产业领域"),
    listing.Column("submitted_at", "提交时间", listing.DATETIME, css="text-nowrap"),
]
RUNNING_COLUMNS = [
    listing.Column("round__title", "批次"),
    listing.Column("consortium__name", "创新联合体名称", link=listing.link_to("reviews:review", "consortium_id"), fetch=("consortium_id",)),
    listing.Column("consortium__lead_unit__name", "牵头单位"),
    listing.Column("scored_count", "专家评分进度", badge=lambda row: f"{row['scored_count']} / {row['expert_count']}", fetch=("expert_count",)),
]


# Both tables' counts and pages, prepared for the user's scope (accounts.scoped): the queue has no filters.
def _waiting_page(user, page: slice):
    return selectors.awaiting_appraisal(user).values(*listing.keys(WAITING_COLUMNS))[page]


def _running_page(user, page: slice):
    return selectors.entries_in_progress(user).values(*listing.keys(RUNNING_COLUMNS))[page]


_WAITING_COUNT = Scoped(lambda user: selectors.counted(user, Status.DISTRICT_PASSED), PreparedCount)
_WAITING_PAGE = Scoped(_waiting_page)
_RUNNING_COUNT, _RUNNING_PAGE = Scoped(selectors.entries_in_progress, PreparedCount), Scoped(_running_page)


def _tick_box(row, ticked):
    checked = " checked" if str(row["pk"]) in ticked else ""
    return (f'<input class="form-check-input" type="checkbox" name="selected" value="{row["pk"]}" id="sel-{row["pk"]}"{checked} '
            f'aria-label="选择 {escape(row["name"])}">')


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
@once_per_token
def add_expert(request, entry_id):
    entry = _entry_or_404(request.user, entry_id)
    form = AddExpertForm(request.POST)
    if form.is_valid():
        try:
            services.assign_expert(entry.pk, form.cleaned_data["expert"], request.user, request=request)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已分配专家{form.cleaned_data['expert'].display_name}。")
    else:
        messages.error(request, "请选择在册专家。")
    return redirect("reviews:review", pk=entry.consortium_id)


@role_required(Role.MUNICIPAL_STAFF)
def criteria(request):
    formset = CriteriaFormSet(request.POST or None)
    if request.method == "POST" and formset.is_valid():
        services.save_criteria(formset, request.user, request=request)
        messages.success(request, "评分项与权重已保存；已提交的评分保留提交时的权重。")
        return redirect("reviews:criteria")
    return render(request, "reviews/criteria.html", {"formset": formset})


@role_required(Role.EXPERT)
def assignment(request, pk):
    task = get_object_or_404(selectors.expert_assignments(request.user), pk=pk)
    if recused := services.open_assignment(task.pk, request.user, request=request):
        messages.warning(request, services.Recused(recused).messages[0])
        return redirect("/")
    entry = task.entry
    readable, closed_reason = rules.may_read_application(task, task.entry_open)
    criteria = selectors.active_criteria()
    form = ScoreForm(criteria=criteria)
    conflict_form = ConflictForm()
    if request.method == "POST" and readable:
        if "declare_conflict" in request.POST:
            conflict_form = ConflictForm(request.POST)
            if conflict_form.is_valid():
                try:
                    services.declare_conflict(task.pk, request.user, conflict_form.cleaned_data["reason"], request=request)
                except ValidationError as error:
                    messages.error(request, "；".join(error.messages))
                else:
                    messages.success(request, "已声明回避，市科技局将另行安排专家。")
                    return redirect("/")
        else:
            form = ScoreForm(request.POST, criteria=criteria)
            if form.is_valid():
                try:
                    services.submit_scores(task.pk, request.user, form.values(), form.cleaned_data["comment"], request=request)
                except services.Recused as error:
                    messages.warning(request, error.messages[0])
                    return redirect("/")
                except ValidationError as error:
                    messages.error(request, "；".join(error.messages))
                else:
                    messages.success(request, "评分已提交。")
                    return redirect("reviews:assignment", pk=pk)
    context = {
        "task": task, "entry": entry, "form": form, "conflict_form": conflict_form, "readable": readable,
        "evidence": {f"c{criterion.pk}": criterion.evidence for criterion in criteria if criterion.evidence},
        "closed_reason": closed_reason, "my_scores": task.scores.select_related("criterion") if task.submitted_at else [],
    }
    if readable:
        version = entry.consortium.application.versions.get(number=entry.version_number)
        may_see, reason = rules.may_see_other_scores(task)
        context.update(
            version=version, others_hidden_reason=reason,
            content=snapshot.with_attachment_links(
                version.content, lambda attachment_id: reverse("reviews:assignment_attachment", args=[task.pk, attachment_id])),
            others=[a for a in entry.assignments.prefetch_related("scores") if a.pk != task.pk and a.submitted_at] if may_see else [],
        )
    return render(request, "reviews/assignment.html", context)


@role_required(Role.EXPERT)
def assignment_attachment(request, pk, attachment_id):
    """Experts read the files of the version assigned to them, while its 综合论证 runs, and nothing else."""
    task = get_object_or_404(selectors.expert_assignments(request.user), pk=pk)
    if not rules.may_read_application(task, task.entry_open)[0]:
        raise Http404("该申请的综合论证已结束。")
    version = task.entry.consortium.application.versions.filter(number=task.entry.version_number).first()
    found = attachment_files.frozen_file(version, attachment_id) if version else None
    if found is None:
        raise Http404("没有找到该附件。")
    response = protected_file_response(found, filename=found.original_name, content_type=found.content_type)
    audit.record(accounts_actions.ATTACHMENT_DOWNLOAD, request=request,
                 target=f"创新联合体 {task.entry.consortium_id} 第 {version.number} 版附件 {attachment_id}", detail=found.original_name)
    return response


def _pdf_response(request, pdf, filename, target, action=accounts_actions.DOCUMENT_DOWNLOAD):
    audit.record(action, request=request, target=target, detail=filename)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.APPLICANT, *STAFF)
def filing_notice(request, pk):
    """备案通知书 of a filed consortium, for its lead unit and the reviewers in scope."""
    consortium = selectors.filed(request.user, pk)
    if consortium is None:
        raise Http404("没有找到该备案。")
    if not consortium.application.versions.exists():  # filed on paper before the portal, then imported
        messages.info(request, "该创新联合体为历史导入，备案通知书以纸质文件为准，本平台没有出具。")
        return redirect("applications:detail", pk=pk)
    return printed_document(request, documents.filing_notice_document(consortium), consortium=consortium,
                            filename=f"备案通知书-{consortium.record_number}.pdf", target=f"创新联合体 {pk} 备案通知书",
                            back_url=reverse("applications:detail", args=[pk]), action=reviews_actions.NOTICE_DOWNLOAD)


@role_required(*STAFF)
def recommendation(request, pk):
    """The district's 推荐意见 as printed by the background task; a failed print is queued again."""
    opinion = recommendations.for_consortium(request.user, pk)
    if opinion is None:
        raise Http404("没有找到该推荐意见。")
    if opinion.state == opinion.State.FAILED:
        recommendations.render_again(opinion)
        messages.info(request, "已重新生成推荐意见，请稍后刷新页面下载。")
        return redirect("reviews:review", pk=pk)
    if opinion.state != opinion.State.DONE:
        messages.info(request, "推荐意见 PDF 正在生成，请稍后刷新页面下载。")
        return redirect("reviews:review", pk=pk)
    audit.record(reviews_actions.NOTICE_DOWNLOAD, request=request, target=f"创新联合体 {pk} 推荐意见", detail=opinion.file.name)
    response = protected_file_response(opinion.file, filename=f"推荐意见-{opinion.content['consortium']['name']}.pdf",
                                       content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.MUNICIPAL_STAFF)
def appraisal_opinion(request, pk, entry_id):
    """综合论证意见 in the notice layout: the experts' weighted scores, their mean and spread, the decision and its
    opinion, as decided; while the 综合论证 runs, as 未定稿 (watermarked, unsigned) unless staff chose otherwise."""
    entry = selectors.entry_for_opinion(request.user, pk, entry_id)
    if entry is None:
        raise Http404("没有找到该综合论证。")
    if entry.decided_at is None and not entry.draft_printable:
        messages.error(request, "该申请的综合论证尚未结束，已设置为论证结束前不打印论证意见。")
        return redirect("reviews:review", pk=pk)
    document = documents.appraisal_opinion_document(entry)
    if document is not None:  # decided: its frozen opinion, rendered once
        return printed_document(request, document, consortium=entry.consortium,
                                filename=f"综合论证意见-{entry.consortium.name}-{entry.round.title}.pdf",
                                target=f"创新联合体 {pk} 综合论证意见 {entry.pk}", back_url=reverse("reviews:review", args=[pk]))
    try:  # 未定稿: the live record, which changes with every score, printed as it stands
        pdf = documents.appraisal_opinion(entry)
    except FontMissing as error:
        messages.error(request, str(error))
        return redirect("reviews:review", pk=pk)
    return _pdf_response(request, pdf, f"综合论证意见-{entry.consortium.name}-{entry.round.title}-未定稿.pdf",
                         f"创新联合体 {pk} 综合论证意见 {entry.pk}-未定稿")


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
def draft_printing(request, pk, entry_id):
    """Staff choose whether a running 综合论证's opinion prints as 未定稿 before the decision."""
    entry = _entry_or_404(request.user, entry_id, consortium_id=pk)
    form = DraftPrintingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(form.errors["printing"]))
        return redirect("reviews:review", pk=pk)
    printable = form.cleaned_data["printing"] == "draft"
    try:
        services.set_draft_printing(entry.pk, request.user, printable)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "论证结束前可打印未定稿的论证意见。" if printable else "论证结束前不打印论证意见。")
    return redirect("reviews:review", pk=pk)
