"""Pages after 备案: the consortium's 运行管理 page, the annual report editor, the 绩效评价 and its experts,
revocation, member changes, projects, dissolution, the 科技联络员, units and their bans."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.models import AuditEvent
from accounts.permissions import role_required
from accounts.roles import Role
from applications import readiness, workflow
from applications.choices import Status
from applications.dossier.errors import FontMissing
from applications.models import UnitBan
from reviews import rules as review_rules
from reviews import scoring
from reviews.forms import AddExpertForm, ConflictForm, ScoreForm
from reviews.services import save_criteria

from . import documents, permissions, rules, selectors, services
from .choices import Grade
from .forms import (
    BanForm,
    DecisionForm,
    DissolutionRequestForm,
    EvaluationCriteriaFormSet,
    GradeForm,
    LiaisonForm,
    LiftBanForm,
    MemberChangeForm,
    MembersOnForm,
    PanelForm,
    ProjectForm,
    ReportForm,
    RevokeForm,
    TargetProgressFormSet,
)
from .models import FIGURE_GROUPS, FIGURES, REPORT_TEXTS, Evaluation, EvaluationCriterion, SupportProject

READERS = (Role.APPLICANT, Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF)
HOME = "/"  # each role's workbench (the dashboards app, later in the lifecycle)
PER_PAGE = 50


def _consortium(request, pk, statuses=selectors.AFTER_FILING):
    consortium = selectors.consortium(request.user, pk, statuses=statuses)
    if consortium is None:
        raise Http404("没有找到该创新联合体。")
    return consortium


def _year(year):
    """A report year from the URL; one no report can have is simply not found."""
    if year not in rules.PLAUSIBLE_YEARS:
        raise Http404("没有该年度的年度报告。")
    return year


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _refused(request, error):
    """A refused step or use case, said on the page it was asked from."""
    if isinstance(error, workflow.TransitionError):
        messages.error(request, error.message + "".join(error.reasons))
    else:
        messages.error(request, "；".join(error.messages))


def _errors_to(form, error):
    """A use case's ValidationError shown beside the fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name, errors)
    else:
        form.add_error(None, error)


def _pdf_response(request, pdf, filename, target):
    audit.record(AuditEvent.Action.DOCUMENT_DOWNLOAD, request=request, target=target, detail=filename)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


# --- The consortium after 备案 ------------------------------------------------------------------


