"""Rules of the review stage, as (ok, reason)."""

OK = (True, "")


def _same_name(a, b):
    return "".join((a or "").split()) == "".join((b or "").split()) != ""


def expert_free_of_conflict(expert, units):
    """回避: an expert employed by any unit of the consortium may not score it."""
    profile = getattr(expert, "expert_profile", None)
    code = profile.employer_credit_code if profile else ""
    for unit in units:
        if (code and code == unit.credit_code) or _same_name(expert.employer, unit.name):
            return False, f"{expert.display_name}任职于成员单位“{unit.name}”，应当回避。"
    return OK


def may_see_other_scores(assignment):
    """An expert sees the others' scores only after submitting their own."""
    if assignment.submitted_at is None:
        return False, "提交本人评分后才能查看其他专家的评分。"
    return OK
