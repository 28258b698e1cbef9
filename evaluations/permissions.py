"""What a user may do with a consortium after 备案, computed once per page for its buttons and forms.

Every decision is a workflow step: whether it is offered comes from the one table
(workflow.available_steps: state, role, scope), and why it cannot be taken now from its guards.
"""

from accounts.roles import Role
from applications import permissions as application_permissions
from applications import workflow
from applications.choices import Status


def offered(user, consortium):
    """The after-filing actions this user may take on this consortium in its state (before the guards)."""
    return {step.action for step in workflow.available_steps(user, consortium)}


def for_page(user, consortium):
    actions = offered(user, consortium)
    filed = consortium.status == Status.FILED
    revoke_ok, revoke_reason = application_permissions.can_take(user, consortium, "revoke")
    dissolve_ok, dissolve_reason = application_permissions.can_take(user, consortium, "dissolve")
    ask_ok, ask_reason = application_permissions.can_take(user, consortium, "request_dissolution")
    return {
        "actions": actions,
        "is_staff": user.role == Role.MUNICIPAL_STAFF,
        "is_lead": user.role == Role.APPLICANT,
        "can_write_report": filed and user.role == Role.APPLICANT,
        "can_grade": "evaluate" in actions,
        "can_revoke": revoke_ok,
        "revoke_reason": revoke_reason if "revoke" in actions else "",
        "can_request_member_change": "request_member_change" in actions,
        "can_decide_member_change": "record_member_change" in actions,
        "can_request_dissolution": ask_ok,
        "request_dissolution_reason": ask_reason if "request_dissolution" in actions else "",
        "can_dissolve": dissolve_ok,
        "dissolve_reason": dissolve_reason if "dissolve" in actions else "",
        "can_decide_dissolution": "dissolve" in actions,
        "can_assign_liaison": "assign_liaison" in actions,
        "can_record_projects": filed and user.role == Role.MUNICIPAL_STAFF,
    }
