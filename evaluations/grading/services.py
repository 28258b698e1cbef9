"""绩效评价 (§六（二）): experts score a year (the 综合论证's scoring and 回避) or a third party reports on it, and the
city grades it — a workflow step whose check finds the report, the panel and its scores once, and whose effect
writes the grade from what the check found. A year whose report never came is judged the same way, the experts
or the third party told 逾期未报送. A wrong grade is corrected by a 复核 (another step), never by grading another year.

While a revocation is due (two consecutive 不合格, in year order) it is the consortium's next step: the guard
"revocation_not_due", registered here, refuses grading, member changes and dissolution until the city decides it.

Over 400 lines on purpose: one grade's life (panel → scores → grade → 复核 → 推荐) in one place, so that each step's
check and the effect that applies what it found are read side by side.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from accounts import audit, notify
from applications import audit_actions as applications_actions
from applications import uploads, workflow
from operations import clock
from operations.text import digest
from reviews import audit_actions as reviews_actions
from reviews import scoring
from reviews import services as review_services

from .. import common, phrases, rules
from ..choices import EvaluationBasis, Grade, RecommendationOutcome
from ..models import AnnualReport, Evaluation, EvaluationCriterion, ExpertPanel, GradeCorrection, PanelAssignment, PanelScore, Recommendation
from . import selectors

# --- The year to evaluate -----------------------------------------------------------------------


@dataclass(frozen=True)
class YearToEvaluate:
    """A year of a consortium that may be evaluated: its submitted report, or None when it is overdue and never came."""

    consortium: object
    year: int
    report: AnnualReport | None

    @property
    def overdue_report(self):
        return self.report is None


def year_to_evaluate(consortium, year, today=None):
    """The year as the 绩效评价 sees it, or ValidationError saying why it cannot be evaluated (yet, or again)."""
    today = today or clock.today()
    report = AnnualReport.objects.filter(consortium=consortium, year=year, submitted_at__isnull=False).first()
    ok, reason = rules.may_evaluate_year(year, consortium.filed_on, report is not None, today)
    if not ok:
        raise ValidationError(reason)
    if Evaluation.objects.filter(consortium=consortium, year=year).exists():
        raise ValidationError(f"{year} 年度已评价，不能重复评价；评价结果有误的，请办理复核。")
    return YearToEvaluate(consortium, year, report)


# --- Experts' panels ----------------------------------------------------------------------------


def open_panel(consortium_id, year, experts, actor, *, request=None):
    """Experts score a year (its report, or the fact that it never came); each expert who must recuse is skipped and
    said so. Returns (panel, notes)."""
    common.staff_only(actor, "组织专家评分")
    notes = []
    with transaction.atomic():
        consortium = common.filed_consortium(consortium_id, actor, lock=True)
        found = year_to_evaluate(consortium, year)
        panel, _ = ExpertPanel.objects.get_or_create(consortium=consortium, year=year,
                                                     defaults={"report": found.report, "opened_by": actor})
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
            raise ValidationError("该年度的绩效评价已完成，不能再分配专家。")
        return _assign(panel, expert, actor, request)


def _assign(panel, expert, actor, request):
    review_services.ensure_may_score(expert, panel.consortium)
    assignment, created = PanelAssignment.objects.get_or_create(panel=panel, expert=expert, defaults={"assigned_by": actor})
    if not created:
        raise ValidationError(f"{expert.display_name}已分配到该年度的绩效评价。")
    consortium = panel.consortium
    audit.record(reviews_actions.EXPERT_ASSIGNED, request=request, actor=actor, target=common.target(consortium),
                 detail=f"{panel.year} 年度绩效评价专家：{expert.display_name}（{expert.username}）")
    what = (f"{panel.year} 年度运行情况" if panel.report_id else
            f"{panel.year} 年度运行情况（{phrases.OVERDUE_REPORT}：该年度报告逾期未报送）")
    notify.notify(
        [expert], f"新的绩效评价任务：{consortium.name}",
        f"市科技局邀请您对“{consortium.name}”{what}进行绩效评价评分。如您与该联合体成员单位存在利害关系，请在评审页面声明回避。",
        reverse("evaluations:assignment", args=[assignment.pk]),
    )
    return assignment


def _locked_task(assignment_id):
    assignment = (PanelAssignment.objects.select_for_update(of=("self",))
                  .select_related("panel__consortium", "panel__report").get(pk=assignment_id))
    closed = "该年度的绩效评价已完成。" if assignment.panel.closed_at else ""
    return assignment, closed


def declare_panel_conflict(assignment_id, expert, reason, *, request=None):
    with transaction.atomic():
        assignment, closed = _locked_task(assignment_id)
        return review_services.record_conflict(assignment, expert, reason, closed=closed,
                                               target=common.target(assignment.panel.consortium), request=request)


def _panel_recheck(assignment, expert, request):
    """回避 at scoring (review_services.recuse_on_new_conflict) against the consortium's members of today."""
    panel = assignment.panel
    return review_services.recuse_on_new_conflict(
        assignment, expert, panel.consortium, what=f"“{panel.consortium.name}”{panel.year} 年度绩效评价",
        target=common.target(panel.consortium), link=reverse("evaluations:consortium", args=[panel.consortium_id]),
        request=request,
    )


