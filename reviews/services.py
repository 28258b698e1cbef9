"""Use cases of 初审, 综合论证 and 备案. Every status change goes through applications.workflow;
the review stage's guards and effects on it are registered here (the app's ready() imports this module).

Over 400 lines on purpose: 初审, 综合论证 and 备案 are the steps of one review, each a guard and an effect on the
workflow, read here in the order they happen.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from accounts import audit, notify
from accounts.roles import Role
from applications import workflow
from applications.choices import Status
from applications.dossier.presenters import member_rows
from applications.models import Consortium, users_who_see
from operations import clock
from operations.text import digest
from reviews import audit_actions as reviews_actions

from . import rules, scoring
from .models import (
    NUMBER_FORMATS,
    AppraisalRound,
    Criterion,
    DocumentKind,
    DocumentNumberSequence,
    ExpertAssignment,
    FilingNotice,
    RoundEntry,
    Score,
)

DISTRICT_ACTIONS = tuple(step.action for step in workflow.steps_from(Status.SUBMITTED, Role.DISTRICT_REVIEWER))
CITY_DECISIONS = tuple(step.action for step in workflow.steps_from(Status.UNDER_APPRAISAL, Role.MUNICIPAL_STAFF))


@dataclass
class Outcome:
    """The result of one item of a batch action."""

    consortium: Consortium
    ok: bool
    message: str


def _staff_only(actor, what):
    if actor.role != Role.MUNICIPAL_STAFF:
        raise PermissionDenied(f"只有市科技局可以{what}。")


# ---------------------------------------------------------------------------
# 初审
# ---------------------------------------------------------------------------


def district_review(consortium_id, actor, action, opinion, request=None):
    if action not in DISTRICT_ACTIONS:
        raise ValidationError("未知的初审操作。")
    return workflow.transition(consortium_id, action, actor, opinion=opinion, request=request).consortium


def batch_district_pass(consortium_ids, actor, opinion, request=None):
    """Pass several applications the actor may see; each in its own transaction, each reported."""
    outcomes = []
    label = workflow.ACTION_LABELS["district_pass"]
    for consortium in Consortium.objects.visible_to(actor).filter(pk__in=consortium_ids).order_by("pk"):
        try:
            workflow.transition(consortium.pk, "district_pass", actor, opinion=opinion, request=request)
        except (workflow.TransitionError, PermissionDenied) as error:
            outcomes.append(Outcome(consortium, False, str(error)))
        else:
            outcomes.append(Outcome(consortium, True, label))
    return outcomes


# ---------------------------------------------------------------------------
# 综合论证
# ---------------------------------------------------------------------------


def _members_for_conflict(consortium):
    """(declared name, registry name, credit code) of every current member, lead included."""
    return [(m.unit_name, m.unit.name, m.unit.credit_code) for m in consortium.memberships.current().select_related("unit")]


def ensure_may_score(expert, consortium):
    """An expert may score a consortium (its application, or its annual report) only if active and free of
    conflict with every current member (回避); raises ValidationError with the reason otherwise."""
    if expert.role != Role.EXPERT or not expert.is_active:
        raise ValidationError(f"{expert.display_name}不是在册专家。")
    ok, reason = rules.expert_free_of_conflict(expert, _members_for_conflict(consortium))
    if not ok:
        raise ValidationError(reason)


def _assign(entry, expert, actor, request=None):
    ensure_may_score(expert, entry.consortium)
    assignment, created = ExpertAssignment.objects.get_or_create(entry=entry, expert=expert, defaults={"assigned_by": actor})
    if not created:
        raise ValidationError(f"{expert.display_name}已分配到该申请。")
    audit.record(
        reviews_actions.EXPERT_ASSIGNED, request=request, actor=actor,
        target=f"创新联合体 {entry.consortium_id} {entry.consortium.name}", detail=f"专家：{expert.display_name}（{expert.username}）",
    )
    notify.notify(
        [expert], f"新的评审任务：{entry.consortium.name}",
        f"市科技局邀请您参加“{entry.round.title}”，对“{entry.consortium.name}”备案申请进行综合论证评分。"
        "如您与该联合体成员单位存在利害关系，请在评审页面声明回避。",
        reverse("reviews:assignment", args=[assignment.pk]),
    )
    return assignment


def assign_expert(entry_id, expert, actor, *, request=None):
    """Add one expert to a running 综合论证, refusing an expert who must recuse."""
    _staff_only(actor, "分配评审专家")
    with transaction.atomic():
        entry = RoundEntry.objects.select_for_update(of=("self",)).select_related("consortium", "round").get(pk=entry_id)
        if entry.decided_at is not None:
            raise ValidationError("该申请的综合论证已结束，不能再分配专家。")
        return _assign(entry, expert, actor, request)


@dataclass(frozen=True)
class AppraisalStart:
    """What start_appraisal is asked: the round the application enters and the experts to assign."""

    round: AppraisalRound
    experts: tuple = ()


@workflow.effect("open_appraisal")
def _open_appraisal(taken, start):
    """start_appraisal: the application enters the round with the version it is appraised on; experts are assigned,
    each who must recuse skipped. Returns what was skipped and why."""
    consortium = taken.consortium
    entry = RoundEntry.objects.create(
        round=start.round, consortium=consortium, version_number=consortium.application.versions.order_by("-number").first().number,
    )
    notes = []
    for expert in start.experts:
        try:
            with transaction.atomic():
                _assign(entry, expert, taken.actor, taken.request)
        except ValidationError as error:
            notes.append("；".join(error.messages))
    return notes


def create_round(title, consortium_ids, experts, actor, *, request=None):
    """Start 综合论证 for several applications and assign the experts to each.

    Each application in its own savepoint: one that cannot start (its state changed meanwhile) does
    not hold back the others, and an expert who must recuse is skipped for it and said so. When not
    one application could start, no round is left behind. Returns (round or None, outcomes).
    """
    _staff_only(actor, "组织综合论证")
    outcomes = []
    with transaction.atomic():
        appraisal_round = AppraisalRound.objects.create(title=title, created_by=actor)
        for consortium in Consortium.objects.visible_to(actor).filter(pk__in=consortium_ids).order_by("pk"):
            try:
                with transaction.atomic():
                    started = workflow.transition(consortium.pk, "start_appraisal", actor, request=request,
                                                  proposal=AppraisalStart(appraisal_round, tuple(experts)))
            except (workflow.TransitionError, PermissionDenied) as error:
                outcomes.append(Outcome(consortium, False, str(error)))
            else:
                notes = started.results["open_appraisal"]
                assigned = ExpertAssignment.objects.filter(entry__round=appraisal_round, entry__consortium=consortium).count()
                message = f"已启动综合论证，分配专家 {assigned} 名" + (f"（{'；'.join(notes)}）" if notes else "")
                outcomes.append(Outcome(consortium, True, message))
        if not any(outcome.ok for outcome in outcomes):
            transaction.set_rollback(True)
            return None, outcomes
    return appraisal_round, outcomes


def declare_conflict(assignment_id, expert, reason, *, request=None):
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update(of=("self",)).select_related("entry__consortium").get(pk=assignment_id)
        consortium = assignment.entry.consortium
        return record_conflict(assignment, expert, reason, closed="该申请的综合论证已结束。" if assignment.entry.decided_at else "",
                               target=f"创新联合体 {consortium.pk} {consortium.name}", request=request)


def _locked_assignment(assignment_id):
    return ExpertAssignment.objects.select_for_update(of=("self",)).select_related("entry__consortium", "expert").get(pk=assignment_id)


def _appraisal_recheck(assignment, expert, request):
    if assignment.entry.decided_at is not None:  # over: nothing left to score
        return ""
    consortium = assignment.entry.consortium
    return recuse_on_new_conflict(
        assignment, expert, consortium, what=f"“{consortium.name}”的综合论证", target=f"创新联合体 {consortium.pk} {consortium.name}",
        link=reverse("reviews:review", args=[consortium.pk]), request=request,
    )


def open_assignment(assignment_id, expert, *, request=None):
    """The expert opens a 综合论证 task: the 回避 check runs again (recuse_on_new_conflict); returns its reason or ""."""
    with transaction.atomic():
        return _appraisal_recheck(_locked_assignment(assignment_id), expert, request)


def submit_scores(assignment_id, expert, values, comment, *, request=None):
    """values: {criterion id: Decimal 0–100} for every active criterion. Raises Recused (after the recusal is kept)
    when the expert turns out to be in conflict now."""
    with transaction.atomic():
        assignment = _locked_assignment(assignment_id)
        consortium = assignment.entry.consortium
        recused = _appraisal_recheck(assignment, expert, request)
        if not recused:
            return record_scores(assignment, expert, values, comment, criteria=Criterion.objects.filter(is_active=True),
                                 score_model=Score, closed="该申请的综合论证已结束。" if assignment.entry.decided_at else "",
                                 target=f"创新联合体 {consortium.pk} {consortium.name}", request=request)
    raise Recused(recused)


# The reason a task recused by the system (not declared by the expert) carries, and its audit event.
RECUSED_AT_SCORING = "评分时复核发现利害关系，自动回避"


class Recused(ValidationError):
    """Scoring refused because the expert must recuse now; the task has been marked recused (and that is kept)."""

    def __init__(self, reason):
        super().__init__(f"{reason}该评审任务已按回避规定标记为回避，不能评分，市科技局将另行安排专家。")


def recuse_on_new_conflict(assignment, expert, consortium, *, what, target, link, request=None):
    """回避 at scoring: the check made at assignment (ensure_may_score) runs again when the expert opens the task and
    when they submit scores, against the consortium's members of today — an expert whose employer joined since, or
    who moved to a member, may not score. Such a task is marked recused with the reason, audited, and the city staff
    are told to find another expert. The caller holds the task's row locked.

    Returns the reason when the expert is recused now; "" when free of conflict, or already recused or scored.
    """
    if assignment.expert_id != expert.pk:
        raise PermissionDenied
    if assignment.conflict_declared or assignment.submitted_at:
        return ""
    ok, reason = rules.expert_free_of_conflict(expert, _members_for_conflict(consortium))
    if ok:
        return ""
    assignment.conflict_declared = True
    assignment.conflict_reason = f"{RECUSED_AT_SCORING}：{reason}"[:300]
    assignment.save(update_fields=["conflict_declared", "conflict_reason"])
    audit.record(reviews_actions.CONFLICT_DECLARED, request=request, actor=expert, target=target,
                 detail=f"{RECUSED_AT_SCORING}：{reason}")
    notify.notify(
        users_who_see(consortium, Role.MUNICIPAL_STAFF), f"专家已回避：{consortium.name}",
        f"{what}：{reason}系统在专家评分时复核发现，已将其评审任务标记为回避，请另行安排专家。",
        link,
    )
    return reason


# The two steps of an expert's task, shared by every kind of expert scoring (the 综合论证 here, the
# 绩效评价 in evaluations): the caller locks its own task row and says whether scoring has closed.


def _open_task(assignment, expert, closed):
    if assignment.expert_id != expert.pk:
        raise PermissionDenied
    if assignment.conflict_declared:
        raise ValidationError("您已声明回避，不能评分。")
    if assignment.submitted_at:
        raise ValidationError("评分已提交，不能修改。")
    if closed:
        raise ValidationError(closed)


def record_conflict(assignment, expert, reason, *, closed, target, request=None):
    """回避: the expert steps back from a task not yet scored. ``closed``: why scoring has ended, or ""."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请说明回避理由。")
    if assignment.expert_id != expert.pk:
        raise PermissionDenied
    if assignment.submitted_at:
        raise ValidationError("已提交评分，不能再声明回避。")
    if closed:
        raise ValidationError(closed)
    assignment.conflict_declared, assignment.conflict_reason = True, reason
    assignment.save(update_fields=["conflict_declared", "conflict_reason"])
    audit.record(reviews_actions.CONFLICT_DECLARED, request=request, actor=expert, target=target, detail=f"回避理由：{reason}")
    return assignment


