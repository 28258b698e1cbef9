"""Use cases of the 培育库. A candidate's unit and consortium, and the statuses 已提交申请 and 已备案, follow the
application: the workflow's effects (submit, 备案) and the registration's approval (signals) set them, never a form."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts import audit, notify
from accounts.roles import Role
from applications import invitations, workflow
from applications.choices import LIVE_STATUSES, Status
from applications.models import Consortium, Unit
from operations import clock
from operations.background import enqueue

from . import audit_actions as actions
from . import phrases
from .choices import BEFORE_APPLYING, CandidateStatus, Origin
from .models import Candidate

EDITABLE = ("name", "credit_code", "bureau", "industry_field", "contact_name", "contact_phone", "contact_email", "reason")


def _target(candidate):
    return f"培育库 {candidate.name}（{candidate.credit_code}）"


def _may_manage(actor, candidate=None, bureau=None):
    if actor.role == Role.MUNICIPAL_STAFF:
        return
    if actor.role != Role.DISTRICT_REVIEWER:
        raise PermissionDenied("只有辖市区科技部门和市科技局可以管理培育库。")
    if (bureau or candidate.bureau).pk != actor.bureau_id:
        raise PermissionDenied(phrases.NOT_YOURS)


def _locked(candidate_id, actor):
    candidate = Candidate.objects.select_for_update().select_related("bureau").get(pk=candidate_id)
    _may_manage(actor, candidate)
    return candidate


def add_candidate(actor, data, *, request=None):
    """A district adds one of its own enterprises (板块推荐); the city adds one as 市级主导. Linked at once to the unit
    and its consortium when they exist already."""
    _may_manage(actor, bureau=data["bureau"])
    try:
        with transaction.atomic():
            candidate = Candidate(**{key: data[key] for key in EDITABLE}, created_by=actor,
                                  origin=Origin.CITY if actor.role == Role.MUNICIPAL_STAFF else Origin.DISTRICT)
            candidate.full_clean()
            _follow_application(candidate)
            candidate.save()
            audit.record(actions.CANDIDATE_ADDED, request=request, actor=actor, target=_target(candidate),
                         detail=f"{candidate.get_origin_display()}；推荐理由：{candidate.reason}")
    except IntegrityError:  # the same code added by someone else a moment before
        raise ValidationError({"credit_code": "该统一社会信用代码已在培育库中。"}) from None
    return candidate


def change_candidate(candidate_id, actor, data, *, request=None):
    try:
        with transaction.atomic():
            candidate = _locked(candidate_id, actor)
            if candidate.status in (CandidateStatus.APPLIED, CandidateStatus.FILED):
                raise ValidationError(phrases.NOT_EDITABLE)
            _may_manage(actor, bureau=data["bureau"])
            changed = [Candidate._meta.get_field(key).verbose_name for key in EDITABLE if getattr(candidate, key) != data[key]]
            for key in EDITABLE:
                setattr(candidate, key, data[key])
            candidate.full_clean()
            _follow_application(candidate)
            candidate.save()
            audit.record(actions.CANDIDATE_CHANGED, request=request, actor=actor, target=_target(candidate),
                         detail="修改：" + ("、".join(changed) or "无"))
    except IntegrityError:  # the code changed to one added by someone else a moment before
        raise ValidationError({"credit_code": "该统一社会信用代码已在培育库中。"}) from None
    return candidate


def mark_city_led(candidate_id, actor, *, request=None):
    """The city takes a district's candidate as 市级主导 (seed §四（一））."""
    if actor.role != Role.MUNICIPAL_STAFF:
        raise PermissionDenied("只有市科技局可以标记市级主导。")
    with transaction.atomic():
        candidate = _locked(candidate_id, actor)
        if candidate.origin == Origin.CITY:
            raise ValidationError("该企业已是市级主导。")
        candidate.origin = Origin.CITY
        candidate.save(update_fields=["origin", "updated_at"])
        audit.record(actions.CANDIDATE_CITY_LED, request=request, actor=actor, target=_target(candidate), detail="标记为市级主导")
    return candidate