def open_panel_task(assignment_id, expert, *, request=None):
    """The expert opens a 绩效评价 task: the 回避 check runs again; returns the reason they are recused now, or ""."""
    with transaction.atomic():
        assignment, closed = _locked_task(assignment_id)
        return "" if closed else _panel_recheck(assignment, expert, request)


def submit_panel_scores(assignment_id, expert, values, comment, *, request=None):
    """values: {criterion id: Decimal 0–100} for every active 绩效评价 criterion. Raises review_services.Recused (the
    recusal kept) when the expert must recuse now: a member change since assignment may have brought in their employer."""
    with transaction.atomic():
        assignment, closed = _locked_task(assignment_id)
        recused = "" if closed else _panel_recheck(assignment, expert, request)
        if not recused:
            return review_services.record_scores(
                assignment, expert, values, comment, criteria=EvaluationCriterion.objects.filter(is_active=True),
                score_model=PanelScore, closed=closed, target=common.target(assignment.panel.consortium), request=request,
            )
    raise review_services.Recused(recused)


def panel_summary(panel):
    return scoring.summarize(panel.assignments.select_related("expert").prefetch_related("scores__criterion"))


# --- The grade: a workflow step ---------------------------------------------------------------------


@dataclass(frozen=True)
class ThirdPartyReport:
    """A professional third party's evaluation report, as uploaded (inspected: content type, stored name, SHA-256)."""

    upload: object
    inspected: tuple
    institution: str
    report_date: date | None = None
    report_number: str = ""


@dataclass(frozen=True)
class GradeProposal:
    """What staff ask to decide: the year, the grade, and what it rests on (``third_party`` for that basis)."""

    year: int
    grade: str
    basis: str
    third_party: ThirdPartyReport | None = None


@dataclass(frozen=True)
class GradeDecision:
    """What the check found: the year (with its report or the fact it never came), the panel and its summary when the
    experts scored it, and whether this grade makes two consecutive 不合格."""

    proposal: GradeProposal
    found: YearToEvaluate
    panel: ExpertPanel | None
    mean_score: object
    consecutive: tuple | None  # the two years of 连续 2 次“不合格” this grade makes, if it does


def _basis_problems(consortium, proposal):
    """What the chosen basis still lacks: the experts' scores (all in) or the third party's report and its issuer.
    Returns (reasons, panel, mean score)."""
    if proposal.basis == EvaluationBasis.THIRD_PARTY:
        if proposal.third_party is None:
            return ["请上传第三方评价报告（PDF/JPG/PNG）。"], None, None
        if not proposal.third_party.institution.strip():
            return ["请填写出具评价报告的第三方机构名称。"], None, None
        return [], None, None
    panel = ExpertPanel.objects.filter(consortium=consortium, year=proposal.year).first()
    if panel is None:
        return ["尚未组织专家评分；以专家评分为依据的，须待专家提交评分。"], None, None
    summary = panel_summary(panel)
    if summary.missing:
        return [f"以下专家尚未提交评分：{'、'.join(expert.display_name for expert in summary.missing)}。"], panel, None
    if not summary.submitted:
        return ["尚无专家提交评分，请先分配专家并等待评分。"], panel, None
    return [], panel, summary.mean