def record_scores(assignment, expert, values, comment, *, criteria, score_model, closed, target, request=None):
    """Store an expert's scores, one per active criterion with its weight now, and close the task.

    ``values``: {criterion id: Decimal 0–100}; ``score_model``: the task's Score table (fields assignment,
    criterion, weight, value); ``closed``: why scoring has ended, or "".
    """
    _open_task(assignment, expert, closed)
    criteria = list(criteria)
    missing = [c.name for c in criteria if values.get(c.pk) is None]
    if missing:
        raise ValidationError(f"请为以下评分项打分：{'、'.join(missing)}。")
    score_model.objects.bulk_create(
        [score_model(assignment=assignment, criterion=c, weight=c.weight, value=values[c.pk]) for c in criteria]
    )
    assignment.comment = comment.strip()
    assignment.submitted_at = clock.now()
    assignment.save(update_fields=["comment", "submitted_at"])
    total = scoring.weighted_total([(values[c.pk], c.weight) for c in criteria])
    audit.record(reviews_actions.SCORES_SUBMITTED, request=request, actor=expert, target=target, detail=f"加权得分 {total}")
    return assignment


def save_criteria(formset, actor, *, target="综合论证评分项", request=None):
    """Staff edit the criteria and their weights (the formset already checked they total 100).

    ``formset``: a model formset over a criterion table (this app's Criterion, or another kind of
    expert scoring's); ``target`` names the list in the audit log.
    """
    _staff_only(actor, "修改评分项")
    criteria = formset.model.objects
    with transaction.atomic():
        before = {c.pk: str(c) + ("" if c.is_active else "（停用）") for c in criteria.all()}
        formset.save()
        after = {c.pk: str(c) + ("" if c.is_active else "（停用）") for c in criteria.all()}
        changes = [f"{before.get(pk, '新增')} → {label}" for pk, label in after.items() if before.get(pk) != label]
        if changes:
            audit.record(reviews_actions.CRITERIA_CHANGED, request=request, actor=actor, target=target,
                         detail="；".join(changes))
    return changes


