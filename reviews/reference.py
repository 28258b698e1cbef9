"""The default 综合论证 criteria (fixtures/criteria.json), drawn from the work plan §三 组建条件; staff edit them afterwards."""

from accounts.reference import install_missing


def install(Criterion):
    """The default criteria, only where there are none (staff may have renamed or reweighted them)."""
    if not Criterion.objects.exists():
        install_missing(Criterion, "criteria", "name")
