"""Use cases after 备案. The stage's workflow guards and effects are registered here (the app's ready()
imports this module): revocation and its 3-year ban, dissolution and its refusal while a project runs."""

from django.utils import timezone

from applications import workflow
from applications.models import UnitBan

from . import rules
from .choices import EvaluationBasis, Grade, ProjectStatus, RequestStatus
from .models import DissolutionRequest, Evaluation, SupportProject


@workflow.guard("evaluation_valid")
def _evaluation_valid(consortium, actor, params):
    """One 绩效评价 per consortium and year, graded 优秀/合格/不合格 on a stated basis."""
    reasons = []
    if params.get("grade") not in Grade.values:
        reasons.append("请选择评价结果（优秀、合格、不合格）。")
    if params.get("basis") not in EvaluationBasis.values:
        reasons.append("请选择评价依据（专家评分或第三方评价报告）。")
    year = params.get("year")
    if not year:
        reasons.append("请填写评价年度。")
    elif Evaluation.objects.filter(consortium=consortium, year=year).exists():
        reasons.append(f"{year} 年度已评价，不能重复评价。")
    return reasons


@workflow.effect("record_evaluation")
def _record_evaluation(consortium, change, actor, params):
    Evaluation.objects.create(
        consortium=consortium, year=params["year"], grade=params["grade"], basis=params["basis"],
        opinion=change.opinion, decided_by=actor, decided_at=timezone.now(),
    )


def evaluate(consortium_id, actor, *, year, grade, basis, opinion, request=None):
    """§六（二）: municipal staff grade a filed consortium, with a written opinion."""
    return workflow.transition(consortium_id, "evaluate", actor, opinion=opinion, request=request,
                               year=year, grade=grade, basis=basis)


@workflow.guard("revocation_due")
def _revocation_due(consortium, actor, params):
    grades = list(Evaluation.objects.filter(consortium=consortium).order_by("decided_at", "pk").values_list("grade", flat=True))
    ok, reason = rules.revocation_due(grades)
    return [] if ok else [reason]


@workflow.effect("ban_lead_unit")
def _ban_lead_unit(consortium, change, actor, params):
    """§六（二）: in the same transaction as the revocation, the lead unit is barred for 3 years."""
    starts_on, ends_on = rules.ban_period(timezone.localdate())
    UnitBan.objects.create(
        unit=consortium.lead_unit, consortium=consortium, starts_on=starts_on, ends_on=ends_on,
        reason=f"牵头的“{consortium.name}”连续 2 次评价为“不合格”被取消资格",
    )


def running_projects(consortium):
    return list(SupportProject.objects.filter(consortium=consortium, status=ProjectStatus.ONGOING).order_by("starts_on", "pk"))


@workflow.guard("no_active_projects")
def _no_active_projects(consortium, actor, params):
    ok, reason = rules.no_project_running(running_projects(consortium))
    return [] if ok else [reason]


@workflow.effect("record_dissolution")
def _record_dissolution(consortium, change, actor, params):
    """The lead's pending request, if there is one, is recorded with the city's opinion."""
    DissolutionRequest.objects.filter(consortium=consortium, status=RequestStatus.PENDING).update(
        status=RequestStatus.RECORDED, decided_by=actor, decided_at=timezone.now(), opinion=change.opinion,
    )
