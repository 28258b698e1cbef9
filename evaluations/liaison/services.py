"""科技联络员 (§六（一））: chosen by the city (a workflow step); the history is kept."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from accounts import audit, notify
from accounts.roles import Role
from applications import workflow
from operations import clock

from .. import audit_actions as evaluations_actions
from .. import common, permissions
from ..models import FollowUp, LiaisonAssignment, LiaisonOpinion, WorkRecord


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
    LiaisonAssignment.objects.filter(consortium=consortium, ended_at__isnull=True).update(ended_at=clock.now())
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


# --- the bureaus' work records (§六（一）: 定期了解工作进展和上门服务) ------------------------------------------------


def record_work(consortium_id, actor, data, follow_ups, *, request=None):
    """A visit, meeting or coordination item, with its follow-ups ([{task, due_on}]); by the consortium's 科技联络员 or
    its district. Returns the WorkRecord."""
    with transaction.atomic():
        consortium = common.filed_consortium(consortium_id, actor, lock=True)
        allowed, reason = permissions.work_rights(actor, consortium)
        if not allowed:
            raise PermissionDenied(reason)
        if data["happened_on"] > clock.today():
            raise ValidationError({"happened_on": "日期不能晚于今天。"})
        record = WorkRecord.objects.create(
            consortium=consortium, kind=data["kind"], happened_on=data["happened_on"], participants=data["participants"],
            agreed=data["agreed"], recorded_by=actor,
            recorded_as=actor.bureau.name if actor.role == Role.DISTRICT_REVIEWER and actor.bureau_id else "科技联络员",
        )
        FollowUp.objects.bulk_create(FollowUp(record=record, task=row["task"], due_on=row["due_on"]) for row in follow_ups)
        audit.record(evaluations_actions.WORK_RECORDED, request=request, actor=actor, target=common.target(consortium),
                     detail=f"{record.get_kind_display()} {record.happened_on}；跟进事项 {len(follow_ups)} 项")
    return record


def set_follow_up(follow_up_id, actor, done, *, request=None):
    """A follow-up marked done (today) or not done again, by whoever may record on its consortium."""
    with transaction.atomic():
        follow_up = FollowUp.objects.visible_to(actor).select_for_update(of=("self",)).select_related("record__consortium").filter(
            pk=follow_up_id).first()
        if follow_up is None:
            raise PermissionDenied("没有找到该跟进事项。")
        allowed, reason = permissions.work_rights(actor, follow_up.record.consortium)
        if not allowed:
            raise PermissionDenied(reason)
        follow_up.done_on, follow_up.done_by = (clock.today(), actor) if done else (None, None)
        follow_up.save(update_fields=["done_on", "done_by"])
        audit.record(evaluations_actions.FOLLOW_UP_CHANGED, request=request, actor=actor,
                     target=common.target(follow_up.record.consortium), detail=f"{follow_up.task}：{'已完成' if done else '未完成'}")
    return follow_up


def write_opinion(consortium_id, actor, about, subject_id, text, *, request=None):
    """The current 科技联络员's opinion on a member change, a dissolution request or a year's evaluation (asked, never
    required): written or rewritten until the staff decide; shown to them."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写意见。"})
    with transaction.atomic():
        consortium = common.filed_consortium(consortium_id, actor, lock=True)
        if not permissions.is_current_liaison(actor, consortium):
            raise PermissionDenied("只有该创新联合体的科技联络员可以填写联络员意见。")
        opinion, _ = LiaisonOpinion.objects.update_or_create(
            about=about, subject_id=subject_id, officer=actor, defaults={"consortium": consortium, "text": text})
        audit.record(evaluations_actions.LIAISON_OPINION, request=request, actor=actor, target=common.target(consortium),
                     detail=f"{opinion.get_about_display()} {subject_id}：{text}")
    return opinion
