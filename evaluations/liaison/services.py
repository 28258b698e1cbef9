"""科技联络员 (§六（一））: chosen by the city (a workflow step); the history is kept."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from accounts import notify
from accounts.roles import Role
from applications import workflow

from ..models import LiaisonAssignment


def current_liaison(consortium):
    return LiaisonAssignment.objects.current().filter(consortium=consortium).select_related("officer").first()


@dataclass(frozen=True)
class LiaisonChoice:
    """The officer chosen, and the liaison they replace (None for the first)."""

    officer: object
    previous: LiaisonAssignment | None


@workflow.check("liaison")
def _liaison_eligible(consortium, actor, officer, subject):
    if officer is None:  # asked for a page's buttons
        return None
    if officer.role != Role.MUNICIPAL_STAFF or not officer.is_active:
        raise workflow.Refused("科技联络员须为市科技局业务处室在职人员。")
    current = current_liaison(consortium)
    if current is not None and current.officer_id == officer.pk:
        raise workflow.Refused(f"{officer.display_name}已是该联合体的科技联络员。")
    return LiaisonChoice(officer, current)


@workflow.effect("assign_liaison")
def _assign_liaison(taken, chosen):
    consortium, officer = taken.consortium, chosen.officer
    LiaisonAssignment.objects.filter(consortium=consortium, ended_at__isnull=True).update(ended_at=timezone.now())
    assignment = LiaisonAssignment.objects.create(consortium=consortium, officer=officer, assigned_by=taken.actor)
    contact = f"（{officer.phone}）" if officer.phone else ""
    taken.change.detail = (f"科技联络员：{officer.display_name}{contact}"
                           + (f"（接替{chosen.previous.officer.display_name}）" if chosen.previous else ""))
    notify.notify([officer], f"选派为科技联络员：{consortium.name}",
                  f"市科技局选派您为“{consortium.name}”的科技联络员，请定期了解其工作进展并做好联系指导。",
                  reverse("evaluations:consortium", args=[consortium.pk]))
    return assignment


def assign_liaison(consortium_id, actor, officer, *, note="", request=None):
    return workflow.transition(consortium_id, "assign_liaison", actor, opinion=note, request=request,
                               proposal=officer).results["assign_liaison"]
