"""Dissolution (§六（三））: asked by the lead, recorded by the city, never while a project is 在研."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from applications import workflow

from .. import rules
from ..choices import RequestStatus
from ..models import DissolutionRequest, LiaisonAssignment
from ..support.services import running_projects


@workflow.guard("no_active_projects")
def _no_active_projects(consortium, actor, params):
    ok, reason = rules.no_project_running(running_projects(consortium))
    return [] if ok else [reason]


def pending_dissolution(consortium):
    return DissolutionRequest.objects.filter(consortium=consortium, status=RequestStatus.PENDING).first()


@workflow.guard("no_dissolution_request_pending")
def _no_dissolution_request_pending(consortium, actor, params):
    return ["已有一项解散申请等待市科技局办理。"] if pending_dissolution(consortium) else []


@workflow.guard("dissolution_requested")
def _dissolution_requested(consortium, actor, params):
    return [] if pending_dissolution(consortium) else ["牵头单位尚未提出解散申请。"]


@workflow.effect("record_dissolution_request")
def _record_dissolution_request(consortium, change, actor, params):
    DissolutionRequest.objects.create(consortium=consortium, reason=change.opinion, requested_by=actor)


@workflow.effect("return_dissolution_request")
def _return_dissolution_request(consortium, change, actor, params):
    DissolutionRequest.objects.filter(consortium=consortium, status=RequestStatus.PENDING).update(
        status=RequestStatus.RETURNED, decided_by=actor, decided_at=timezone.now(), opinion=change.opinion,
    )


@workflow.effect("record_dissolution")
def _record_dissolution(consortium, change, actor, params):
    """The lead's pending request is recorded with the city's opinion; the lead is free to lead again (no ban)."""
    DissolutionRequest.objects.filter(consortium=consortium, status=RequestStatus.PENDING).update(
        status=RequestStatus.RECORDED, decided_by=actor, decided_at=timezone.now(), opinion=change.opinion,
    )
    LiaisonAssignment.objects.filter(consortium=consortium, ended_at__isnull=True).update(ended_at=timezone.now())


def request_dissolution(consortium_id, actor, reason, *, request=None):
    return workflow.transition(consortium_id, "request_dissolution", actor, opinion=reason, request=request)


def decide_dissolution(consortium_id, actor, action, opinion, *, request=None):
    """解散 (dissolve) or return the request (return_dissolution), each with an opinion."""
    if action not in ("dissolve", "return_dissolution"):
        raise ValidationError("未知的办理结论。")
    return workflow.transition(consortium_id, action, actor, opinion=opinion, request=request)
