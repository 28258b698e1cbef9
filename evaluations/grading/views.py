"""The 绩效评价 of a year (staff), the experts' scoring, the printed 评价结果通知, the criteria, the 推荐 list."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import audit
from accounts import audit_actions as accounts_actions
from accounts.permissions import role_required
from accounts.roles import Role
from applications import workflow
from applications.choices import Status
from operations.files import protected_file_response
from operations.once import once_per_token
from reviews import rules as review_rules
from reviews import scoring
from reviews import services as review_services
from reviews.forms import AddExpertForm, ConflictForm, ScoreForm
from reviews.services import save_criteria

from .. import documents, permissions, phrases, rules, web
from ..choices import Grade, RecommendationOutcome
from ..reports import selectors as report_selectors
from . import selectors, services
from .forms import CorrectionForm, EvaluationCriteriaFormSet, GradeForm, PanelForm, RecommendationForm, RecommendationOutcomeForm


def _year_to_grade(request, consortium, year):
    """The year's submitted report, or None when it is overdue and never came (the experts or the third party are
    told so); a year that cannot be evaluated (not owed, not yet due) is not found."""
    report = report_selectors.report(request.user, consortium, year)
    if report is not None and report.is_submitted:
        return report
    if consortium.filed_on and year in report_selectors.overdue_map([consortium]).get(consortium.pk, ()):
        return None
    graded = report_selectors.evaluation_of(consortium, year)
    if graded is not None and graded.report_id is None:
        return None  # graded already, on a report that never came: the page shows the grade
    raise Http404("该年度报告尚未报送。")


def _evaluation_or_404(user, consortium, evaluation_id):
    evaluation = selectors.evaluation(user, consortium, evaluation_id)
    if evaluation is None:
        raise Http404("没有找到该评价结果。")
    return evaluation


def _grade_context(request, consortium, year, report, **forms):
    """``report`` is None for a year whose report is overdue and never came."""
    panel = selectors.panel(consortium, year)
    summary = scoring.summarize(panel.assignments.all()) if panel else None
    allowed = permissions.for_page(request.user, consortium)
    return {
        "consortium": consortium, "year": year, "report": report, "content": report.content if report else None,
        "panel": panel, "summary": summary, **(scoring.score_table(summary) if summary else {}),
        "due_on": rules.report_due_on(year),
        "grades": selectors.grade_history(consortium),
        "consecutive_rule": phrases.CONSECUTIVE_RULE,
        "evaluation": report_selectors.evaluation_of(consortium, year),
        "panel_form": forms.get("panel_form") or PanelForm(), "add_expert_form": AddExpertForm(),
        "form": forms.get("form") or GradeForm(),
        "can_grade": allowed["can_grade"], "grade_reason": allowed["grade_reason"],
        "can_correct_grade": allowed["can_correct_grade"],
    }


@role_required(Role.MUNICIPAL_STAFF)
@once_per_token
def grade(request, pk, year):
    """The 绩效评价 of one year: the frozen report (or the fact it never came), the experts' scores or a third party's
    report, the grade."""
    year = web.report_year(year)
    consortium = web.consortium_or_404(request, pk)
    report = _year_to_grade(request, consortium, year)
    form = GradeForm()
    if request.method == "POST":
        form = GradeForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evaluate(consortium.pk, request.user, year=year, grade=data["grade"], basis=data["basis"],
                                  opinion=data["opinion"], third_party=data.get("third_party_file"),
                                  institution=data.get("third_party_institution", ""), report_date=data.get("third_party_report_date"),
                                  report_number=data.get("third_party_report_number", ""), request=request)
            except ValidationError as error:
                form.add_error("third_party_file", error)
            except workflow.TransitionError as error:
                web.refused(request, error, consortium)
            else:
                messages.success(request, f"已完成{year} 年度绩效评价：{Grade(data['grade']).label}。")
                due, reason = rules.revocation_due(selectors.graded_years(consortium))
                if due:
                    messages.warning(request, reason)
                return redirect("evaluations:consortium", pk=pk)
    return render(request, "evaluations/grade.html", _grade_context(request, consortium, year, report, form=form))


@role_required(Role.MUNICIPAL_STAFF)
@once_per_token
def correct_grade(request, pk, evaluation_id):
    """评价结果复核: a wrong grade corrected, with the reason; revocation due is recomputed from the corrected grades."""
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    evaluation = _evaluation_or_404(request.user, consortium, evaluation_id)
    form = CorrectionForm(request.POST or None, current=evaluation.grade)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_grade(consortium.pk, request.user, evaluation.pk, form.cleaned_data["grade"], form.cleaned_data["opinion"],
                                   request=request)
        except workflow.TransitionError as error:
            web.refused(request, error, consortium)
        else:
            messages.success(request, f"已复核更正 {evaluation.year} 年度评价结果为“{Grade(form.cleaned_data['grade']).label}”。")
            return redirect("evaluations:consortium", pk=pk)
    return render(request, "evaluations/correct_grade.html", {
        "consortium": consortium, "evaluation": evaluation, "form": form, "grades": selectors.grade_history(consortium),
        "consecutive_rule": phrases.CONSECUTIVE_RULE,
    })


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
@once_per_token
def open_panel(request, pk, year):
    year = web.report_year(year)
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    report = _year_to_grade(request, consortium, year)
    form = PanelForm(request.POST)
    if form.is_valid():
        try:
            panel, notes = services.open_panel(consortium.pk, year, list(form.cleaned_data["experts"]), request.user, request=request)
        except ValidationError as error:
            web.refused(request, error)
        else:
            assigned = panel.assignments.count()
            messages.success(request, f"已组织专家评分，分配专家 {assigned} 名。")
            for note in notes:
                messages.warning(request, note)
    else:
        return render(request, "evaluations/grade.html", _grade_context(request, consortium, year, report, panel_form=form))
    return redirect("evaluations:grade", pk=pk, year=year)


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
@once_per_token
def add_panel_expert(request, pk, year):
    year = web.report_year(year)
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    panel = selectors.panel(consortium, year)
    form = AddExpertForm(request.POST)
    if panel is None:
        raise Http404("尚未组织专家评分。")
    if form.is_valid():
        try:
            services.assign_panel_expert(panel.pk, form.cleaned_data["expert"], request.user, request=request)
        except ValidationError as error:
            web.refused(request, error)
        else:
            messages.success(request, f"已分配专家{form.cleaned_data['expert'].display_name}。")
    else:
        messages.error(request, "请选择在册专家。")
    return redirect("evaluations:grade", pk=pk, year=year)


@role_required(Role.EXPERT)
def assignment(request, pk):
    """An expert scores an annual report (or declares a conflict); they see others' scores after their own."""
    task = selectors.expert_task(request.user, pk)
    if task is None:
        raise Http404("没有找到该评审任务。")
    if recused := services.open_panel_task(task.pk, request.user, request=request):
        messages.warning(request, review_services.Recused(recused).messages[0])
        return redirect(web.HOME)
    criteria = selectors.active_criteria()
    form, conflict_form = ScoreForm(criteria=criteria), ConflictForm()
    if request.method == "POST" and task.panel_open:
        try:
            if "declare_conflict" in request.POST:
                conflict_form = ConflictForm(request.POST)
                if conflict_form.is_valid():
                    services.declare_panel_conflict(task.pk, request.user, conflict_form.cleaned_data["reason"], request=request)
                    messages.success(request, "已声明回避，市科技局将另行安排专家。")
                    return redirect(web.HOME)
            else:
                form = ScoreForm(request.POST, criteria=criteria)
                if form.is_valid():
                    services.submit_panel_scores(task.pk, request.user, form.values(), form.cleaned_data["comment"], request=request)
                    messages.success(request, "评分已提交。")
                    return redirect("evaluations:assignment", pk=pk)
        except ValidationError as error:
            web.refused(request, error)
    may_see, hidden_reason = review_rules.may_see_other_scores(task)
    return render(request, "evaluations/assignment.html", {
        "task": task, "report": task.panel.report, "content": task.panel.report.content if task.panel.report else None,
        "consortium": task.panel.consortium, "year": task.panel.year, "due_on": rules.report_due_on(task.panel.year),
        "form": form, "conflict_form": conflict_form,
        "my_scores": task.scores.select_related("criterion") if task.submitted_at else [],
        "others": [a for a in task.panel.assignments.select_related("expert").prefetch_related("scores__criterion")
                   if a.pk != task.pk and a.submitted_at] if may_see else [],
        "others_hidden_reason": hidden_reason,
    })


