"""What a user may do with a consortium after 备案, computed once per page for its buttons and forms.

Every decision is a step of a state table: the consortium's own (applications.workflow) or a request's (a member
change, a dissolution request). Whether a step is offered comes from its table (state, role, scope), and why it
cannot be taken now from its guards and check.
"""

from accounts.roles import Role
from applications import workflow
from applications.choices import Status

from . import flows


def offered(user, consortium):
    """The after-filing actions of the consortium's own table this user may take in its state (before the guards);
    ``consortium`` as the page read it, in the user's scope (web.consortium_or_404)."""
    return {step.action for step in workflow.LIFECYCLE.steps_in_scope(user, consortium)}


def _can(flow, user, consortium, action, subject=None):
    """(may, why not) of one step of a flow, for a page's button: offered by the table, let through by guards and check."""
    steps = [step for step in flow.steps_in_scope(user, consortium, subject) if step.action == action]
    if not steps:
        return False, ""
    reasons = flow.refusal_reasons(steps[0], consortium, user, subject=subject)
    return (False, "；".join(reasons)) if reasons else (True, "")


def for_page(user, consortium):
    """The buttons of a page on ``consortium``, read through Consortium.objects.visible_to(user) by the page
    (web.consortium_or_404): its scope is not asked again. The guards read the rows a page may have read with the
    consortium (overview.selectors.page_rows) instead of asking the database again."""
    actions = offered(user, consortium)
    filed = consortium.status == Status.FILED
    pending_dissolution = flows.open_request(flows.DISSOLUTION_REQUEST, consortium) if filed else None
    pending_change = flows.open_request(flows.MEMBER_CHANGE, consortium) if filed else None
    revoke_ok, revoke_reason = _can(workflow.LIFECYCLE, user, consortium, "revoke")
    dissolve_ok, dissolve_reason = _can(workflow.LIFECYCLE, user, consortium, "dissolve")
    ask_ok, ask_reason = _can(flows.DISSOLUTION_REQUEST, user, consortium, "request_dissolution", pending_dissolution)
    change_ok, change_reason = _can(flows.MEMBER_CHANGE, user, consortium, "request_member_change", pending_change)
    grade_ok, grade_reason = _can(workflow.LIFECYCLE, user, consortium, "evaluate")
    return {
        "actions": actions,
        "is_staff": user.role == Role.MUNICIPAL_STAFF,
        "is_lead": user.role == Role.APPLICANT,
        "can_write_report": filed and user.role == Role.APPLICANT,
        "can_grade": grade_ok,
        "grade_reason": grade_reason,
        "can_correct_grade": "correct_grade" in actions,
        "can_revoke": revoke_ok,
        "revoke_reason": revoke_reason,
        "can_request_member_change": change_ok,
        "request_member_change_reason": change_reason,
        "can_decide_member_change": pending_change is not None and "file_member_change" in {
            step.action for step in flows.MEMBER_CHANGE.steps_in_scope(user, consortium, pending_change)},
        "can_request_dissolution": ask_ok,
        "request_dissolution_reason": ask_reason,
        "can_dissolve": dissolve_ok,
        "dissolve_reason": dissolve_reason,
        "can_decide_dissolution": "dissolve" in actions,
        "can_assign_liaison": "assign_liaison" in actions,
        "can_record_projects": filed and user.role == Role.MUNICIPAL_STAFF,
        "can_record_support": filed and user.role in (Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER),
        "can_recommend": filed and user.role == Role.MUNICIPAL_STAFF,
    }


WORK_RECORDERS_ONLY = "只有该创新联合体的科技联络员和所在辖市区科技部门可以记录走访、会议和协调事项。"


def is_current_liaison(user, consortium):
    """Read through the consortium's relation, so that a page which read its liaisons with it asks no more."""
    return user.role == Role.MUNICIPAL_STAFF and any(
        assignment.is_current and assignment.officer_id == user.pk for assignment in consortium.liaisons.all())


def work_rights(user, consortium):
    """(may record a visit, meeting or coordination item on it, why not): its current 科技联络员 and the staff of its
    district (the caller has checked the scope), while it is filed. Applicants never see the bureaus' notes."""
    if consortium.status != Status.FILED:
        return False, "该创新联合体已不在备案管理期内，不能再记录。"
    if user.role == Role.DISTRICT_REVIEWER or is_current_liaison(user, consortium):
        return True, ""
    return False, WORK_RECORDERS_ONLY


def sees_work(user):
    """The bureaus' notes are read by the city and the district (in scope); never by applicants or experts."""
    return user.role in (Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER)
