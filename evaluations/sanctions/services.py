"""资格取消 after two consecutive 不合格 and its 3-year ban (a workflow step), and bans recorded or lifted by hand
(they concern a unit, not a consortium, so they are not workflow steps)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts import audit, notify
from accounts.models import User
from accounts.roles import Role
from applications import phrases as application_phrases
from applications import services as application_services
from applications import workflow
from applications.models import UnitBan, users_who_see
from evaluations import audit_actions as evaluations_actions
from operations import clock
from operations.text import chinese_date, digest
from reviews import services as review_services
from reviews.models import DocumentKind

from .. import common, rules
from ..grading import selectors as grading_selectors
from ..models import Evaluation, Revocation
from . import selectors


@dataclass(frozen=True)
class RevocationDecision:
    """What the revocation rests on: the two evaluations, adjacent in year order, both 不合格."""

    evaluations: tuple


@workflow.check("revocation")
def _check_revocation(consortium, actor, proposal, subject):
    graded = grading_selectors.graded_years(consortium)
    ok, reason = rules.revocation_due(graded)
    if not ok:
        raise workflow.Refused(reason)
    pair = rules.consecutive_unqualified(graded)
    return RevocationDecision(tuple(Evaluation.objects.filter(consortium=consortium, year__in=pair).order_by("year")))


@workflow.effect("ban_lead_unit")
def _ban_lead_unit(taken, decided):
    """§六（二）: in the same transaction as the revocation, the lead unit is barred for 3 years from today; the decision
    is kept as printed on its notice, naming the two years that caused it. The units' other places are flagged and
    their leads told."""
    consortium = taken.consortium
    starts_on, ends_on = rules.ban_period(clock.today())
    ban = UnitBan.objects.create(
        unit=consortium.lead_unit, consortium=consortium, starts_on=starts_on, ends_on=ends_on, recorded_by=taken.actor,
        reason=f"牵头的“{consortium.name}”连续 2 次评价为“不合格”被取消资格",
    )
    content = {
        "consortium": {"name": consortium.name, "record_number": consortium.record_number or "",
                       "filed_on": consortium.filed_on.isoformat(), "lead_unit": consortium.lead_unit.name,
                       "district": consortium.lead_unit.bureau.name if consortium.lead_unit.bureau_id else ""},
        "grades": [{"year": e.year, "grade_label": e.get_grade_display(), "decided_on": clock.localdate(e.decided_at).isoformat()}
                   for e in decided.evaluations],
        "opinion": taken.change.opinion, "revoked_on": starts_on.isoformat(),
        "ban_starts_on": starts_on.isoformat(), "ban_ends_on": ends_on.isoformat(),
        # The decision's 文号 from its own gapless yearly sequence (given back if this transaction rolls back), the
        # remedies as the legal office worded them that day, and the district it is copied to.
        "document_number": review_services.next_document_number(DocumentKind.REVOCATION, starts_on.year),
        "remedies": settings.REVOCATION_REMEDIES_TEXT,
        "copy_to": review_services.copy_to(consortium),
    }
    revocation = Revocation.objects.create(consortium=consortium, change=taken.change, ban=ban, revoked_on=starts_on,
                                           content=content, sha256=digest(content))
    taken.change.detail = (f"{decided.evaluations[0].year}、{decided.evaluations[1].year} 年度连续 2 次评价为“不合格”；"
                           + application_phrases.lead_banned_for_three_years(consortium.lead_unit.name, starts_on, ends_on))
    transaction.on_commit(lambda: tell_other_leads(ban))
    return revocation


def revoke(consortium_id, actor, opinion, *, request=None):
    """Staff decide the revocation the portal proposes after two consecutive 不合格. Returns the Revocation."""
    return workflow.transition(consortium_id, "revoke", actor, opinion=opinion, request=request).results["ban_lead_unit"]


def tell_other_leads(ban):
    """The leads of the other filed consortia that list a newly banned unit are told, with the way to settle it
    (a member change that removes it); the places stay flagged on their pages and lists until then. Their districts,
    and the unit's own, are told too (§六（一））."""
    tell_districts(ban)
    for consortium in selectors.consortia_listing_banned_unit(ban.unit, excluding=ban.consortium_id):
        notify.notify(
            users_who_see(consortium, Role.APPLICANT),
            f"成员单位受限制：{consortium.name}",
            f"{consortium.name}的成员单位{ban.sentence}（《工作方案》六（二））"
            "请经全体成员同意，通过成员变更（补充协议）办理其退出，并报市科技局备案。",
            reverse("evaluations:consortium", args=[consortium.pk]),
        )


def tell_districts(ban):
    """The district bureau of the banned unit and those of the other filed consortia that list it: one message each
    (the revoked consortium's own district hears of the revocation itself)."""
    listing = list(selectors.consortia_listing_banned_unit(ban.unit, excluding=ban.consortium_id).select_related("lead_unit"))
    bureaus = {ban.unit.bureau_id} | {consortium.lead_unit.bureau_id for consortium in listing}
    staff = User.objects.filter(role=Role.DISTRICT_REVIEWER, is_active=True, bureau_id__in=bureaus - {None}).order_by("pk")
    places = "、".join(f"“{consortium.name}”" for consortium in listing)
    notify.notify(staff, f"单位受限制：{ban.unit.name}",
                  f"{ban.sentence_with_start}（《工作方案》六（二））" + (f"该单位为{places}的成员单位。" if places else ""),
                  reverse("evaluations:unit", args=[ban.unit.pk]))


def _tell_unit(unit, subject, body):
    accounts = User.objects.filter(role=Role.APPLICANT, unit=unit, is_active=True).order_by("pk")
    notify.notify(accounts, subject, body, reverse("evaluations:unit", args=[unit.pk]))