@role_required(*web.READERS)
def grading_notice(request, pk, evaluation_id):
    consortium = web.consortium_or_404(request, pk)
    evaluation = _evaluation_or_404(request.user, consortium, evaluation_id)
    if not evaluation.sha256:  # a grade brought in from before the portal: its notice was issued on paper
        messages.info(request, "该评价结果为历史导入，结果通知以纸质文件为准，本平台没有出具。")
        return redirect("evaluations:consortium", pk=pk)
    return web.printed(request, documents.grading_notice_document(evaluation), consortium,
                       filename=f"绩效评价结果通知-{consortium.name}-{evaluation.year}年度.pdf",
                       target=f"创新联合体 {pk} {evaluation.year} 年度绩效评价结果通知", back_url=reverse("evaluations:consortium", args=[pk]))


@role_required(*web.READERS)
def correction_notice(request, pk, correction_id):
    """The corrected 评价结果通知 of a 复核, printed from its own frozen content."""
    consortium = web.consortium_or_404(request, pk)
    correction = selectors.correction(request.user, consortium, correction_id)
    if correction is None:
        raise Http404("没有找到该复核记录。")
    return web.printed(request, documents.correction_notice_document(correction), consortium,
                       filename=f"绩效评价结果通知（复核更正）-{consortium.name}-{correction.evaluation.year}年度.pdf",
                       target=f"创新联合体 {pk} {correction.evaluation.year} 年度评价结果复核通知",
                       back_url=reverse("evaluations:consortium", args=[pk]))


