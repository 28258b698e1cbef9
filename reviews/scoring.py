"""The experts' weighted scores of one 综合论证: each expert's total, their mean and spread.

Plain arithmetic over assignments whose scores are loaded (prefetch_related("scores")); no queries.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def weighted_total(pairs):
    """(value, weight) pairs → the weighted mean with one decimal, or None when nothing was scored."""
    pairs = list(pairs)
    weight = sum(w for _, w in pairs)
    if not weight:
        return None
    return (sum(Decimal(v) * w for v, w in pairs) / weight).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def total_of(assignment):
    return weighted_total((s.value, s.weight) for s in assignment.scores.all())


def missing_experts(assignments):
    """Experts who were assigned, have not recused and have not submitted."""
    return [a.expert for a in assignments if not a.conflict_declared and a.submitted_at is None]


@dataclass
class Summary:
    rows: list  # (assignment, weighted total or None)
    mean: Decimal | None
    spread: Decimal | None  # highest minus lowest total
    submitted: int
    expected: int  # experts who have not recused
    missing: list  # their users


def summarize(assignments):
    assignments = list(assignments)
    rows = [(a, total_of(a) if a.submitted_at else None) for a in assignments]
    totals = [total for a, total in rows if total is not None and not a.conflict_declared]
    mean = (sum(totals) / len(totals)).quantize(ONE_DECIMAL, ROUND_HALF_UP) if totals else None
    spread = (max(totals) - min(totals)).quantize(ONE_DECIMAL) if totals else None
    expected = [a for a in assignments if not a.conflict_declared]
    return Summary(rows, mean, spread, len(totals), len(expected), missing_experts(assignments))


def score_table(summary):
    """{"criteria": [(name, weight)], "table": [{expert, values, total, note}]}: the experts' scores criterion by
    criterion, in the order the criteria were scored (their weights as they were when scored)."""
    criteria = {}
    for assignment, _ in summary.rows:
        for score in assignment.scores.all():
            criteria.setdefault(score.criterion_id, (score.criterion.name, score.weight))
    table = []
    for assignment, total in summary.rows:
        values = {score.criterion_id: score.value for score in assignment.scores.all()}
        note = "已声明回避" if assignment.conflict_declared else ("" if assignment.submitted_at else "未提交")
        table.append({
            "expert": assignment.expert.display_name, "values": [values.get(pk) for pk in criteria],
            "total": total, "note": note, "comment": assignment.comment,
        })
    return {"criteria": list(criteria.values()), "table": table}
