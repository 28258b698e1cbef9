"""The default 绩效评价 criteria (fixtures/evaluation_criteria.json), drawn from the work plan §二 主要任务; staff edit them afterwards."""

from accounts.reference import install_missing


def install(EvaluationCriterion):
    """The default criteria, only where there are none (staff may have renamed or reweighted them)."""
    if not EvaluationCriterion.objects.exists():
        install_missing(EvaluationCriterion, "evaluation_criteria", "name")
