"""Who may do what with a consortium, as (allowed, reason).

Every answer starts from the one scope rule, ``Consortium.objects.visible_to``: a per-object check
is that queryset asked about one row, never the rule written again. Views refuse with the reason;
templates receive the booleans (see ``for_page``).
"""

from accounts.roles import Role

from . import rules, workflow
from .models import Consortium

NOT_FOUND = "没有找到该申请。"


def can_see(user, consortium_id):
    return workflow.in_scope(user, consortium_id)


ONLY_THE_LEAD_EDITS = "只有牵头单位可以编辑本申请书。"


def can_edit(user, consortium):
    """The lead unit's own accounts, while the 申请书 is a draft or returned."""
    if user.role == Role.APPLICANT and not can_see(user, consortium.pk):
        return False, ONLY_THE_LEAD_EDITS
    return can_edit_in_scope(user, consortium)


def can_edit_in_scope(user, consortium):
    """can_edit for a consortium the caller read through Consortium.objects.visible_to(user) (an editor page's own):
    the scope is not asked again."""
    if user.role != Role.APPLICANT:
        return False, ONLY_THE_LEAD_EDITS
    return rules.editable(consortium.status, consortium.get_status_display())


def can_review(user, consortium):
    """The review page: the district bureau in scope and the city, once submitted."""
    if user.role not in (Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF) or not can_see(user, consortium.pk):
        return False, NOT_FOUND
    return rules.OK


def can_take(user, consortium, action):
    """Whether the workflow lets this user take this action now, and if not, why."""
    steps = [step for step in workflow.available_steps(user, consortium) if step.action == action]
    if not steps:
        return False, f"当前状态下您不能执行“{workflow.label(action)}”。"
    reasons = workflow.refusal_reasons(steps[0], consortium, user)
    if reasons:
        return False, "；".join(reasons)
    return rules.OK


def for_page(user, consortium):
    """The booleans a consortium page needs, computed once."""
    return {
        "can_edit": can_edit(user, consortium)[0],
        "can_review": can_review(user, consortium)[0],
        "actions": {step.action for step in workflow.available_steps(user, consortium)},
    }


def visible_consortia(user):
    return Consortium.objects.visible_to(user)