@dataclass(frozen=True)
class AppraisalDecision:
    """What a decision after 综合论证 acts on: the running entry (its scores complete) and, for 予以备案, the name."""

    entry: RoundEntry
    name: str = ""


@workflow.check("appraisal_running")
def _appraisal_running(consortium, actor, proposal, subject):
    entry = RoundEntry.objects.filter(consortium=consortium, decided_at__isnull=True).first()
    if entry is None:
        raise workflow.Refused("该申请没有进行中的综合论证。")
    return AppraisalDecision(entry)


@workflow.check("appraisal_decided")
def _scores_complete(consortium, actor, proposal, subject):
    """予以备案 and 不予备案 rest on the experts' scores: every expert who has not recused has scored; 予以备案 names the
    consortium as the work plan does."""
    entry = _appraisal_running(consortium, actor, proposal, subject).entry
    reasons = []
    waiting = scoring.missing_experts(entry.assignments.select_related("expert"))
    if waiting:
        reasons.append(f"以下专家尚未提交评分：{'、'.join(expert.display_name for expert in waiting)}。")
    elif not entry.assignments.filter(conflict_declared=False, submitted_at__isnull=False).exists():
        reasons.append("尚无专家提交评分，请先分配专家并等待评分。")
    name = (getattr(proposal, "name", "") or "").strip()
    if isinstance(proposal, Filing):
        ok, reason = rules.filing_name_valid(name, consortium.industry_field.name, proposal.confirm_field)
        if not ok:
            reasons.append(reason)
    if reasons:
        raise workflow.Refused(reasons)
    return AppraisalDecision(entry, name)


