"""科技联络员 (§六（一））: chosen by the city (a workflow step); the history is kept."""

from django.urls import reverse
from django.utils import timezone

from accounts import notify
from accounts.roles import Role
from applications import workflow

from ..models import LiaisonAssignment


def current_liaison(consortium):
    return LiaisonAssignment.objects.current().filter(consortium=consortium).select_related("officer").first()


@workflow.guard("liaison_eligible")
def _liaison_eligible(consortium, actor, params):
    officer = params.get("officer")
    if officer is None or officer.role != Role.MUNICIPAL_STAFF or not officer.is_active:
        return ["科技联络员须为市科技局业务处室在职人员。"]
    current = current_liaison(consortium)
    if current is not None and current.officer_id == officer.pk:
        return [f"{officer.display_name}已是该联合体的科技联络员。"]
    return []


@workflow.effect("assign_liaison")
def _assign_liaison(consortium, change, actor, params):
    officer = params["officer"]
    now = timezone.now()
    previous = current_liaison(consortium)
    LiaisonAssignment.objects.filter(consortium=consortium, ended_at__isnull=True).update(ended_at=now)
    LiaisonAssignment.objects.create(consortium=consortium, officer=officer, assigned_by=actor)
    contact = f"（{officer.phone}）" if officer.phone else ""
    change.detail = f"科技联络员：{officer.display_name}{contact}" + (f"（接替{previous.officer.display_name}）" if previous else "")
    notify.notify([officer], f"选派为科技联络员：{consortium.name}",
                  f"市科技局选派您为“{consortium.name}”的科技联络员，请定期了解其工作进展并做好联系指导。",
                  reverse("evaluations:consortium", args=[consortium.pk]))


def assign_liaison(consortium_id, actor, officer, *, note="", request=None):
    return workflow.transition(consortium_id, "assign_liaison", actor, opinion=note, request=request, officer=officer)