@role_required(*READERS)
def consortium_page(request, pk):
    consortium = _consortium(request, pk)
    today = timezone.localdate()
    allowed = permissions.for_page(request.user, consortium)
    on_form = MembersOnForm(request.GET or None)
    on = on_form.cleaned_data["on"] if on_form.is_valid() and on_form.cleaned_data["on"] else None
    grades = selectors.grade_history(consortium)
    return render(request, "evaluations/consortium.html", {
        "consortium": consortium,
        "allowed": allowed,
        "today": today,
        "report_years": selectors.report_years(request.user, consortium, today),
        "grades": grades,
        "recommended": rules.recommended([e.grade for e in sorted(grades, key=lambda e: (e.decided_at, e.pk))]),
        "projects": selectors.support_projects(consortium),
        "members": selectors.members_on(consortium, today),
        "on_form": on_form,
        "members_on": selectors.members_on(consortium, on) if on else None,
        "on": on,
        "member_history": selectors.member_history(consortium),
        "member_changes": selectors.member_changes(consortium),
        "dissolution_requests": selectors.dissolution_requests(consortium),
        "pending_dissolution": services.pending_dissolution(consortium),
        "liaisons": selectors.liaison_history(consortium),
        "liaison_form": LiaisonForm() if allowed["can_assign_liaison"] else None,
        "revocation": getattr(consortium, "revocation", None) if consortium.status == Status.REVOKED else None,
        "lead_bans": selectors.bans_of(consortium.lead_unit) if allowed["is_staff"] else [],
    })


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
def assign_liaison(request, pk):
    consortium = _consortium(request, pk, statuses=[Status.FILED])
    form = LiaisonForm(request.POST)
    if form.is_valid():
        try:
            services.assign_liaison(consortium.pk, request.user, form.cleaned_data["officer"], note=form.cleaned_data["note"], request=request)
        except (workflow.TransitionError, ValidationError) as error:
            _refused(request, error)
        else:
            messages.success(request, f"已选派{form.cleaned_data['officer'].display_name}为科技联络员。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("evaluations:consortium", pk=pk)


# --- Annual reports ----------------------------------------------------------------------------


def _report_forms(report, data=None):
    initial = {name: getattr(report, name) for name in FIGURES + REPORT_TEXTS}
    progress = [{"state": row["state"], "note": row["note"]} for row in report.target_progress]
    return ReportForm(data, initial=initial), TargetProgressFormSet(data, prefix="targets", initial=progress)


def _report_data(form, progress):
    return {**form.cleaned_data, "progress": [f.cleaned_data or {"state": "", "note": ""} for f in progress.forms]}


def _querydict(data):
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def _version(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _editor_context(consortium, report, form, progress, lock_version):
    previous = services.previous_report(consortium, report.year)
    previous_values = {name: getattr(previous, name) for name in FIGURES} if previous else {}
    groups = [(group, [(form[name], previous_values.get(name), rules.change_between(getattr(report, name), previous_values.get(name)))
                       for name in names]) for group, names in FIGURE_GROUPS]
    return {
        "consortium": consortium, "report": report, "form": form, "progress": progress, "lock_version": lock_version,
        "groups": groups, "previous": previous, "targets": list(zip(report.target_progress, progress.forms)),
        "due_on": rules.report_due_on(report.year), "overdue": rules.report_due_on(report.year) < timezone.localdate(),
        "missing": services.missing_for_submission(report),
        "texts": [form[name] for name in REPORT_TEXTS],
    }


@role_required(*READERS)
def report_page(request, pk, year):
    """The lead writes the report here until it is submitted; afterwards everyone in scope reads the frozen one."""
    year = _year(year)
    consortium = _consortium(request, pk)
    report = selectors.report(request.user, consortium, year)
    is_lead = request.user.role == Role.APPLICANT
    if report is None:
        if not is_lead:
            raise Http404("该年度报告尚未报送。")
        ok, reason = rules.may_write_report(year, consortium.filed_on.year, timezone.localdate())
        return render(request, "evaluations/report_start.html", {
            "consortium": consortium, "year": year, "may_start": ok and consortium.status == Status.FILED, "reason": reason,
            "due_on": rules.report_due_on(year),
        })
    if report.is_submitted or not is_lead or consortium.status != Status.FILED:
        if not report.is_submitted:
            raise Http404("该年度报告尚未报送。")
        return render(request, "evaluations/report.html", {
            "consortium": consortium, "report": report, "content": report.content,
            "evaluation": Evaluation.objects.filter(consortium=consortium, year=year).first(),
            "can_grade": "evaluate" in permissions.offered(request.user, consortium),
            "late": timezone.localdate(report.submitted_at) > rules.report_due_on(year),
        })
    status = 200
    lock_version = report.lock_version
    if request.method == "POST":
        form, progress = _report_forms(report, request.POST)
        lock_version = _version(request.POST.get("lock_version"))
        if all([form.is_valid(), progress.is_valid()]):  # a list: both show their errors
            try:
                services.save_report(report.pk, request.user, lock_version, _report_data(form, progress), request=request)
            except services.StaleReport as stale:
                messages.error(request, str(stale))
                status = 409
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
                return redirect("evaluations:consortium", pk=pk)
            else:
                messages.success(request, f"{year} 年度报告已暂存。")
                return redirect("evaluations:report", pk=pk, year=year)
        else:
            data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
            services.keep_report_input(report.pk, request.user, data)
            errors = sum(len(e) for e in form.errors.values()) + sum(len(e) for f in progress.forms for e in f.errors.values())
            messages.warning(request, f"已暂存您填写的内容，但有 {errors} 处需要改正（见标红处），改正并暂存后才能报送。")
            report.refresh_from_db()
    elif report.pending_input is not None:
        form, progress = _report_forms(report, _querydict(report.pending_input))
        all([form.is_valid(), progress.is_valid()])  # binds the errors to show
        messages.warning(request, "下面是上次暂存但未通过校验的内容，请改正标红处后暂存。")
    else:
        form, progress = _report_forms(report)
    context = _editor_context(consortium, report, form, progress, lock_version)
    return render(request, "evaluations/report_edit.html", context, status=status)


@require_POST
@role_required(Role.APPLICANT)
def report_start(request, pk, year):
    year = _year(year)
    consortium = _consortium(request, pk, statuses=[Status.FILED])
    try:
        services.start_report(consortium.pk, request.user, year, request=request)
    except ValidationError as error:
        _refused(request, error)
        return redirect("evaluations:consortium", pk=pk)
    return redirect("evaluations:report", pk=pk, year=year)


@require_POST
@role_required(Role.APPLICANT)
def report_submit(request, pk, year):
    year = _year(year)
    consortium = _consortium(request, pk, statuses=[Status.FILED])
    report = selectors.report(request.user, consortium, year)
    if report is None:
        raise Http404("没有找到该年度报告。")
    try:
        services.submit_report(report.pk, request.user, request=request)
    except ValidationError as error:
        _refused(request, error)
        return redirect("evaluations:report", pk=pk, year=year)
    messages.success(request, f"{year} 年度运行情况总结和下一年度工作计划已报送，报送后不能再修改。")
    return redirect("evaluations:report", pk=pk, year=year)


@role_required(*READERS)
def report_pdf(request, pk, year):
    year = _year(year)
    consortium = _consortium(request, pk)
    report = selectors.report(request.user, consortium, year)
    if report is None or not report.is_submitted:
        raise Http404("该年度报告尚未报送。")
    try:
        pdf = documents.annual_report(report)
    except FontMissing as error:
        messages.error(request, str(error))
        return redirect("evaluations:report", pk=pk, year=year)
    return _pdf_response(request, pdf, f"{consortium.name}-{year}年度运行情况总结和下一年度工作计划.pdf",
                         f"创新联合体 {pk} {year} 年度报告")


# --- 绩效评价 ---------------------------------------------------------------------------------------



def _submitted_report(request, consortium, year):
    report = selectors.report(request.user, consortium, year)
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
    report = selectors.report(request.user, consortium, year)
    if report is not None and report.is_submitted:
        return report
    if consortium.filed_on and year in selectors.overdue_map([consortium]).get(consortium.pk, ()):
        return None
    raise Http404("该年度报告尚未报送。")


@role_required(Role.MUNICIPAL_STAFF)
def grade(request, pk, year):
    """The 绩效评价 of one year: the frozen report, the experts' scores (or a third party's report), the grade;
    a year whose report is overdue and never came is graded 不合格 on that ground."""
    year = _year(year)
    consortium = _consortium(request, pk)
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
                _refused(request, error)
            else:
                messages.success(request, f"已完成{year} 年度绩效评价：{Grade(data['grade']).label}。")
                if rules.revocation_due(services.grades_of(consortium))[0]:
                    messages.warning(request, "该联合体已连续 2 次评价为“不合格”，依《工作方案》六（二）应取消市级创新联合体资格，请办理取消资格。")
                return redirect("evaluations:consortium", pk=pk)
    return render(request, "evaluations/grade.html", _grade_context(request, consortium, year, report, form=form))


@require_POST
@role_required(Role.MUNICIPAL_STAFF)
def open_panel(request, pk, year):
    year = _year(year)
    consortium = _consortium(request, pk, statuses=[Status.FILED])
    report = _submitted_report(request, consortium, year)
    form = PanelForm(request.POST)
    if form.is_valid():
        try:
            panel, notes = services.open_panel(report.pk, list(form.cleaned_data["experts"]), request.user, request=request)
        except ValidationError as error:
            _refused(request, error)
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
    year = _year(year)
    consortium = _consortium(request, pk, statuses=[Status.FILED])
    report = _submitted_report(request, consortium, year)
    panel = selectors.panel(report)
    form = AddExpertForm(request.POST)
    if panel is None:
        raise Http404("尚未组织专家评分。")
    if form.is_valid():
        try:
            services.assign_panel_expert(panel.pk, form.cleaned_data["expert"], request.user, request=request)
        except ValidationError as error:
            _refused(request, error)
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
                    return redirect(HOME)
            else:
                form = ScoreForm(request.POST, criteria=criteria)
                if form.is_valid():
                    services.submit_panel_scores(task.pk, request.user, form.values(), form.cleaned_data["comment"], request=request)
                    messages.success(request, "评分已提交。")
                    return redirect("evaluations:assignment", pk=pk)
        except ValidationError as error:
            _refused(request, error)
    may_see, hidden_reason = review_rules.may_see_other_scores(task)
    return render(request, "evaluations/assignment.html", {
        "task": task, "report": task.panel.report, "content": task.panel.report.content, "consortium": task.panel.consortium,
        "form": form, "conflict_form": conflict_form,
        "my_scores": task.scores.select_related("criterion") if task.submitted_at else [],
        "others": [a for a in task.panel.assignments.select_related("expert").prefetch_related("scores__criterion")
                   if a.pk != task.pk and a.submitted_at] if may_see else [],
        "others_hidden_reason": hidden_reason,
    })


@role_required(*READERS)
def grading_notice(request, pk, evaluation_id):
    consortium = _consortium(request, pk)
    evaluation = get_object_or_404(Evaluation.objects.visible_to(request.user).filter(consortium=consortium), pk=evaluation_id)
    try:
        pdf = documents.grading_notice(evaluation)
    except FontMissing as error:
        messages.error(request, str(error))
        return redirect("evaluations:consortium", pk=pk)
    return _pdf_response(request, pdf, f"绩效评价结果通知-{consortium.name}-{evaluation.year}年度.pdf",
                         f"创新联合体 {pk} {evaluation.year} 年度绩效评价结果通知")


@role_required(*READERS)
def third_party_report(request, pk, evaluation_id):
    """The third party's evaluation report a grade rests on, as uploaded (checked, cleaned, hashed)."""
    consortium = _consortium(request, pk)
    evaluation = get_object_or_404(Evaluation.objects.visible_to(request.user).filter(consortium=consortium)
                                   .exclude(third_party_file=""), pk=evaluation_id)
    audit.record(AuditEvent.Action.ATTACHMENT_DOWNLOAD, request=request, detail=evaluation.third_party_name,
                 target=f"创新联合体 {pk} {evaluation.year} 年度第三方评价报告")
    response = FileResponse(evaluation.third_party_file.open("rb"), as_attachment=True, filename=evaluation.third_party_name)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Revocation ----------------------------------------------------------------------------------


@role_required(Role.MUNICIPAL_STAFF)
def revoke(request, pk):
    consortium = _consortium(request, pk, statuses=[Status.FILED])
    allowed = permissions.for_page(request.user, consortium)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke(consortium.pk, request.user, form.cleaned_data["opinion"], request=request)
        except workflow.TransitionError as error:
            _refused(request, error)
        else:
            messages.success(request, f"已取消“{consortium.name}”的市级创新联合体资格，牵头单位 3 年内不得牵头或参与创新联合体。")
            return redirect("evaluations:consortium", pk=pk)
    starts_on, ends_on = rules.ban_period(timezone.localdate())
    return render(request, "evaluations/revoke.html", {
        "consortium": consortium, "form": form, "allowed": allowed["can_revoke"], "reason": allowed["revoke_reason"],
        "grades": selectors.grade_history(consortium), "ban_starts_on": starts_on, "ban_ends_on": ends_on,
    })


@role_required(*READERS)
def revocation_notice(request, pk):
    consortium = _consortium(request, pk, statuses=[Status.REVOKED])
    revocation = getattr(consortium, "revocation", None)
    if revocation is None:
        raise Http404("没有找到取消资格决定。")
    try:
        pdf = documents.revocation_notice(revocation)
    except FontMissing as error:
        messages.error(request, str(error))
        return redirect("evaluations:consortium", pk=pk)
    return _pdf_response(request, pdf, f"取消资格决定-{consortium.name}.pdf", f"创新联合体 {pk} 取消资格决定")


# --- Member changes ------------------------------------------------------------------------------


@role_required(Role.APPLICANT)
def member_change_new(request, pk):
    consortium = _consortium(request, pk, statuses=[Status.FILED])
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
                    statement=data["shortfall_statement"], all_agreed=data["all_agreed"], agreement=data["agreement"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error("agreement", error)
            except workflow.TransitionError as error:
                _refused(request, error)
            else:
                messages.success(request, "成员变更申请已提交，等待市科技局备案。")
                return redirect("evaluations:consortium", pk=pk)
        if request.FILES.get("agreement") and "agreement" not in form.errors:
            messages.warning(request, "请改正标红处。出于安全原因，浏览器不会保留已选择的文件，提交前请重新选择补充协议文件。")
    return render(request, "evaluations/member_change_new.html", {
        "consortium": consortium, "form": form, "formset": form.additions, "pending": pending, "check": check,
        "members": selectors.members_on(consortium, timezone.localdate()),
        "member_warnings": readiness.member_warnings(
            [{"unit": {"name": row["unit_name"], "kind": row["unit_kind"], "credit_code": row["credit_code"]}}
             for row in form.additions_data()]) if form.is_bound and form.additions.is_valid() else {},
    })


@role_required(*READERS)
def member_change(request, change_id):
    change = selectors.member_change(request.user, change_id)
    if change is None:
        raise Http404("没有找到该成员变更。")
    consortium = change.consortium
    offered = permissions.offered(request.user, consortium)
    decidable = change.status == "pending" and "record_member_change" in offered
    form = DecisionForm(request.POST or None, actions={"record_member_change", "return_member_change"},
                        opinion_required={"return_member_change"})
    if request.method == "POST" and decidable and form.is_valid():
        try:
            services.decide_member_change(consortium.pk, request.user, form.cleaned_data["action"], form.cleaned_data["opinion"],
                                          request=request)
        except workflow.TransitionError as error:
            _refused(request, error)
        else:
            messages.success(request, f"已办理成员变更：{workflow.ACTION_LABELS[form.cleaned_data['action']]}。")
            return redirect("evaluations:consortium", pk=consortium.pk)
    items = list(change.items.all())
    check = services.check_recorded_change(change) if change.status == "pending" else None
    return render(request, "evaluations/member_change.html", {
        "consortium": consortium, "change": change, "form": form, "decidable": decidable, "check": check,
        "additions": [i for i in items if i.action == "add"], "removals": [i for i in items if i.action == "remove"],
        "warnings": readiness.member_warnings(
            [{"unit": {"name": i.unit_name, "kind": i.unit_kind, "credit_code": i.credit_code}} for i in items if i.action == "add"]),
    })


# --- Support projects ----------------------------------------------------------------------------


@role_required(Role.MUNICIPAL_STAFF)
def project(request, pk, project_id=None):
    consortium = _consortium(request, pk, statuses=[Status.FILED])
    existing = get_object_or_404(SupportProject, pk=project_id, consortium=consortium) if project_id else None
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_for(existing) if existing else None)
    if request.method == "POST" and form.is_valid():
        try:
            if existing:
                services.change_project(existing.pk, request.user, form.cleaned_data, request=request)
            else:
                services.record_project(consortium.pk, request.user, form.cleaned_data, request=request)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, f"已{'修改' if existing else '登记'}承担项目“{form.cleaned_data['name']}”。")
            return redirect("evaluations:consortium", pk=pk)
    return render(request, "evaluations/project.html", {
        "consortium": consortium, "form": form, "existing": existing,
        "recommended": rules.recommended(services.grades_of(consortium)),
    })


# --- Dissolution ---------------------------------------------------------------------------------


@role_required(*READERS)
def dissolution(request, pk):
    consortium = _consortium(request, pk)
    allowed = permissions.for_page(request.user, consortium)
    request_form = DissolutionRequestForm(request.POST if "reason" in request.POST else None)
    decision_form = DecisionForm(request.POST if "action" in request.POST else None, actions={"dissolve", "return_dissolution"},
                                 opinion_required={"dissolve", "return_dissolution"})
    if request.method == "POST":
        if request_form.is_bound and request_form.is_valid() and allowed["can_request_dissolution"]:
            try:
                services.request_dissolution(consortium.pk, request.user, request_form.cleaned_data["reason"], request=request)
            except workflow.TransitionError as error:
                _refused(request, error)
            else:
                messages.success(request, "解散申请已提交，等待市科技局办理。")
                return redirect("evaluations:dissolution", pk=pk)
        elif decision_form.is_bound and decision_form.is_valid() and allowed["can_decide_dissolution"]:
            action = decision_form.cleaned_data["action"]
            try:
                services.decide_dissolution(consortium.pk, request.user, action, decision_form.cleaned_data["opinion"], request=request)
            except workflow.TransitionError as error:
                _refused(request, error)
            else:
                messages.success(request, f"已办理：{workflow.ACTION_LABELS[action]}。")
                return redirect("evaluations:dissolution", pk=pk)
        elif not (request_form.is_bound or decision_form.is_bound):
            raise PermissionDenied("您不能办理该解散申请。")
    return render(request, "evaluations/dissolution.html", {
        "consortium": consortium, "allowed": allowed, "request_form": request_form, "decision_form": decision_form,
        "requests": selectors.dissolution_requests(consortium), "pending": services.pending_dissolution(consortium),
        "running": services.running_projects(consortium),
    })


# --- Lists ---------------------------------------------------------------------------------------


def _listed(page):
    today = timezone.localdate()
    overdue = selectors.overdue_map(page.object_list, today)
    return [(c, overdue.get(c.pk, []), selectors.report_label(c, today)) for c in page.object_list]


@role_required(Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER)
def index(request):
    show = request.GET.get("show", "")
    if show not in selectors.SHOW:
        show = ""
    page = _page(request, selectors.after_filing(request.user, show))
    return render(request, "evaluations/index.html", {
        "page": page, "rows": _listed(page), "show": show, "shows": selectors.SHOW,
        "show_label": selectors.SHOW.get(show, "全部"),
    })


@role_required(Role.MUNICIPAL_STAFF)
def liaison_dashboard(request):
    """The 科技联络员's consortia: their next due report, last grade and open requests."""
    page = _page(request, selectors.after_filing(request.user, "mine"))
    return render(request, "evaluations/liaison.html", {"page": page, "rows": _listed(page), "today": timezone.localdate()})


@role_required(Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER)
def recommended(request):
    page = _page(request, selectors.recommended(request.user))
    return render(request, "evaluations/recommended.html", {"page": page})


# --- Units and bans ------------------------------------------------------------------------------


@role_required(*READERS)
def unit(request, pk):
    found = selectors.unit(request.user, pk)
    if found is None:
        raise Http404("没有找到该单位。")
    today = timezone.localdate()
    bans = selectors.bans_of(found)
    return render(request, "evaluations/unit.html", {
        "unit": found, "bans": [(ban, ban.in_force(today)) for ban in bans], "memberships": selectors.unit_memberships(request.user, found),
        "is_staff": request.user.role == Role.MUNICIPAL_STAFF, "today": today,
    })


@role_required(Role.MUNICIPAL_STAFF)
def bans(request):
    active_only = request.GET.get("active") == "1"
    page = _page(request, selectors.bans(active_only))
    today = timezone.localdate()
    return render(request, "evaluations/bans.html", {
        "page": page, "rows": [(ban, ban.in_force(today)) for ban in page.object_list], "active_only": active_only,
    })


@role_required(Role.MUNICIPAL_STAFF)
def ban_new(request):
    form = BanForm(request.POST or None, initial=BanForm.initial_for(request.GET.get("code", "")[:18]))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ban = services.record_ban(request.user, credit_code=data["credit_code"], unit_name=data["unit_name"],
                                      unit_kind=data["unit_kind"], reason=data["reason"], starts_on=data["starts_on"],
                                      ends_on=data["ends_on"], request=request)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, f"已记录：{ban.unit.name}{rules.chinese_date(ban.ends_on)}前不得牵头或参与创新联合体。")
            return redirect("evaluations:unit", pk=ban.unit_id)
    return render(request, "evaluations/ban_new.html", {"form": form})


@role_required(Role.MUNICIPAL_STAFF)
def ban_lift(request, ban_id):
    ban = get_object_or_404(UnitBan.objects.select_related("unit", "consortium"), pk=ban_id)
    form = LiftBanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lift_ban(ban.pk, request.user, form.cleaned_data["reason"], request=request)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, f"已解除{ban.unit.name}的限制。")
            return redirect("evaluations:unit", pk=ban.unit_id)
    return render(request, "evaluations/ban_lift.html", {"ban": ban, "form": form, "in_force": ban.in_force()})


@role_required(Role.MUNICIPAL_STAFF)
def criteria(request):
    formset = EvaluationCriteriaFormSet(request.POST or None)
    if request.method == "POST" and formset.is_valid():
        save_criteria(formset, request.user, target="绩效评价评分项", request=request)
        messages.success(request, "绩效评价评分项与权重已保存；已提交的评分保留提交时的权重。")
        return redirect("evaluations:criteria")
    return render(request, "evaluations/criteria.html", {"formset": formset})