@workflow.effect("close_appraisal")
def _close_appraisal(taken, decided):
    """The running 综合论证 records the decision and its opinion, and freezes the 综合论证意见 as decided (its printed
    code is its own); the record stays readable afterwards."""
    entry = RoundEntry.objects.select_for_update(of=("self",)).get(pk=decided.entry.pk)
    change = taken.change
    entry.opinion, entry.decision, entry.decided_by, entry.decided_at = change.opinion, change.action, taken.actor, clock.now()
    return _freeze_opinion(entry, decided.name if change.action == "file" else "")


def _printed(number):
    return None if number is None else str(number)


def appraisal_content(entry, *, filed_name=""):
    """The 综合论证意见 of an entry as printed: the application as appraised (its frozen version), each expert's
    scores, their mean and spread, and the decision with its opinion once taken. Plain JSON."""
    version = entry.consortium.application.versions.filter(number=entry.version_number).first()
    appraised = version.content["consortium"] if version else {}
    summary = scoring.summarize(entry.assignments.select_related("expert").prefetch_related("scores__criterion"))
    table = scoring.score_table(summary)
    return {
        "consortium": {
            "name": appraised.get("name") or entry.consortium.name,
            "lead_unit": appraised.get("lead_unit") or entry.consortium.lead_unit.name,
            "industry_field": appraised.get("industry_field") or entry.consortium.industry_field.name,
        },
        "filed_name": filed_name,
        "round": entry.round.title,
        "version_number": entry.version_number,
        "criteria": [[name, weight] for name, weight in table["criteria"]],
        "table": [{"expert": row["expert"], "note": row["note"], "values": [_printed(v) for v in row["values"]],
                   "total": _printed(row["total"])} for row in table["table"]],
        "summary": {"submitted": summary.submitted, "expected": summary.expected,
                    "mean": _printed(summary.mean), "spread": _printed(summary.spread)},
        "decision": entry.decision,
        "decision_label": entry.decision_label,
        "opinion": entry.opinion,
        "decided_on": clock.localdate(entry.decided_at).isoformat() if entry.decided_at else "",
    }


def _freeze_opinion(entry, filed_name=""):
    entry.content = appraisal_content(entry, filed_name=filed_name)
    entry.sha256 = digest(entry.content)
    entry.save(update_fields=["opinion", "decision", "decided_by", "decided_at", "content", "sha256"])
    return entry


