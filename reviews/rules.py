"""Rules of the review stage, as (ok, reason). Nothing here queries the database."""

import re

OK = (True, "")
# Seed §四（三）: 统一命名为“XXX（领域）创新联合体” — one pair of full-width brackets, around the field, and no other.
FILING_NAME = re.compile(r"^(?P<base>[^（）()]+)（(?P<field>[^（）()]*)）创新联合体$")


def _same_name(a, b):
    return "".join((a or "").split()) == "".join((b or "").split()) != ""


def expert_free_of_conflict(expert, members):
    """回避: an expert employed by any unit of the consortium may not score it.

    ``members``: (declared name, registry name, credit code) of each current member, the lead included.
    """
    profile = getattr(expert, "expert_profile", None)
    code = profile.employer_credit_code if profile else ""
    for declared_name, registry_name, credit_code in members:
        if (code and code == credit_code) or _same_name(expert.employer, declared_name) or _same_name(expert.employer, registry_name):
            return False, f"{expert.display_name}任职于成员单位“{declared_name}”，应当回避。"
    return OK


def may_see_other_scores(assignment):
    """An expert sees the others' scores only after submitting their own."""
    if assignment.submitted_at is None:
        return False, "提交本人评分后才能查看其他专家的评分。"
    return OK


def may_read_application(assignment, entry_open):
    """An expert reads what was assigned (the frozen version and its files) only while its 综合论证 runs."""
    if assignment.conflict_declared:
        return False, "您已声明回避，不能查阅该申请。"
    if not entry_open:
        return False, "该申请的综合论证已结束，申请材料不再向专家开放；您提交的评分仍可查看。"
    return OK


def filing_name_valid(name, industry_field, confirmed=False):
    """Seed §四: 统一命名为“XXX（领域）创新联合体”. The 领域 is the consortium's industry field; another one
    only when the city typed it on purpose (``confirmed``)."""
    name = (name or "").strip()
    match = FILING_NAME.match(name)
    if match is None or not match["base"].strip():
        return False, "备案名称应为“XXX（领域）创新联合体”：XXX 不能为空，领域写在一对中文括号“（）”中，名称中不能有其他括号。"
    field = match["field"].strip()
    if not field:
        return False, f"备案名称的括号中须写明领域，如该联合体的产业领域“{industry_field}”。"
    if field != industry_field and not confirmed:
        return False, (
            f"备案名称中的领域“{field}”与该联合体的产业领域“{industry_field}”不一致；"
            "如确需使用，请勾选“确认使用与产业领域不同的领域名称”。"
        )
    return OK
