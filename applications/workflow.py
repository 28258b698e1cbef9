"""The lifecycle of DESIGN.md, as data, and the one function that changes a status.

Read the table top to bottom and you have the whole process: from which state an
action may be taken, where it leads, who may take it, and whether a written
opinion is required. No other code writes ``Consortium.status``.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal

from accounts import audit
from accounts.models import AuditEvent
from accounts.roles import Role

from .choices import Status
from .models import Consortium, StatusChange


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    source: str
    target: str
    roles: frozenset
    opinion_required: bool = False


S, R = Status, Role
STEPS = [
    #     action            label          from                  to                    who                      opinion
    Step("submit",          "提交申请",     S.DRAFT,              S.SUBMITTED,          frozenset({R.APPLICANT})),
    Step("resubmit",        "修改后重新提交", S.RETURNED,           S.SUBMITTED,          frozenset({R.APPLICANT})),
    Step("resubmit",        "修改后重新提交", S.RETURNED_BY_CITY,   S.DISTRICT_PASSED,    frozenset({R.APPLICANT})),
    Step("district_pass",   "初审通过",     S.SUBMITTED,          S.DISTRICT_PASSED,    frozenset({R.DISTRICT_REVIEWER}), True),
    Step("district_return", "退回修改",     S.SUBMITTED,          S.RETURNED,           frozenset({R.DISTRICT_REVIEWER}), True),
    Step("district_reject", "初审不予通过",  S.SUBMITTED,          S.REJECTED,           frozenset({R.DISTRICT_REVIEWER}), True),
    Step("start_appraisal", "启动综合论证", S.DISTRICT_PASSED,    S.UNDER_APPRAISAL,   frozenset({R.MUNICIPAL_STAFF})),
    Step("file",            "予以备案",     S.UNDER_APPRAISAL,   S.FILED,              frozenset({R.MUNICIPAL_STAFF}), True),
    Step("not_file",        "不予备案",     S.UNDER_APPRAISAL,   S.NOT_FILED,          frozenset({R.MUNICIPAL_STAFF}), True),
    Step("city_return",     "退回修改",     S.UNDER_APPRAISAL,   S.RETURNED_BY_CITY,   frozenset({R.MUNICIPAL_STAFF}), True),
    Step("revoke",          "取消资格",     S.FILED,              S.REVOKED,            frozenset({R.MUNICIPAL_STAFF}), True),
    Step("dissolve",        "解散",         S.FILED,              S.DISSOLVED,          frozenset({R.MUNICIPAL_STAFF}), True),
]
del S, R
STEP_BY_KEY = {(step.source, step.action): step for step in STEPS}
ACTION_LABELS = {step.action: step.label for step in STEPS}

# Sent after the transaction commits; notification code listens here.
status_changed = Signal()  # kwargs: consortium, change


class TransitionError(Exception):
    """The action is not possible now (the state changed, or an opinion is missing)."""


def in_scope(actor, consortium):
    """Whether the actor's scope covers this consortium (own unit, own district, the city)."""
    if actor.role == Role.APPLICANT:
        return actor.unit_id is not None and actor.unit_id == consortium.lead_unit_id
    if actor.role == Role.DISTRICT_REVIEWER:
        return actor.bureau_id is not None and actor.bureau_id == consortium.lead_unit.bureau_id
    return actor.role == Role.MUNICIPAL_STAFF


def available_actions(actor, consortium):
    """The steps this actor may take on this consortium now, for showing buttons."""
    if not in_scope(actor, consortium):
        return []
    return [s for s in STEPS if s.source == consortium.status and actor.role in s.roles]


def transition(consortium_id, action, actor, *, opinion="", request=None, update=None):
    """Take ``action`` on the consortium as ``actor``; return the changed consortium.

    Locks the row, checks the state, the actor's role and scope and the opinion,
    writes the status, the decision record and the audit event in one transaction.
    ``update`` may name extra fields to set with the status (record number, date).
    """
    opinion = (opinion or "").strip()
    with transaction.atomic():
        consortium = Consortium.objects.select_for_update().select_related("lead_unit").get(pk=consortium_id)
        step = STEP_BY_KEY.get((consortium.status, action))
        if step is None:
            raise TransitionError(
                f"该申请当前状态为“{consortium.get_status_display()}”，无法执行“{ACTION_LABELS.get(action, action)}”，"
                "可能已被他人处理，请刷新页面查看最新状态。"
            )
        if actor.role not in step.roles or not in_scope(actor, consortium):
            raise PermissionDenied("您无权对该申请执行此操作。")
        if step.opinion_required and not opinion:
            raise TransitionError(f"“{step.label}”须填写意见。")
        for field, value in (update or {}).items():
            setattr(consortium, field, value)
        consortium.status = step.target
        consortium.save(update_fields=["status", "updated_at", *(update or {})])
        change = StatusChange.objects.create(
            consortium=consortium, action=action, from_status=step.source, to_status=step.target,
            actor=actor, actor_role=actor.role, opinion=opinion,
        )
        audit.record(
            AuditEvent.Action.STATUS_CHANGE, request=request, actor=actor, target=f"创新联合体 {consortium.pk} {consortium.name}",
            detail=f"{step.label}：{Status(step.source).label} → {Status(step.target).label}" + (f"；意见：{opinion}" if opinion else ""),
        )
        transaction.on_commit(lambda: status_changed.send(sender=Consortium, consortium=consortium, change=change))
    return consortium
