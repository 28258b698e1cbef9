"""The 绩效评价 of a year (staff), the experts' scoring, the printed 评价结果通知, the criteria, the 推荐 list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.models import AuditEvent
from accounts.permissions import role_required
from accounts.roles import Role
from applications import workflow
from applications.choices import Status
from applications.dossier.errors import FontMissing
from reviews import rules as review_rules
from reviews import scoring
from reviews.forms import AddExpertForm, ConflictForm, ScoreForm
from reviews.services import save_criteria

from .. import documents, permissions, rules, web
from ..choices import Grade
from ..models import Evaluation, EvaluationCriterion
from ..reports import selectors as report_selectors
from . import selectors, services
from .forms import EvaluationCriteriaFormSet, GradeForm, PanelForm


def _submitted_report(request, consortium, year):
    report = report_selectors.report(request.user, consortium, year)
    if report is None or not report.is_submitted:
        raise Http404("该年度报告尚未报送。")
    return report


def _grade_context(request, consortium, year, report, **forms):
    """``report`` is None for a year whose report is overdue and never came (graded 不合格 on that ground)."""
    panel = selectors.panel(report) if report else None
    summary = scoring.summarize(panel.assignments.all()) if panel else None
    grades = services.grades_of(consortium)
    return {
        "consortium": consortium, "year": year, "report": report, "content": report.content if report else None,
        "panel": panel, "summary": summary, **(scoring.score_table(summary) if summary else {}),
        "due_on": rules.report_due_on(year),
        "grades": selectors.grade_history(consortium),
        "evaluation": Evaluation.objects.filter(consortium=consortium, year=year).first(),
        "last_unqualified": bool(grades) and grades[-1] == Grade.UNQUALIFIED,
        "panel_form": forms.get("panel_form") or PanelForm(), "add_expert_form": AddExpertForm(),
        "form": forms.get("form") or GradeForm(without_report=report is None),
        "can_grade": "evaluate" in permissions.offered(request.user, consortium),
    }


def _report_to_grade(request, consortium, year):
    """The year's submitted report, or None when it is overdue and never came; a year with neither is not found."""
    report = report_selectors.report(request.user, consortium, year)
    if report is not None and report.is_submitted:
        return report
    if consortium.filed_on and year in report_selectors.overdue_map([consortium]).get(consortium.pk, ()):
        return None
    raise Http404("该年度报告尚未报送。")


@role_required(Role.MUNICIPAL_STAFF)
def grade(request, pk, year):
    """The 绩效评价 of one year: the frozen report, the experts' scores (or a third party's report), the grade;
    a year whose report is overdue and never came is graded 不合格 on that ground."""
    year = web.report_year(year)
    consortium = web.consortium_or_404(request, pk)
    report = _report_to_grade(request, consortium, year)
    form = GradeForm(without_report=report is None)
    if request.method == "POST":
        form = GradeForm(request.POST, request.FILES, without_report=report is None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evaluate(consortium.pk, request.user, year=year, grade=data["grade"], basis=data["basis"],
                                  opinion=data["opinion"], third_party=data.get("third_party_file"), request=request)
            except ValidationError as error:
                form.add_error("third_party_file", error)
            except workflow.TransitionError as error:
                web.refused(request, error)
            else:
                messages.success(request, f"已完成{year} 年度绩效评价：{Grade(data['grade']).label}。")
                if rules.revocation_due(services.grades_of(consortium))[0]:
                    messages.warning(request, "该联合体已连续 2 次评价为“不合格”，依《工作方案》六（二）应取消市级创新联合体资格，请办理取消资格。")
                return redirect("evaluations:consortium", pk=pk)
    return render(request, "evaluations/grade.html", _grade_context(request, consortium, year, report, form=form))


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
def open_panel(request, pk, year):
    year = web.report_year(year)
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    report = _submitted_report(request, consortium, year)
    form = PanelForm(request.POST)
    if form.is_valid():
        try:
            panel, notes = services.open_panel(report.pk, list(form.cleaned_data["experts"]), request.user, request=request)
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
def add_panel_expert(request, pk, year):
    year = web.report_year(year)
    consortium = web.consortium_or_404(request, pk, statuses=[Status.FILED])
    report = _submitted_report(request, consortium, year)
    panel = selectors.panel(report)
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
    criteria = list(EvaluationCriterion.objects.filter(is_active=True))
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
        "task": task, "report": task.panel.report, "content": task.panel.report.content, "consortium": task.panel.consortium,
        "form": form, "conflict_form": conflict_form,
        "my_scores": task.scores.select_related("criterion") if task.submitted_at else [],
        "others": [a for a in task.panel.assignments.select_related("expert").prefetch_related("scores__criterion")
                   if a.pk != task.pk and a.submitted_at] if may_see else [],
        "others_hidden_reason": hidden_reason,
    })


@role_required(*web.READERS)
def grading_notice(request, pk, evaluation_id):
    consortium = web.consortium_or_404(request, pk)
    evaluation = get_object_or_404(Evaluation.objects.visible_to(request.user).filter(consortium=consortium), pk=evaluation_id)
    try:
        pdf = documents.grading_notice(evaluation)
    except FontMissing as error:
        messages.error(request, str(error))
        return redirect("evaluations:consortium", pk=pk)
    return web.pdf_response(request, pdf, f"绩效评价结果通知-{consortium.name}-{evaluation.year}年度.pdf",
                         f"创新联合体 {pk} {evaluation.year} 年度绩效评价结果通知")


@role_required(*web.READERS)
def third_party_report(request, pk, evaluation_id):
    """The third party's evaluation report a grade rests on, as uploaded (checked, cleaned, hashed)."""
    consortium = web.consortium_or_404(request, pk)
    evaluation = get_object_or_404(Evaluation.objects.visible_to(request.user).filter(consortium=consortium)
                                   .exclude(third_party_file=""), pk=evaluation_id)
    audit.record(AuditEvent.Action.ATTACHMENT_DOWNLOAD, request=request, detail=evaluation.third_party_name,
                 target=f"创新联合体 {pk} {evaluation.year} 年度第三方评价报告")
    response = FileResponse(evaluation.third_party_file.open("rb"), as_attachment=True, filename=evaluation.third_party_name)
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER)
def recommended(request):
    page = web.page_of(request, selectors.recommended(request.user))
    return render(request, "evaluations/recommended.html", {"page": page})


@role_required(Role.MUNICIPAL_STAFF)
def criteria(request):
    formset = EvaluationCriteriaFormSet(request.POST or None)
    if request.method == "POST" and formset.is_valid():
        save_criteria(formset, request.user, target="绩效评价评分项", request=request)
        messages.success(request, "绩效评价评分项与权重已保存；已提交的评分保留提交时的权重。")
        return redirect("evaluations:criteria")
    return render(request, "evaluations/criteria.html", {"formset": formset})