def invite(candidate_id, actor, *, request=None):
    """Mail the contact a registration link that pre-fills the registration (through the outbox)."""
    with transaction.atomic():
        candidate = _locked(candidate_id, actor)
        if candidate.status not in BEFORE_APPLYING:
            raise ValidationError(phrases.ONLY_BEFORE_APPLYING)
        if candidate.unit_id is not None and candidate.unit.is_registered:
            raise ValidationError("该企业已在平台注册，无需邀请。")
        url = invitations.link(name=candidate.name, credit_code=candidate.credit_code, bureau=candidate.bureau_id,
                               full_name=candidate.contact_name, phone=candidate.contact_phone, email=candidate.contact_email)
        inviter = actor.bureau.name if actor.role == Role.DISTRICT_REVIEWER and actor.bureau_id else "镇江市科学技术局"
        email = notify.queue_email(
            candidate.contact_email, phrases.INVITATION_SUBJECT.format(name=candidate.name),
            phrases.INVITATION_BODY.format(contact=candidate.contact_name, inviter=inviter, name=candidate.name, link=url,
                                           bureau=candidate.bureau.name),
        )
        transaction.on_commit(lambda: enqueue(notify.send_emails, [email.pk]), robust=True)
        candidate.status, candidate.invited_at, candidate.invited_by = CandidateStatus.INVITED, clock.now(), actor
        candidate.save(update_fields=["status", "invited_at", "invited_by", "updated_at"])
        audit.record(actions.CANDIDATE_INVITED, request=request, actor=actor, target=_target(candidate),
                     detail=f"注册邀请发送至 {candidate.contact_email}")
    return candidate


def drop(candidate_id, actor, reason, *, request=None):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写不再跟进的原因。"})
    with transaction.atomic():
        candidate = _locked(candidate_id, actor)
        if candidate.status not in BEFORE_APPLYING:
            raise ValidationError(phrases.ONLY_BEFORE_APPLYING)
        candidate.status, candidate.dropped_reason = CandidateStatus.DROPPED, reason
        candidate.save(update_fields=["status", "dropped_reason", "updated_at"])
        audit.record(actions.CANDIDATE_DROPPED, request=request, actor=actor, target=_target(candidate), detail=reason)
    return candidate


def resume(candidate_id, actor, *, request=None):
    with transaction.atomic():
        candidate = _locked(candidate_id, actor)
        if candidate.status != CandidateStatus.DROPPED:
            raise ValidationError("只有“不再跟进”的企业可以恢复培育。")
        candidate.status = CandidateStatus.INVITED if candidate.invited_at else CandidateStatus.CULTIVATING
        candidate.dropped_reason = ""
        _follow_application(candidate)
        candidate.save(update_fields=["status", "dropped_reason", "unit", "consortium", "updated_at"])
        audit.record(actions.CANDIDATE_RESUMED, request=request, actor=actor, target=_target(candidate))
    return candidate


# --- kept in step with the application --------------------------------------------------------------------------


def _follow_application(candidate):
    """Link the unit of the candidate's code and the consortium it leads (live, or the latest), and take its status."""
    unit = Unit.objects.filter(credit_code=candidate.credit_code).first()
    candidate.unit = unit if unit is not None and unit.is_registered else None
    if candidate.unit is None:
        candidate.consortium = None
        return
    led = Consortium.objects.filter(lead_unit=candidate.unit).exclude(status=Status.DRAFT)
    consortium = led.filter(status__in=LIVE_STATUSES).order_by("-pk").first() or led.order_by("-pk").first()
    candidate.consortium = consortium
    if consortium is not None and candidate.status != CandidateStatus.DROPPED:
        candidate.status = CandidateStatus.FILED if consortium.filed_on else CandidateStatus.APPLIED


def link_unit(unit):
    """The registration of a candidate's code was approved: the candidate points at its unit from now on."""
    Candidate.objects.filter(credit_code=unit.credit_code, unit__isnull=True).update(unit=unit, updated_at=clock.now())


@workflow.effect("candidate_applied")
def _candidate_applied(taken, decision):
    """提交申请: the lead's candidate (if any) is 已提交申请, linked to this consortium (a dropped one too: it applied)."""
    consortium = taken.consortium
    return Candidate.objects.filter(credit_code=consortium.lead_unit.credit_code).exclude(status=CandidateStatus.FILED).update(
        status=CandidateStatus.APPLIED, unit=consortium.lead_unit, consortium=consortium, dropped_reason="", updated_at=clock.now())


@workflow.effect("candidate_filed")
def _candidate_filed(taken, decision):
    consortium = taken.consortium
    return Candidate.objects.filter(credit_code=consortium.lead_unit.credit_code).update(
        status=CandidateStatus.FILED, unit=consortium.lead_unit, consortium=consortium, dropped_reason="", updated_at=clock.now())


def candidate_of(unit):
    """The 培育库's entry of a unit (for the 推荐意见), or None."""
    return Candidate.objects.filter(credit_code=unit.credit_code).first()