@workflow.check("evaluation")
def _check_evaluation(consortium, actor, proposal, subject):
    """One 绩效评价 per consortium and year, resting on the experts' scores (all in) or a third party's report."""
    if proposal is None:  # asked for a page's buttons: only the guards speak
        return None
    reasons = []
    if proposal.grade not in Grade.values:
        reasons.append("请选择评价结果（优秀、合格、不合格）。")
    if proposal.basis not in (EvaluationBasis.EXPERTS, EvaluationBasis.THIRD_PARTY):
        raise workflow.Refused(reasons + [phrases.GRADE_BASIS_REQUIRED])
    try:
        found = year_to_evaluate(consortium, proposal.year)
    except ValidationError as error:
        raise workflow.Refused(reasons + error.messages) from None
    problems, panel, mean = _basis_problems(consortium, proposal)
    if reasons + problems:
        raise workflow.Refused(reasons + problems)
    graded = selectors.graded_years(consortium) + [(proposal.year, proposal.grade)]
    return GradeDecision(proposal, found, panel, mean, rules.consecutive_unqualified(graded)
                         if proposal.grade == Grade.UNQUALIFIED else None)


def _notice_consortium(consortium):
    return {"name": consortium.name, "record_number": consortium.record_number or "", "lead_unit": consortium.lead_unit.name,
            "district": consortium.lead_unit.bureau.name if consortium.lead_unit.bureau_id else ""}


def notice_content(consortium, evaluation, *, overdue_report, consequence_text):
    """What a 评价结果通知 prints, frozen: the consortium as it is now and the evaluation's own fields."""
    return {
        "consortium": _notice_consortium(consortium),
        "year": evaluation.year, "grade": evaluation.grade, "grade_label": Grade(evaluation.grade).label,
        "basis": evaluation.basis, "basis_label": EvaluationBasis(evaluation.basis).label if evaluation.basis else "",
        "overdue_report": overdue_report,
        "mean_score": common.plain(evaluation.mean_score),
        "third_party_institution": evaluation.third_party_institution,
        "third_party_report_date": evaluation.third_party_report_date.isoformat() if evaluation.third_party_report_date else "",
        "third_party_report_number": evaluation.third_party_report_number,
        "opinion": evaluation.opinion, "decided_on": clock.localdate(evaluation.decided_at).isoformat(),
        "consequence": consequence_text,
        "copy_to": review_services.copy_to(consortium),
    }


def consequence(grade, consecutive):
    """The sentence of §六（二） a 评价结果通知 ends with."""
    text = phrases.CONSEQUENCES.get(grade, "")
    if consecutive:
        text += f"{consecutive[0]}、{consecutive[1]} 年度连续 2 次评价为“不合格”。"
    return text


@workflow.effect("record_evaluation")
def _record_evaluation(taken, decided):
    proposal, consortium = decided.proposal, taken.consortium
    now = clock.now()
    evaluation = Evaluation(
        consortium=consortium, year=proposal.year, grade=proposal.grade, basis=proposal.basis, report=decided.found.report,
        opinion=taken.change.opinion, decided_by=taken.actor, decided_at=now, change=taken.change,
    )
    if decided.panel is not None:
        evaluation.panel, evaluation.mean_score = decided.panel, decided.mean_score
        decided.panel.closed_at = now
        decided.panel.save(update_fields=["closed_at"])
    third_party = proposal.third_party
    if third_party is not None:
        content_type, name, sha256 = third_party.inspected
        evaluation.third_party_name, evaluation.third_party_sha256 = third_party.upload.name[:200], sha256
        evaluation.third_party_institution = third_party.institution.strip()
        evaluation.third_party_report_date, evaluation.third_party_report_number = third_party.report_date, third_party.report_number.strip()
        evaluation.third_party_file.save(name, third_party.upload, save=False)
    evaluation.content = notice_content(consortium, evaluation, overdue_report=decided.found.overdue_report,
                                        consequence_text=consequence(proposal.grade, decided.consecutive))
    evaluation.sha256 = digest(evaluation.content)
    evaluation.save()
    taken.change.detail = f"{proposal.year} 年度绩效评价结果：{Grade(proposal.grade).label}" + (
        f"（{phrases.OVERDUE_REPORT}）" if decided.found.overdue_report else "") + (
        f"（{decided.consecutive[0]}、{decided.consecutive[1]} 年度连续 2 次“不合格”，应依规取消资格）" if decided.consecutive else "")
    return evaluation


