"""绩效评价 by experts (the 综合论证's scoring and 回避, on the year's report) or a third party's report, and the grade."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import audit, notify
from accounts.models import AuditEvent
from applications import uploads, workflow
from reviews import scoring
from reviews import services as review_services

from .. import common, rules
from ..choices import EvaluationBasis, Grade
from ..models import AnnualReport, Evaluation, EvaluationCriterion, ExpertPanel, PanelAssignment, PanelScore


def _graded(report):
    return Evaluation.objects.filter(consortium_id=report.consortium_id, year=report.year).exists()


def open_panel(report_id, experts, actor, *, request=None):
    """Experts score a submitted report; each expert who must recuse is skipped and said so. Returns (panel, notes)."""
    common.staff_only(actor, "组织专家评分")
    notes = []
    with transaction.atomic():
        report = (AnnualReport.objects.visible_to(actor).select_for_update(of=("self",)).select_related("consortium")
                  .filter(pk=report_id).first())
        if report is None:
            raise PermissionDenied("没有找到该年度报告。")
        if _graded(report):
            raise ValidationError(f"{report.year} 年度已评价，不能再组织专家评分。")
        panel, _ = ExpertPanel.objects.get_or_create(report=report, defaults={"consortium": report.consortium, "opened_by": actor})
        for expert in experts:
            try:
                with transaction.atomic():
                    _assign(panel, expert, actor, request)
            except ValidationError as error:
                notes.append("；".join(error.messages))
    return panel, notes


def assign_panel_expert(panel_id, expert, actor, *, request=None):
    common.staff_only(actor, "分配评审专家")
    with transaction.atomic():
        panel = ExpertPanel.objects.select_for_update(of=("self",)).select_related("report", "consortium").get(pk=panel_id)
        if panel.closed_at is not None:
            raise ValidationError("该年度报告的绩效评价已完成，不能再分配专家。")
        return _assign(panel, expert, actor, request)


def _assign(panel, expert, actor, request):
    review_services.ensure_may_score(expert, panel.consortium)
    assignment, created = PanelAssignment.objects.get_or_create(panel=panel, expert=expert, defaults={"assigned_by": actor})
    if not created:
        raise ValidationError(f"{expert.display_name}已分配到该年度报告。")
    consortium = panel.consortium
    audit.record(AuditEvent.Action.EXPERT_ASSIGNED, request=request, actor=actor, target=common.target(consortium),
                 detail=f"{panel.report.year} 年度绩效评价专家：{expert.display_name}（{expert.username}）")
    notify.notify(
        [expert], f"新的绩效评价任务：{consortium.name}",
        f"市科技局邀请您对“{consortium.name}”{panel.report.year} 年度运行情况进行绩效评价评分。"
        "如您与该联合体成员单位存在利害关系，请在评审页面声明回避。",
        reverse("evaluations:assignment", args=[assignment.pk]),
    )
    return assignment


def _locked_task(assignment_id):
    assignment = (PanelAssignment.objects.select_for_update(of=("self",))
                  .select_related("panel__consortium", "panel__report").get(pk=assignment_id))
    closed = "该年度报告的绩效评价已完成。" if assignment.panel.closed_at else ""
    return assignment, closed


def declare_panel_conflict(assignment_id, expert, reason, *, request=None):
    with transaction.atomic():
        assignment, closed = _locked_task(assignment_id)
        return review_services.record_conflict(assignment, expert, reason, closed=closed,
                                               target=common.target(assignment.panel.consortium), request=request)


def submit_panel_scores(assignment_id, expert, values, comment, *, request=None):
    """values: {criterion id: Decimal 0–100} for every active 绩效评价 criterion."""
    with transaction.atomic():
        assignment, closed = _locked_task(assignment_id)
        return review_services.record_scores(
            assignment, expert, values, comment, criteria=EvaluationCriterion.objects.filter(is_active=True),
            score_model=PanelScore, closed=closed, target=common.target(assignment.panel.consortium), request=request,
        )


def panel_summary(panel):
    return scoring.summarize(panel.assignments.select_related("expert").prefetch_related("scores__criterion"))


CONSEQUENCES = {
    Grade.EXCELLENT: "根据《镇江市创新联合体培育建设工作方案》六（二），评价结果为“优秀”的，适当加大项目支持力度，"
                     "并对符合条件的推荐申报省级以上创新联合体。",
    Grade.UNQUALIFIED: "根据《镇江市创新联合体培育建设工作方案》六（二），连续 2 次评价为“不合格”的，取消市级创新联合体资格，"
                       "牵头单位 3 年内不得牵头或参与其他创新联合体。",
}


def grades_of(consortium):
    """The consortium's grades, oldest first (the order the revocation rule reads them in)."""
    return list(Evaluation.objects.filter(consortium=consortium).order_by("decided_at", "pk").values_list("grade", flat=True))


