"""Use cases of the applications app; each opens its own transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent, User
from accounts.roles import Role

from . import rules, snapshot, uploads, workflow
from .choices import (
    EDITABLE_STATUSES,
    PART_CONFLICTS,
    AttachmentKind,
    MemberRole,
    Part,
    RegistrationStatus,
    Status,
    UnitKind,
)
from .models import (
    AnnualTarget,
    Application,
    ApplicationVersion,
    Attachment,
    Consortium,
    DraftInput,
    Membership,
    PartSave,
    Platform,
    Project,
    Unit,
)


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


# ---------------------------------------------------------------------------
# Writing the 申请书, part by part, with optimistic concurrency.
# ---------------------------------------------------------------------------


class StaleEdit(Exception):
    """Someone saved an overlapping part after this editor loaded the page."""

    def __init__(self, saves):
        self.saves = list(saves)
        newest = self.saves[-1]
        parts = "、".join(dict.fromkeys(f"“{Part(s.part).label}”" for s in self.saves))
        who = newest.saved_by.display_name if newest.saved_by else "他人"
        super().__init__(
            f"您打开本页后，{who}于 {timezone.localtime(newest.saved_at):%m-%d %H:%M} 保存了{parts}。"
            "为避免覆盖较新的内容，本次保存未生效；您填写的内容仍保留在下方。"
            "请先复制需要保留的内容，再刷新本页查看最新内容后重新填写保存。"
        )


def _editable_application(application_id, actor):
    application = Application.objects.select_for_update().select_related("consortium__lead_unit").get(pk=application_id)
    consortium = application.consortium
    if actor.role != Role.APPLICANT or actor.unit_id != consortium.lead_unit_id:
        raise PermissionDenied("只有牵头单位可以编辑本申请书。")
    if consortium.status not in EDITABLE_STATUSES:
        raise ValidationError(f"申请书当前状态为“{consortium.get_status_display()}”，已提交的申请在退回修改前不能编辑。")
    return application


def save_part(application_id, part, actor, expected_version, write):
    """Save one part: lock, refuse stale overlapping edits, write, bump the version, log the save."""
    with transaction.atomic():
        application = _editable_application(application_id, actor)
        if expected_version is not None and expected_version != application.lock_version:
            newer = (
                PartSave.objects.filter(
                    application=application, lock_version__gt=expected_version, part__in=PART_CONFLICTS[part]
                ).select_related("saved_by")
            )
            if newer:
                raise StaleEdit(newer)
        write(application)
        application.lock_version += 1
        application.updated_by = actor
        application.save(update_fields=["lock_version", "updated_by", "updated_at"])
        PartSave.objects.create(application=application, lock_version=application.lock_version, part=part, saved_by=actor)
        DraftInput.objects.filter(application=application, part=part).delete()
    return application


def keep_draft_input(application_id, part, actor, data):
    """暂存 of input that does not validate yet: kept as typed, shown again with its errors."""
    with transaction.atomic():
        application = _editable_application(application_id, actor)
        DraftInput.objects.update_or_create(
            application=application, part=part, defaults={"data": data, "saved_by": actor}
        )


CONSORTIUM_BASIC_FIELDS = ("name", "industry_field", "chief_scientist", "chief_scientist_title")


def basic_writer(cleaned):
    def write(application):
        consortium = application.consortium
        for field in CONSORTIUM_BASIC_FIELDS:
            if cleaned[field] or field in ("chief_scientist", "chief_scientist_title"):
                setattr(consortium, field, cleaned[field])  # name and field are never emptied
        consortium.save()
        for field, value in cleaned.items():
            if field not in CONSORTIUM_BASIC_FIELDS:
                setattr(application, field, value)
        application.save()

    return write


def members_writer(lead_row, rows):
    """Rows are the member rows in page order; units are found (or recorded) by credit code."""

    def write(application):
        consortium = application.consortium
        lead = consortium.memberships.get(role=MemberRole.LEAD, left_on__isnull=True)
        for field, value in lead_row.items():
            setattr(lead, field, value)
        lead.save()
        existing = {m.unit_id: m for m in consortium.memberships.filter(role=MemberRole.MEMBER, left_on__isnull=True)}
        for position, row in enumerate(rows, start=2):
            unit = _unit_for_row(row)
            membership = existing.pop(unit.pk, None) or Membership(consortium=consortium, unit=unit, role=MemberRole.MEMBER)
            membership.position = position
            for field in ("task_division", "duties", "sales_revenue", "rd_spend"):
                setattr(membership, field, row[field])
            membership.save()
        Membership.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()

    return write


def _unit_for_row(row):
    unit = Unit.objects.select_for_update().filter(credit_code=row["credit_code"]).first()
    if unit is None:
        return Unit.objects.create(name=row["unit_name"], credit_code=row["credit_code"], kind=row["unit_kind"])
    if unit.registration_status == RegistrationStatus.UNREGISTERED:
        # A unit no one registered: the lead's typing is the best data there is.
        unit.name, unit.kind = row["unit_name"], row["unit_kind"]
        unit.save(update_fields=["name", "kind"])
    return unit


def _replace_rows(manager, model, rows):
    manager.all().delete()
    model.objects.bulk_create(
        [model(position=position, **row, **{manager.field.name: manager.instance}) for position, row in enumerate(rows, 1)]
    )


def foundation_writer(platform_rows, project_rows):
    def write(application):
        _replace_rows(application.platforms, Platform, platform_rows)
        _replace_rows(application.projects, Project, project_rows)

    return write


def plan_writer(cleaned, target_rows):
    def write(application):
        for field, value in cleaned.items():
            setattr(application, field, value)
        application.save()
        _replace_rows(application.targets, AnnualTarget, target_rows)

    return write


def intros_writer(intros):
    """intros: {membership id: {intro_overview, intro_research, intro_honors}}"""

    def write(application):
        memberships = application.consortium.memberships.filter(pk__in=intros, left_on__isnull=True)
        for membership in memberships:
            for field, value in intros[membership.pk].items():
                setattr(membership, field, value)
            membership.save()

    return write


def charter_writer(charter_text):
    def write(application):
        application.charter_text = charter_text
        application.save(update_fields=["charter_text"])

    return write


def add_attachment(application_id, actor, *, unit, kind, title, uploaded):
    """Store a checked upload (see uploads.inspect) tied to a unit of the consortium."""
    content_type, name, sha256 = uploads.inspect(uploaded)

    def write(application):
        consortium = application.consortium
        if not consortium.memberships.filter(unit=unit, left_on__isnull=True).exists():
            raise ValidationError({"unit": "请选择本联合体的单位。"})
        attachment = Attachment(
            consortium=consortium, unit=unit, kind=kind, title=title or AttachmentKind(kind).label,
            original_name=uploaded.name[:200], content_type=content_type, size=uploaded.size, sha256=sha256,
            uploaded_by=actor,
        )
        attachment.file.save(name, uploaded, save=False)
        attachment.save()

    return save_part(application_id, Part.ATTACHMENTS, actor, None, write)


def remove_attachment(application_id, actor, attachment_id):
    def write(application):
        attachment = application.consortium.attachments.get(pk=attachment_id)
        attachment.delete()
        # The file stays on disk: earlier frozen versions refer to it by its hash.

    return save_part(application_id, Part.ATTACHMENTS, actor, None, write)


def submit_application(application_id, actor, *, request=None):
    """Submit (or resubmit after a return): all readiness checks pass, the status moves, a version is frozen."""
    from . import readiness

    with transaction.atomic():
        application = _editable_application(application_id, actor)
        failing = [check for check in readiness.run(application) if not check.ok]
        if failing:
            raise ValidationError(["形式审查未通过，不能提交："] + [check.title for check in failing])
        action = "submit" if application.consortium.status == Status.DRAFT else "resubmit"
        workflow.transition(application.consortium_id, action, actor, request=request)
        version = freeze_version(application, actor)
    return version