@role_required(*web.READERS)
def third_party_report(request, pk, evaluation_id):
    """The third party's evaluation report a grade rests on, as uploaded (checked, cleaned, hashed)."""
    consortium = web.consortium_or_404(request, pk)
    evaluation = _evaluation_or_404(request.user, consortium, evaluation_id)
    if not evaluation.third_party_file:
        raise Http404("该评价没有第三方评价报告。")
    response = protected_file_response(evaluation.third_party_file, filename=evaluation.third_party_name,
                                       content_type=mimetypes.guess_type(evaluation.third_party_name)[0] or "application/octet-stream",
                                       missing_message="该第三方评价报告文件已不在存储中，请联系系统管理员。")
    audit.record(accounts_actions.ATTACHMENT_DOWNLOAD, request=request, detail=evaluation.third_party_name,
                 target=f"创新联合体 {pk} {evaluation.year} 年度第三方评价报告")
    return response


@role_required(Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER)
def recommended(request):
    page = web.page_of(request, selectors.recommended_page(request.user))
    return render(request, "evaluations/recommended.html", {"page": page, "is_staff": request.user.role == Role.MUNICIPAL_STAFF})


@role_required(Role.MUNICIPAL_STAFF)
@once_per_token
def recommend(request, pk):
    """The city's 推荐 decision on a consortium whose latest evaluated year is 优秀, and later its outcome."""
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    decisions = selectors.recommendations(consortium)
    graded = selectors.graded_years(consortium)
    open_decision = next((r for r in decisions if r.eligible and r.outcome == RecommendationOutcome.PENDING), None)
    form = RecommendationForm(request.POST if "eligible" in request.POST else None)
    outcome_form = RecommendationOutcomeForm(request.POST if "outcome" in request.POST else None)
    if request.method == "POST":
        try:
            if form.is_bound and form.is_valid():
                services.record_recommendation(consortium.pk, request.user, eligible=form.cleaned_data["eligible"] == "yes",
                                               note=form.cleaned_data["note"], decided_on=form.cleaned_data["decided_on"], request=request)
                messages.success(request, "已记录推荐决定。")
                return redirect("evaluations:recommend", pk=pk)
            if outcome_form.is_bound and outcome_form.is_valid() and open_decision is not None:
                services.record_recommendation_outcome(open_decision.pk, request.user, outcome=outcome_form.cleaned_data["outcome"],
                                                       outcome_on=outcome_form.cleaned_data["outcome_on"],
                                                       note=outcome_form.cleaned_data["note"], request=request)
                messages.success(request, "已登记推荐结果。")
                return redirect("evaluations:recommend", pk=pk)
        except ValidationError as error:
            web.errors_to(form if form.is_bound else outcome_form, error)
    latest_year = max((year for year, _ in graded), default=None)
    return render(request, "evaluations/recommend.html", {
        "consortium": consortium, "decisions": decisions, "form": form, "outcome_form": outcome_form, "open_decision": open_decision,
        "eligible_now": rules.recommended(graded) and not any(r.year == latest_year for r in decisions),
        "latest_year": latest_year, "grades": selectors.grade_history(consortium),
    })


@role_required(Role.MUNICIPAL_STAFF)
def criteria(request):
    formset = EvaluationCriteriaFormSet(request.POST or None)
    if request.method == "POST" and formset.is_valid():
        save_criteria(formset, request.user, target="绩效评价评分项", request=request)
        messages.success(request, "绩效评价评分项与权重已保存；已提交的评分保留提交时的权重。")
        return redirect("evaluations:criteria")
    return render(request, "evaluations/criteria.html", {"formset": formset})
