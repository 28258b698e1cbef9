"""Dissolution (§六（三））: asked by the lead, recorded by the city, never while a project is 在研 nor while a revocation
is due (a consortium cannot escape its revocation and its lead's ban by dissolving).

The request has its own small table (asked, then returned); 解散 itself is the consortium's step (FILED → DISSOLVED),
whose check finds the request it settles.
"""

from django.core.exceptions import ValidationError

from applications import workflow
from applications.choices import Status
from operations import clock

from .. import flows, rules
from ..choices import RequestStatus
from ..models import DissolutionRequest, LiaisonAssignment
from ..support.services import running_projects


@workflow.guard("no_active_projects")
def _no_active_projects(consortium, actor, proposal):
    ok, reason = rules.no_project_running(running_projects(consortium))
    return [] if ok else [reason]


def pending_dissolution(consortium):
    return flows.open_request(flows.DISSOLUTION_REQUEST, consortium)


@workflow.check("dissolution_requested")
def _dissolution_requested(consortium, actor, proposal, subject):
    # No lock of its own: a step holds the consortium's row, and a page asking why a button is off holds none.
    found = pending_dissolution(consortium)
    if found is None:
        raise workflow.Refused("牵头单位尚未提出解散申请。")
    return found


@workflow.effect("record_dissolution_request")
def _record_dissolution_request(taken, proposal):
    taken.subject = DissolutionRequest.objects.create(consortium=taken.consortium, reason=taken.change.opinion, requested_by=taken.actor)
    return taken.subject


def _settle(found, taken, status):
    found.status, found.decided_by, found.decided_at, found.opinion = status, taken.actor, clock.now(), taken.change.opinion
    found.save(update_fields=["status", "decided_by", "decided_at", "opinion"])
    return found


@workflow.effect("return_dissolution_request")
def _return_dissolution_request(taken, proposal):
    return _settle(taken.subject, taken, RequestStatus.RETURNED)


@workflow.effect("record_dissolution")
def _record_dissolution(taken, found):
    """The lead's pending request is recorded with the city's opinion; the lead is free to lead again (no ban)."""
    LiaisonAssignment.objects.filter(consortium=taken.consortium, ended_at__isnull=True).update(ended_at=clock.now())
    return _settle(found, taken, RequestStatus.FILED)


def deciding_steps():
    """What the city may do with a pending request: dissolve (the consortium's step) or return it."""
    return [workflow.STEP_BY_KEY[(Status.FILED, "dissolve")], flows.DISSOLUTION_REQUEST.by_key[(RequestStatus.PENDING, "return_dissolution")]]


def label(action):
    return {step.action: step.label for step in deciding_steps()}[action]


def request_dissolution(consortium_id, actor, reason, *, request=None):
    return flows.DISSOLUTION_REQUEST.transition(consortium_id, "request_dissolution", actor, opinion=reason, request=request).subject


def decide_dissolution(consortium_id, actor, action, opinion, *, request=None):
    """解散 (dissolve, the consortium's step) or return the request (return_dissolution), each with an opinion."""
    if action == "dissolve":
        return workflow.transition(consortium_id, action, actor, opinion=opinion, request=request)
    if action == "return_dissolution":
        return flows.DISSOLUTION_REQUEST.transition(consortium_id, action, actor, opinion=opinion, request=request)
    raise ValidationError("未知的办理结论。")