def evaluate(consortium_id, actor, *, year, grade, basis, opinion, third_party=None, institution="", report_date=None,
             report_number="", request=None):
    """§六（二）: municipal staff grade a filed consortium's year, with a written opinion. Returns the Evaluation.

    ``third_party``: the uploaded third-party evaluation report (checked like every upload) and ``institution`` the
    body that issued it, when that is the basis.
    """
    report = None
    if basis == EvaluationBasis.THIRD_PARTY and third_party is not None:
        report = ThirdPartyReport(third_party, uploads.inspect(third_party), institution or "", report_date, report_number or "")
    outcome = workflow.transition(consortium_id, "evaluate", actor, opinion=opinion, request=request,
                                  proposal=GradeProposal(year, grade, basis, report))
    return outcome.results["record_evaluation"]


# --- 复核: correcting a wrong grade ------------------------------------------------------------------


@dataclass(frozen=True)
class CorrectionProposal:
    evaluation_id: int
    grade: str


@dataclass(frozen=True)
class CorrectionDecision:
    evaluation: Evaluation
    grade: str


@workflow.check("grade_correction")
def _check_grade_correction(consortium, actor, proposal, subject):
    if proposal is None:
        return None
    evaluation = Evaluation.objects.filter(consortium=consortium, pk=proposal.evaluation_id).first()
    if evaluation is None:
        raise workflow.Refused("没有找到该绩效评价。")
    ok, reason = rules.grade_changed(evaluation.grade, proposal.grade)
    if not ok:
        raise workflow.Refused(reason)
    return CorrectionDecision(evaluation, proposal.grade)


@workflow.effect("record_grade_correction")
def _record_grade_correction(taken, decided):
    """The grade is corrected in place (every rule reads the corrected grade from now on, revocation due among them);
    the correction keeps what was changed and why, and prints as a corrected 评价结果通知."""
    evaluation, consortium = decided.evaluation, taken.consortium
    previous = evaluation.grade
    now = clock.now()
    evaluation.grade = decided.grade
    evaluation.save(update_fields=["grade"])
    graded = selectors.graded_years(consortium)
    consecutive = rules.consecutive_unqualified(graded)
    # A grade brought in from before the portal (no frozen content: its notice was issued on paper) is corrected by a
    # notice that states everything itself, taken from the evaluation and the consortium as they are now.
    corrected = evaluation.content if evaluation.sha256 else notice_content(
        consortium, evaluation, overdue_report=False, consequence_text="")
    content = {
        **corrected,
        "grade": decided.grade, "grade_label": Grade(decided.grade).label,
        "corrects": {"grade_label": Grade(previous).label, "decided_on": corrected.get("decided_on", ""),
                     "code": evaluation.sha256[:16]},
        "opinion": taken.change.opinion, "decided_on": clock.localdate(now).isoformat(),
        "consequence": consequence(decided.grade, consecutive if decided.grade == Grade.UNQUALIFIED else None),
    }
    correction = GradeCorrection.objects.create(
        evaluation=evaluation, change=taken.change, previous_grade=previous, grade=decided.grade, reason=taken.change.opinion,
        decided_by=taken.actor, decided_at=now, content=content, sha256=digest(content),
    )
    taken.change.detail = (f"{evaluation.year} 年度评价结果经复核由“{Grade(previous).label}”更正为“{Grade(decided.grade).label}”"
                           + (f"（{consecutive[0]}、{consecutive[1]} 年度连续 2 次“不合格”，应依规取消资格）" if consecutive else ""))
    return correction


