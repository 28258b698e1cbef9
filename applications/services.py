"""Use cases of the applications app; each opens its own transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent, User
from accounts.roles import Role

from . import rules, snapshot
from .choices import MemberRole, RegistrationStatus, UnitKind
from .models import Application, ApplicationVersion, Consortium, Membership, Unit


def register_unit(*, unit_data, user_data, password, request=None):
    """Enterprise self-registration: a pending unit and its first applicant account.

    A unit that a lead typed in as a member (never registered) is claimed by its credit code.
    """
    with transaction.atomic():
        unit = Unit.objects.select_for_update().filter(credit_code=unit_data["credit_code"]).first()
        if unit is not None and unit.registration_status != RegistrationStatus.UNREGISTERED:
            raise ValidationError({"credit_code": "该统一社会信用代码已注册，请直接登录或联系本单位管理员。"})
        unit = unit or Unit(credit_code=unit_data["credit_code"])
        for field, value in unit_data.items():
            setattr(unit, field, value)
        unit.kind = UnitKind.ENTERPRISE
        unit.registration_status = RegistrationStatus.PENDING
        unit.save()
        user = User(role=Role.APPLICANT, unit=unit, **user_data)
        user.set_password(password)
        user.save()
        audit.record(AuditEvent.Action.REGISTRATION, request=request, actor=user, target=f"单位 {unit.name}")
    return user


def _decide_registration(unit_id, reviewer, status, reason, request):
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit_id)
        if reviewer.role != Role.DISTRICT_REVIEWER or reviewer.bureau_id != unit.bureau_id:
            raise PermissionDenied("只有单位所在辖市区的科技部门可以审核该注册。")
        if unit.registration_status != RegistrationStatus.PENDING:
            raise ValidationError("该注册已被处理，请刷新页面。")
        unit.registration_status = status
        unit.registration_reason = reason
        unit.registration_reviewed_by = reviewer
        unit.registration_reviewed_at = timezone.now()
        unit.save()
        audit.record(
            AuditEvent.Action.REGISTRATION_DECISION, request=request, actor=reviewer,
            target=f"单位 {unit.name}", detail=f"{unit.get_registration_status_display()} {reason}".strip(),
        )
    return unit


def approve_registration(unit_id, reviewer, *, reason="", request=None):
    return _decide_registration(unit_id, reviewer, RegistrationStatus.APPROVED, reason.strip(), request)


def reject_registration(unit_id, reviewer, *, reason, request=None):
    if not (reason or "").strip():
        raise ValidationError({"reason": "不予通过须填写理由。"})
    return _decide_registration(unit_id, reviewer, RegistrationStatus.REJECTED, reason.strip(), request)


def resubmit_registration(unit, unit_data):
    """A rejected unit corrects its data and asks again."""
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.registration_status != RegistrationStatus.REJECTED:
            raise ValidationError("只有未通过的注册可以修改后重新提交。")
        for field, value in unit_data.items():
            setattr(unit, field, value)
        unit.registration_status = RegistrationStatus.PENDING
        unit.save()
    return unit


def start_application(user, *, name, industry_field):
    """Open a draft consortium led by the user's unit, with its empty 申请书."""
    ok, reason = rules.may_start_application(user)
    if not ok:
        raise ValidationError(reason)
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=user.unit_id)
        ok, reason = rules.may_lead(unit)  # again, under the lock
        if not ok:
            raise ValidationError(reason)
        consortium = Consortium.objects.create(name=name, industry_field=industry_field, lead_unit=unit)
        Membership.objects.create(consortium=consortium, unit=unit, role=MemberRole.LEAD, position=1)
        Application.objects.create(
            consortium=consortium, legal_representative=unit.legal_representative,
            mailing_address=unit.address, contact_person=user.full_name, contact_phone=user.phone,
            lead_types=list(unit.qualifications), updated_by=user,
        )
    return consortium


def freeze_version(application, actor):
    """An immutable snapshot of the whole 申请书, numbered 1, 2, … per application."""
    content = snapshot.build(snapshot.load(application.pk))
    number = (application.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return ApplicationVersion.objects.create(
        application=application, number=number, content=content, sha256=snapshot.digest(content), submitted_by=actor
    )