def frozen_opinion(entry_id):
    """A decided entry's frozen 综合论证意见; an entry decided before opinions were frozen is frozen now, from its
    record as it stands (scores and decision no longer change once decided)."""
    with transaction.atomic():
        entry = RoundEntry.objects.select_for_update(of=("self",)).select_related(
            "consortium__lead_unit", "consortium__industry_field", "consortium__application", "round").get(pk=entry_id)
        if entry.decided_at is not None and not entry.sha256:
            filed = entry.decision == "file" and entry.consortium.record_number
            _freeze_opinion(entry, entry.consortium.name if filed else "")
        return entry


def set_draft_printing(entry_id, actor, printable):
    """Staff choose whether an entry's 综合论证意见 may print as 未定稿 before the decision (default: it may)."""
    _staff_only(actor, "设置综合论证意见的打印")
    with transaction.atomic():
        entry = RoundEntry.objects.select_for_update(of=("self",)).get(pk=entry_id)
        if entry.decided_at is not None:
            raise ValidationError("该申请的综合论证已结束，论证意见按定稿打印。")
        entry.draft_printable = printable
        entry.save(update_fields=["draft_printable"])
        return entry


def suggested_name(consortium):
    """Seed §四: 统一命名为“XXX（领域）创新联合体”, the 领域 being the consortium's industry field (any bracketed
    words of the name as proposed are left out: the filed name has one pair of brackets)."""
    base = re.sub(r"[（(][^（）()]*[）)]", "", consortium.name.removesuffix("创新联合体")).strip()
    return f"{base or consortium.lead_unit.name}（{consortium.industry_field.name}）创新联合体"


def next_document_number(kind, year):
    """The next number of a kind of document (DocumentKind) in a year, formatted as printed: per kind and year,
    gapless — the sequence row stays locked until the deciding transaction commits, and is rolled back with it."""
    DocumentNumberSequence.objects.get_or_create(kind=kind, year=year)
    sequence = DocumentNumberSequence.objects.select_for_update().get(kind=kind, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return NUMBER_FORMATS[kind].format(year=year, number=sequence.last)


def copy_to(consortium):
    """Whom a decision on a consortium is copied to (抄送): the district bureau of its lead unit, which did the 初审."""
    bureau = consortium.lead_unit.bureau
    return bureau.name if bureau is not None else ""


def filing_notice_content(consortium):
    """The 备案通知书 as printed: the record number and date, the name given, the members as the filed version
    declared them, and the district it is copied to. Plain JSON."""
    version = consortium.application.versions.order_by("-number").first()  # a filed 申请书 is never submitted again
    return {
        "record_number": consortium.record_number,
        "filed_on": consortium.filed_on.isoformat(),
        "consortium": {"name": consortium.name, "lead_unit": consortium.lead_unit.name,
                       "industry_field": consortium.industry_field.name},
        "version_number": version.number if version else None,
        "members": [{key: row[key] for key in ("number", "name", "credit_code", "is_lead")}
                    for row in member_rows(version.content["members"] if version else [])],
        "copy_to": copy_to(consortium),
    }


def _freeze_filing_notice(consortium):
    content = filing_notice_content(consortium)
    return FilingNotice.objects.create(consortium=consortium, content=content, sha256=digest(content))


@dataclass(frozen=True)
class Filing:
    """予以备案 is asked with the name the consortium is filed under; ``confirm_field``: the city means a 领域 in the
    name other than the consortium's industry field."""

    name: str
    confirm_field: bool = False


@workflow.effect("file_consortium")
def _file_consortium(taken, decided):
    consortium = taken.consortium
    today = clock.today()
    consortium.name = decided.name
    # A refused or failing step rolls this transaction back, the number with it: no gaps.
    consortium.record_number = next_document_number(DocumentKind.FILING, today.year)
    consortium.filed_on = today
    _freeze_filing_notice(consortium)


def filing_notice(consortium):
    """A filed consortium's 备案通知书; one filed before notices were frozen is frozen now, from its record."""
    with transaction.atomic():
        notice = FilingNotice.objects.filter(consortium=consortium).first()
        if notice is None:
            Consortium.objects.select_for_update(of=("self",)).get(pk=consortium.pk)
            notice = FilingNotice.objects.filter(consortium=consortium).first() or _freeze_filing_notice(consortium)
        return notice


def decide(consortium_id, actor, action, opinion, *, name=None, confirm_field=False, request=None):
    """The city's decision after 综合论证: file (with name and record number), not file, or return.
    ``confirm_field``: the city means a 领域 in the name other than the consortium's industry field."""
    if action not in CITY_DECISIONS:
        raise ValidationError("未知的论证结论。")
    return workflow.transition(consortium_id, action, actor, opinion=opinion, request=request,
                               proposal=Filing(name or "", confirm_field) if action == "file" else None).consortium