def correct_grade(consortium_id, actor, evaluation_id, grade, reason, *, request=None):
    """评价结果复核: staff correct a grade found wrong, with the reason (required). Returns the GradeCorrection."""
    outcome = workflow.transition(consortium_id, "correct_grade", actor, opinion=reason, request=request,
                                  proposal=CorrectionProposal(evaluation_id, grade))
    return outcome.results["record_grade_correction"]


# --- A due revocation is the next step ---------------------------------------------------------------


@workflow.guard("revocation_not_due")
def _revocation_not_due(consortium, actor, proposal):
    pair = rules.consecutive_unqualified(selectors.graded_years(consortium))
    return [rules.revocation_due_reason(pair)] if pair else []


# --- 推荐申报省级以上创新联合体 -------------------------------------------------------------------------


def record_recommendation(consortium_id, actor, *, eligible, note, decided_on, request=None):
    """The city's 推荐 decision on a consortium whose latest evaluated year is 优秀 (§六（二）): 符合条件 and recommended,
    or not, with its reasons; one per 优秀 year."""
    common.staff_only(actor, "作出推荐决定")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写推荐意见（是否符合条件及理由）。"})
    with transaction.atomic():
        consortium = common.filed_consortium(consortium_id, actor, lock=True)
        graded = selectors.graded_years(consortium)
        if not rules.recommended(graded):
            raise ValidationError("该联合体最近一个评价年度的结果不是“优秀”，不在推荐名单中。")
        year = max(year for year, _ in graded)
        if Recommendation.objects.filter(consortium=consortium, year=year).exists():
            raise ValidationError(f"已对 {year} 年度“优秀”作出推荐决定。")
        recommendation = Recommendation.objects.create(consortium=consortium, year=year, eligible=eligible, note=note,
                                                       decided_on=decided_on, decided_by=actor)
        audit.record(applications_actions.STATUS_CHANGE, request=request, actor=actor, target=common.target(consortium),
                     detail=f"推荐申报省级以上创新联合体（{year} 年度“优秀”）：{'符合条件，予以推荐' if eligible else '不予推荐'}；{note}")
    return recommendation


def record_recommendation_outcome(recommendation_id, actor, *, outcome, outcome_on, note="", request=None):
    """What came of a recommendation (获省级以上认定 / 未获认定)."""
    common.staff_only(actor, "登记推荐结果")
    if outcome not in (RecommendationOutcome.ACCEPTED, RecommendationOutcome.DECLINED):
        raise ValidationError({"outcome": "请选择推荐结果。"})
    with transaction.atomic():
        recommendation = (Recommendation.objects.visible_to(actor).select_for_update(of=("self",)).select_related("consortium")
                          .filter(pk=recommendation_id).first())
        if recommendation is None:
            raise PermissionDenied("没有找到该推荐记录。")
        if not recommendation.eligible:
            raise ValidationError("该联合体未予推荐，没有推荐结果。")
        if recommendation.outcome != RecommendationOutcome.PENDING:
            raise ValidationError(f"推荐结果已登记为“{recommendation.get_outcome_display()}”。")
        if outcome_on < recommendation.decided_on:
            raise ValidationError({"outcome_on": "结果日期不能早于推荐决定日期。"})
        recommendation.outcome, recommendation.outcome_on, recommendation.outcome_note = outcome, outcome_on, (note or "").strip()
        recommendation.save(update_fields=["outcome", "outcome_on", "outcome_note"])
        audit.record(applications_actions.STATUS_CHANGE, request=request, actor=actor, target=common.target(recommendation.consortium),
                     detail=f"推荐结果（{recommendation.year} 年度“优秀”）：{recommendation.get_outcome_display()}"
                     + (f"；{recommendation.outcome_note}" if recommendation.outcome_note else ""))
    return recommendation
