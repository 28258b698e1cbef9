"""The default 综合论证 criteria (fixtures/criteria.json), drawn from the work plan §三 组建条件; staff edit them afterwards."""

from accounts.reference import install_missing


def install(Criterion):
    """The default criteria, only where there are none (staff may have renamed or reweighted them)."""
    if not Criterion.objects.exists():
        install_missing(Criterion, "criteria", "name")


# Beside which default criterion an expert sees which part of the 申请书 (reviews.models.Evidence).
EVIDENCE = {"组织协同能力": "organisation", "运行机制": "charter"}


def mark_evidence(Criterion):
    """The default criteria get their evidence, where staff have not chosen one already."""
    for name, evidence in EVIDENCE.items():
        Criterion.objects.filter(name=name, evidence="").update(evidence=evidence)