@workflow.guard("evaluation_valid")
def _evaluation_valid(consortium, actor, params):
    """One 绩效评价 per consortium and year, on its submitted report, graded on the experts' scores or a third
    party's report."""
    reasons = []
    if params.get("grade") not in Grade.values:
        reasons.append("请选择评价结果（优秀、合格、不合格）。")
    basis = params.get("basis")
    if basis not in EvaluationBasis.values:
        reasons.append("请选择评价依据（专家评分或第三方评价报告）。")
    year = params.get("year")
    if not year:
        reasons.append("请填写评价年度。")
        return reasons
    if Evaluation.objects.filter(consortium=consortium, year=year).exists():
        return reasons + [f"{year} 年度已评价，不能重复评价。"]
    report = AnnualReport.objects.filter(consortium=consortium, year=year, submitted_at__isnull=False).first()
    if basis == EvaluationBasis.NO_REPORT:
        if report is not None:
            return reasons + [f"{year} 年度报告已报送，请以专家评分或第三方评价报告为依据。"]
        overdue = year in rules.overdue_years(consortium.filed_on.year, (), timezone.localdate())
        ok, reason = rules.grade_without_report(params.get("grade"), overdue)
        return reasons + ([] if ok else [reason])
    if report is None:
        return reasons + [f"{year} 年度报告尚未报送，绩效评价须依据已报送的年度报告。"]
    if basis == EvaluationBasis.EXPERTS:
        panel = ExpertPanel.objects.filter(report=report).first()
        if panel is None:
            reasons.append("尚未组织专家评分；以专家评分为依据的，须待专家提交评分。")
        else:
            summary = panel_summary(panel)
            if summary.missing:
                reasons.append(f"以下专家尚未提交评分：{'、'.join(expert.display_name for expert in summary.missing)}。")
            elif not summary.submitted:
                reasons.append("尚无专家提交评分，请先分配专家并等待评分。")
    elif basis == EvaluationBasis.THIRD_PARTY and not params.get("third_party"):
        reasons.append("请上传第三方评价报告（PDF/JPG/PNG）。")
    return reasons


@workflow.effect("record_evaluation")
def _record_evaluation(consortium, change, actor, params):
    year, grade, basis = params["year"], params["grade"], params["basis"]
    report = AnnualReport.objects.filter(consortium=consortium, year=year, submitted_at__isnull=False).first()
    panel = ExpertPanel.objects.filter(report=report).first() if report else None
    now = timezone.now()
    evaluation = Evaluation(
        consortium=consortium, year=year, grade=grade, basis=basis, report=report, opinion=change.opinion,
        decided_by=actor, decided_at=now, change=change,
    )
    if basis == EvaluationBasis.EXPERTS:
        evaluation.panel = panel
        evaluation.mean_score = panel_summary(panel).mean
    elif basis == EvaluationBasis.THIRD_PARTY:
        uploaded, (content_type, name, sha256) = params["third_party"]
        evaluation.third_party_name, evaluation.third_party_sha256 = uploaded.name[:200], sha256
        evaluation.third_party_file.save(name, uploaded, save=False)
    if panel is not None and panel.closed_at is None:
        panel.closed_at = now
        panel.save(update_fields=["closed_at"])
    consecutive = rules.revocation_due(grades_of(consortium) + [grade])[0]
    evaluation.content = {
        "consortium": {"name": consortium.name, "record_number": consortium.record_number or "", "lead_unit": consortium.lead_unit.name},
        "year": year, "grade": grade, "grade_label": Grade(grade).label, "basis": basis, "basis_label": EvaluationBasis(basis).label,
        "mean_score": common.plain(evaluation.mean_score), "third_party_name": evaluation.third_party_name,
        "opinion": change.opinion, "decided_on": timezone.localdate(now).isoformat(),
        "consequence": CONSEQUENCES.get(grade, "") + ("本次为连续第 2 次评价为“不合格”。" if consecutive else ""),
    }
    evaluation.sha256 = common.digest(evaluation.content)
    evaluation.save()
    change.detail = f"{year} 年度绩效评价结果：{Grade(grade).label}" + (
        "（连续第 2 次“不合格”，将依规取消资格）" if consecutive else "")


def evaluate(consortium_id, actor, *, year, grade, basis, opinion, third_party=None, request=None):
    """§六（二）: municipal staff grade a filed consortium's year, with a written opinion.

    ``third_party``: the uploaded third-party evaluation report (checked like every upload), when that is the basis.
    """
    inspected = None
    if basis == EvaluationBasis.THIRD_PARTY and third_party is not None:
        inspected = (third_party, uploads.inspect(third_party))
    return workflow.transition(consortium_id, "evaluate", actor, opinion=opinion, request=request,
                               year=year, grade=grade, basis=basis, third_party=inspected)
