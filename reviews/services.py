"""Use cases of 初审, 综合论证 and 备案. Every status change goes through applications.workflow."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import notify
from accounts.roles import Role
from applications import workflow
from applications.models import Consortium

from . import rules
from .models import Criterion, AppraisalRound, ExpertAssignment, RecordNumberSequence, RoundEntry, Score

DISTRICT_ACTIONS = ("district_pass", "district_return", "district_reject")
CITY_DECISIONS = ("file", "not_file", "city_return")


@dataclass
class Outcome:
    """The result of one item of a batch action."""

    consortium: Consortium
    ok: bool
    message: str


def district_review(consortium_id, actor, action, opinion, request=None):
    if action not in DISTRICT_ACTIONS:
        raise ValidationError("未知的初审操作。")
    return workflow.transition(consortium_id, action, actor, opinion=opinion, request=request)


def batch_district_pass(consortium_ids, actor, opinion, request=None):
    """Pass several applications; each in its own transaction, each reported."""
    outcomes = []
    for consortium in Consortium.objects.filter(pk__in=consortium_ids).order_by("pk"):
        try:
            workflow.transition(consortium.pk, "district_pass", actor, opinion=opinion, request=request)
        except (workflow.TransitionError, PermissionDenied) as error:
            outcomes.append(Outcome(consortium, False, str(error)))
        else:
            outcomes.append(Outcome(consortium, True, "初审通过"))
    return outcomes


def _units(consortium):
    return [m.unit for m in consortium.memberships.select_related("unit") if m.left_on is None]


def assign_expert(entry, expert, actor):
    """Assign one expert to one application, refusing an expert who must recuse."""
    if expert.role != Role.EXPERT or not expert.is_active:
        raise ValidationError(f"{expert.display_name}不是在册专家。")
    ok, reason = rules.expert_free_of_conflict(expert, _units(entry.consortium))
    if not ok:
        raise ValidationError(reason)
    assignment, created = ExpertAssignment.objects.get_or_create(entry=entry, expert=expert, defaults={"assigned_by": actor})
    if not created:
        raise ValidationError(f"{expert.display_name}已分配到该申请。")
    notify.notify(
        [expert], f"新的评审任务：{entry.consortium.name}",
        f"市科技局邀请您参加“{entry.round.title}”，对“{entry.consortium.name}”备案申请进行综合论证评分。"
        "如您与该联合体成员单位存在利害关系，请在评审页面声明回避。",
        reverse("reviews:assignment", args=[assignment.pk]),
    )
    return assignment


def create_round(title, consortium_ids, experts, actor, *, request=None):
    """Start 综合论证 for several applications and assign the experts to each.

    One transaction per application: one that cannot start (state changed meanwhile)
    does not hold back the others; an expert who must recuse is skipped for that
    application and said so.
    """
    if actor.role != Role.MUNICIPAL_STAFF:
        raise PermissionDenied("只有市科技局可以组织综合论证。")
    appraisal_round = AppraisalRound.objects.create(title=title, created_by=actor)
    outcomes = []
    for consortium in Consortium.objects.filter(pk__in=consortium_ids).order_by("pk"):
        try:
            with transaction.atomic():
                workflow.transition(consortium.pk, "start_appraisal", actor, request=request)
                entry = RoundEntry.objects.create(
                    round=appraisal_round, consortium=consortium,
                    version_number=consortium.application.versions.first().number,
                )
                notes = []
                for expert in experts:
                    try:
                        assign_expert(entry, expert, actor)
                    except ValidationError as error:
                        notes.append("；".join(error.messages))
        except (workflow.TransitionError, PermissionDenied) as error:
            outcomes.append(Outcome(consortium, False, str(error)))
        else:
            assigned = entry.assignments.count()
            message = f"已启动综合论证，分配专家 {assigned} 名" + (f"（{'；'.join(notes)}）" if notes else "")
            outcomes.append(Outcome(consortium, True, message))
    return appraisal_round, outcomes


def declare_conflict(assignment, expert, reason):
    if assignment.expert_id != expert.pk:
        raise PermissionDenied
    if assignment.submitted_at:
        raise ValidationError("已提交评分，不能再声明回避。")
    if not reason.strip():
        raise ValidationError("请说明回避理由。")
    assignment.conflict_declared = True
    assignment.conflict_reason = reason.strip()
    assignment.save(update_fields=["conflict_declared", "conflict_reason"])
    return assignment


def submit_scores(assignment_id, expert, values, comment):
    """values: {criterion id: Decimal 0–100} for every active criterion."""
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update().select_related("entry").get(pk=assignment_id)
        if assignment.expert_id != expert.pk:
            raise PermissionDenied
        if assignment.conflict_declared:
            raise ValidationError("您已声明回避，不能评分。")
        if assignment.submitted_at:
            raise ValidationError("评分已提交，不能修改。")
        if assignment.entry.decided_at:
            raise ValidationError("该申请的综合论证已结束。")
        criteria = list(Criterion.objects.filter(is_active=True))
        missing = [c.name for c in criteria if values.get(c.pk) is None]
        if missing:
            raise ValidationError(f"请为以下评分项打分：{'、'.join(missing)}。")
        Score.objects.bulk_create(
            [Score(assignment=assignment, criterion=c, weight=c.weight, value=values[c.pk]) for c in criteria]
        )
        assignment.comment = comment.strip()
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["comment", "submitted_at"])
    return assignment


def suggested_name(consortium):
    """Seed §四: 统一命名为“XXX（领域）创新联合体”."""
    base = consortium.name.removesuffix("创新联合体").strip() or consortium.lead_unit.name
    field = consortium.industry_field.name
    if f"（{field}）" in base:
        return f"{base}创新联合体"
    return f"{base}（{field}）创新联合体"


def next_record_number(year):
    """Per-year, gapless: the sequence row is locked until the filing commits (and rolled back with it)."""
    RecordNumberSequence.objects.get_or_create(year=year)
    sequence = RecordNumberSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"镇创联备〔{year}〕{sequence.last:03d}号"


def decide(consortium_id, actor, action, opinion, *, name=None, request=None):
    """The city's decision after 综合论证: file (with name and record number), not file, or return."""
    if action not in CITY_DECISIONS:
        raise ValidationError("未知的论证结论。")
    with transaction.atomic():
        entry = RoundEntry.objects.select_for_update().filter(consortium_id=consortium_id, decided_at__isnull=True).first()
        update = None
        if action == "file":
            name = (name or "").strip()
            if not name.endswith("创新联合体") or "（" not in name:
                raise ValidationError("备案名称应为“XXX（领域）创新联合体”。")
            today = timezone.localdate()
            # A refused transition rolls this transaction back, the number with it: no gaps.
            update = {"name": name, "record_number": next_record_number(today.year), "filed_on": today}
        consortium = workflow.transition(consortium_id, action, actor, opinion=opinion, request=request, update=update)
        if entry is not None:
            entry.opinion, entry.decision = opinion.strip(), action
            entry.decided_by, entry.decided_at = actor, timezone.now()
            entry.save()
    return consortium
