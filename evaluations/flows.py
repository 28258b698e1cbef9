"""The small state tables of the lead's requests after 备案 (Hypha's post-award requests have theirs the same way):
a member change and a dissolution request, each asked, then settled by the city. They go through the one engine,
applications.workflow; the guards, checks and effects they name are registered by the sub-domain that owns them."""

from applications import workflow
from applications.choices import Status

from .choices import RequestStatus
from .models import DissolutionRequest, MemberChange

R = RequestStatus
# A member change has a life of its own: asked by the lead, then recorded or returned by the city. It changes the
# consortium's members, never its status; while a revocation is due it waits (DESIGN.md rule 5).
MEMBER_CHANGE = workflow.Flow("member_change", [
    #             action                   label          from       to           who                opinion  guards                 check                       effects
    workflow.Step("request_member_change", "申请成员变更", None,      R.PENDING,   workflow.APPLICANT, True,  ("revocation_not_due",), "member_change_request",    ("file_member_change_request",)),
    workflow.Step("file_member_change",  "成员变更备案", R.PENDING, R.FILED,  workflow.CITY,      False, ("revocation_not_due",), "member_change_to_file", ("apply_member_change",)),
    workflow.Step("return_member_change",  "退回成员变更", R.PENDING, R.RETURNED,  workflow.CITY,      True,  (),                      None,                       ("return_member_change",)),
], model=MemberChange, consortium_status=Status.FILED, busy="已有一项成员变更等待市科技局办理，请待其办理完毕后再申请。")

DISSOLUTION_REQUEST = workflow.Flow("dissolution_request", [
    #             action                  label          from       to          who                opinion guards                                        check  effects
    workflow.Step("request_dissolution", "申请解散",     None,      R.PENDING,  workflow.APPLICANT, True, ("revocation_not_due", "no_active_projects"), None, ("record_dissolution_request",)),
    workflow.Step("return_dissolution",  "退回解散申请", R.PENDING, R.RETURNED, workflow.CITY,      True, (),                                            None, ("return_dissolution_request",)),
], model=DissolutionRequest, consortium_status=Status.FILED, busy="已有一项解散申请等待市科技局办理。")
del R


# Where a consortium keeps each flow's requests (the models' related names).
REQUESTS = {MEMBER_CHANGE: "member_changes", DISSOLUTION_REQUEST: "dissolution_requests"}


def open_request(flow, consortium):
    """The consortium's request of this flow still waiting for the city (one at most: a constraint), or None. Read
    through the consortium's relation, so that a page which read the requests with its consortium asks no more."""
    return next((found for found in getattr(consortium, REQUESTS[flow]).all() if found.status == RequestStatus.PENDING), None)