def record_ban(actor, *, credit_code, unit_name, unit_kind, reason, starts_on, ends_on, request=None):
    """Staff bar a unit by hand (e.g. a sanction decided outside the portal), with a reason; audited and told."""
    common.staff_only(actor, "记录限制牵头/参与")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写限制原因。"})
    ok, problem = rules.ban_dates_valid(starts_on, ends_on)
    if not ok:
        raise ValidationError({"ends_on": problem})
    with transaction.atomic():
        unit = application_services.registry_entry(credit_code, unit_name, unit_kind)
        ban = UnitBan.objects.create(unit=unit, starts_on=starts_on, ends_on=ends_on, reason=reason, recorded_by=actor)
        transaction.on_commit(lambda: tell_other_leads(ban))
        audit.record(evaluations_actions.BAN_RECORDED, request=request, actor=actor, target=f"单位 {unit.name}（{unit.credit_code}）",
                     detail=ban.sentence_with_start)
        _tell_unit(unit, "限制牵头或参与创新联合体", ban.sentence_with_start)
    return ban


def _liftable_ban(ban_id, today):
    ban = UnitBan.objects.select_for_update(of=("self",)).select_related("unit", "lift_proposed_by").get(pk=ban_id)
    if ban.lifted_on is not None:
        raise ValidationError(f"该限制已于{chinese_date(ban.lifted_on)}解除。")
    if ban.ends_on <= today:
        raise ValidationError(f"该限制已于{chinese_date(ban.ends_on)}期满，无需解除。")
    return ban


def _ban_target(ban):
    return f"单位 {ban.unit.name}（{ban.unit.credit_code}）"


def lift_ban(ban_id, actor, reason, *, today=None, request=None):
    """Propose lifting a ban early, with a reason (four-eyes, 三员): the ban stays in force until a different officer
    confirms (confirm_lift). Audited; the other officers are told."""
    common.staff_only(actor, "解除限制")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "解除限制须填写理由。"})
    today = today or clock.today()
    with transaction.atomic():
        ban = _liftable_ban(ban_id, today)
        if ban.lift_proposed_by_id is not None:
            raise ValidationError(f"{ban.lift_proposed_by.display_name}已提出解除该限制，等待另一名工作人员确认。")
        ban.lift_proposed_by, ban.lift_proposed_at, ban.lift_proposed_reason = actor, clock.now(), reason
        ban.save(update_fields=["lift_proposed_by", "lift_proposed_at", "lift_proposed_reason"])
        audit.record(evaluations_actions.BAN_LIFT_PROPOSED, request=request, actor=actor, target=_ban_target(ban),
                     detail=f"提出解除“{ban.reason}”的限制，须另一名工作人员确认后生效；理由：{reason}")
        others = User.objects.filter(role=Role.MUNICIPAL_STAFF, is_active=True).exclude(pk=actor.pk).order_by("pk")
        notify.notify(others, f"待确认：解除{ban.unit.name}的限制",
                      f"{actor.display_name}提出解除{ban.unit.name}因{ban.reason}而{application_phrases.BAN_SCOPE}的限制，"
                      f"须另一名工作人员确认后生效。\n理由：{reason}", reverse("evaluations:ban_lift", args=[ban.pk]))
    return ban


def confirm_lift(ban_id, actor, *, today=None, request=None):
    """A second officer confirms a proposed lift: the unit is free from today; the record stays (audited and told)."""
    common.staff_only(actor, "确认解除限制")
    today = today or clock.today()
    with transaction.atomic():
        ban = _liftable_ban(ban_id, today)
        if ban.lift_proposed_by_id is None:
            raise ValidationError("该限制没有待确认的解除申请。")
        if ban.lift_proposed_by_id == actor.pk:
            raise ValidationError("解除限制须由另一名工作人员确认，提出人不能自己确认。")
        reason = ban.lift_proposed_reason
        ban.lifted_on, ban.lifted_by, ban.lift_reason = max(today, ban.starts_on), actor, reason
        ban.save(update_fields=["lifted_on", "lifted_by", "lift_reason"])
        audit.record(evaluations_actions.BAN_LIFTED, request=request, actor=actor, target=_ban_target(ban),
                     detail=f"解除“{ban.reason}”的限制（原定{chinese_date(ban.ends_on)}起解除），自{chinese_date(ban.lifted_on)}起解除；"
                            f"{ban.lift_proposed_by.display_name}提出，{actor.display_name}确认；理由：{reason}")
        _tell_unit(ban.unit, "解除限制牵头或参与创新联合体",
                   f"市科技局已解除{ban.unit.name}因{ban.reason}而{application_phrases.BAN_SCOPE}的限制，自{chinese_date(ban.lifted_on)}起生效。\n理由：{reason}")
    return ban


def withdraw_lift(ban_id, actor, *, today=None, request=None):
    """Any officer drops a proposed lift (the proposer's second thoughts, or a colleague who will not confirm it)."""
    common.staff_only(actor, "撤回解除限制")
    with transaction.atomic():
        ban = _liftable_ban(ban_id, today or clock.today())
        if ban.lift_proposed_by_id is None:
            raise ValidationError("该限制没有待确认的解除申请。")
        proposer = ban.lift_proposed_by.display_name
        ban.lift_proposed_by, ban.lift_proposed_at, ban.lift_proposed_reason = None, None, ""
        ban.save(update_fields=["lift_proposed_by", "lift_proposed_at", "lift_proposed_reason"])
        audit.record(evaluations_actions.BAN_LIFT_WITHDRAWN, request=request, actor=actor, target=_ban_target(ban),
                     detail=f"撤回{proposer}提出的解除申请，限制继续有效。")
    return ban
