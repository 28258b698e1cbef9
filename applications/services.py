"""Use cases of the applications app; each opens its own transaction and is the only writer of what it changes.

Over 400 lines on purpose: this module is the only writer of the 申请书's tables (DESIGN.md), and its writers
are kept together so that every way a row can change is read in one place.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from accounts import audit
from accounts.models import User
from accounts.roles import Role
from applications import audit_actions as applications_actions
from operations import clock, outages
from operations.prepared import Prepared
from operations.text import digest

from . import bans, permissions, readiness, rules, selectors, snapshot, uploads, workflow
from .choices import (
    CHARTER_SECTIONS,
    PART_CONFLICTS,
    AttachmentKind,
    Body,
    MemberRole,
    Part,
    RegistrationStatus,
    SignatoryCapacity,
    Status,
    UnitKind,
)
from .models import (
    AnnualTarget,
    Application,
    ApplicationVersion,
    Attachment,
    BodySeat,
    Consortium,
    DraftInput,
    Membership,
    PartSave,
    Platform,
    Project,
    Registration,
    Unit,
)

CODE_TAKEN = "该统一社会信用代码已注册，请直接登录或联系本单位管理员。"
CODE_PENDING = "该统一社会信用代码已提交注册，正在等待所在辖市区科技部门审核；如为重复提交，请直接登录查看审核进度。"


# ---------------------------------------------------------------------------
# Registration: kept apart from the registry until the district approves it.
# ---------------------------------------------------------------------------


def record_refused_step(request, consortium, refusal):
    """A step refused for a reason (a workflow.TransitionError, or the text a batch reported for it), in the
    audit log with success=False. Called by the page that caught the refusal, after the transaction that
    refused it rolled back (an event written inside it would have rolled back too)."""
    if isinstance(refusal, workflow.TransitionError):
        refusal = refusal.message + "；".join(refusal.reasons)
    audit.record(
        applications_actions.STATUS_CHANGE, request=request, success=False,
        target=f"创新联合体 {consortium.pk} {consortium.name}", detail=f"未办理：{refusal}",  # as workflow.transition names it
    )


def credit_code_taken(code, *, excluding=None):
    """Why a code cannot be registered again ("" if it can): registered already, or waiting for review."""
    if Unit.objects.filter(credit_code=code, registration_status=RegistrationStatus.APPROVED).exists():
        return CODE_TAKEN
    pending = Registration.objects.filter(credit_code=code, status=RegistrationStatus.PENDING)
    if excluding is not None:
        pending = pending.exclude(pk=excluding.pk)
    if pending.exists():
        return CODE_PENDING
    return ""


def register_unit(*, unit_data, user_data, password, request=None):
    """Enterprise self-registration: an applicant account and its pending Registration.

    Nothing is written to the unit registry; a code that leads already declared as a member
    stays as they declared it until the district approves this registration.
    """
    problem = credit_code_taken(unit_data["credit_code"])
    if problem:
        raise ValidationError({"credit_code": problem})
    ok, reason = rules.registered_as_legal_person(unit_data.get("is_legal_person"))
    if not ok:
        raise ValidationError({"is_legal_person": reason})
    try:
        with transaction.atomic():
            user = User(role=Role.APPLICANT, **user_data)
            user.set_password(password)
            user.save()
            registration = Registration.objects.create(applicant=user, **unit_data)
            audit.record(applications_actions.REGISTRATION, request=request, actor=user, target=f"单位注册 {registration.name}")
    except IntegrityError:
        # A second submission of the same form (a double click) lost the race to the first.
        problem = credit_code_taken(unit_data["credit_code"])
        if problem:
            raise ValidationError({"credit_code": problem}) from None
        raise ValidationError({"username": "该用户名已被使用，请换一个。"}) from None
    return user


def _registration_for_decision(registration_id, reviewer):
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if reviewer.role != Role.DISTRICT_REVIEWER or not Registration.objects.visible_to(reviewer).filter(pk=registration.pk).exists():
        raise PermissionDenied("只有单位所在辖市区的科技部门可以审核该注册。")
    if registration.status != RegistrationStatus.PENDING:
        raise ValidationError("该注册已被处理，请刷新页面。")
    return registration


def approve_registration(registration_id, reviewer, *, reason="", request=None):
    """The district approves: the registry gets the unit (a code leads declared is claimed now), the account its unit."""
    with transaction.atomic():
        registration = _registration_for_decision(registration_id, reviewer)
        unit = Unit.objects.select_for_update().filter(credit_code=registration.credit_code).first()
        if unit is not None and unit.is_registered:
            raise ValidationError(CODE_TAKEN)
        unit = unit or Unit(credit_code=registration.credit_code)
        unit.name, unit.bureau = registration.name, registration.bureau
        unit.legal_representative, unit.address = registration.legal_representative, registration.address
        # As the enterprise declared it; a request made before the question was asked (None) keeps the old assumption.
        unit.kind, unit.is_legal_person = UnitKind.ENTERPRISE, registration.is_legal_person is not False
        unit.registration_status = RegistrationStatus.APPROVED
        unit.save()
        _decide(registration, reviewer, RegistrationStatus.APPROVED, reason, unit=unit)
        User.objects.filter(pk=registration.applicant_id).update(unit=unit)
        audit.record(
            applications_actions.REGISTRATION_DECISION, request=request, actor=reviewer,
            target=f"单位注册 {registration.name}", detail=f"已通过 {reason}".strip(),
        )
    return registration


def reject_registration(registration_id, reviewer, *, reason, request=None):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "不予通过须填写理由。"})
    with transaction.atomic():
        registration = _registration_for_decision(registration_id, reviewer)
        _decide(registration, reviewer, RegistrationStatus.REJECTED, reason)
        audit.record(
            applications_actions.REGISTRATION_DECISION, request=request, actor=reviewer,
            target=f"单位注册 {registration.name}", detail=f"未通过 {reason}",
        )
    return registration


def _decide(registration, reviewer, status, reason, unit=None):
    registration.status, registration.reason = status, reason.strip()
    registration.reviewed_by, registration.reviewed_at = reviewer, clock.now()
    registration.unit = unit
    registration.save()


def resubmit_registration(user, unit_data):
    """A rejected registration, corrected by its applicant, goes back to the district."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(applicant=user)
        if registration.status != RegistrationStatus.REJECTED:
            raise ValidationError("只有未通过的注册可以修改后重新提交。")
        problem = credit_code_taken(unit_data["credit_code"], excluding=registration)
        if problem:
            raise ValidationError({"credit_code": problem})
        ok, reason = rules.registered_as_legal_person(unit_data.get("is_legal_person"))
        if not ok:
            raise ValidationError({"is_legal_person": reason})
        for field, value in unit_data.items():
            setattr(registration, field, value)
        registration.status, registration.created_at = RegistrationStatus.PENDING, clock.now()
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise ValidationError({"credit_code": CODE_PENDING}) from None
    return registration


# ---------------------------------------------------------------------------
# The consortium and its 申请书.
# ---------------------------------------------------------------------------


def may_lead(unit, *, excluding=None):
    """The absolute rules for a lead unit, first refusal first."""
    for ok, reason in (
        rules.lead_unit_eligible(unit),
        rules.not_banned(unit.name, bans.of_unit(unit)),
        rules.leads_one_live_consortium(unit.name, selectors.other_live_consortium(unit, excluding)),
    ):
        if not ok:
            return ok, reason
    return rules.OK


def may_start_application(user):
    if user.unit_id is None:
        return False, "您的单位注册尚未通过审核，暂不能牵头申报。"
    return may_lead(user.unit)


def start_application(user, *, name, industry_field):
    """Open a draft consortium led by the user's unit, with its empty 申请书."""
    if user.role != Role.APPLICANT:
        raise PermissionDenied("只有申报单位可以发起备案申请。")
    ok, reason = may_start_application(user)
    if not ok:
        raise ValidationError(reason)
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=user.unit_id)
        ok, reason = may_lead(unit)  # again, under the lock
        if not ok:
            raise ValidationError(reason)
        consortium = Consortium.objects.create(name=name, industry_field=industry_field, lead_unit=unit)
        Membership.objects.create(
            consortium=consortium, unit=unit, unit_name=unit.name, unit_kind=unit.kind, role=MemberRole.LEAD, position=1
        )
        Application.objects.create(
            consortium=consortium, legal_representative=unit.legal_representative,
            mailing_address=unit.address, contact_person=user.full_name, contact_phone=user.phone,
            lead_types=list(unit.qualifications), updated_by=user,
        )
    return consortium


@dataclass(frozen=True)
class Ready:
    """What 形式审查 found on a submission: the application, and the content it judged — what the version freezes."""

    application: Application
    content: dict


@workflow.check("readiness")
def _ready_to_submit(consortium, actor, proposal, subject):
    """形式审查: every rule of DESIGN.md §Rules, over the live 申请书 (bans are the engine's guard, no_banned_unit)."""
    checks, content = readiness.run_live(consortium.application)
    failing = [f"{check.title}：{'；'.join(check.reasons)}" for check in checks if not check.ok and check.key != readiness.BANS]
    if failing:
        raise workflow.Refused(failing)
    return Ready(consortium.application, content)


@workflow.effect("freeze_version")
def _freeze_version(taken, ready):
    return freeze_version(ready.application, taken.actor, ready.content)


def freeze_version(application, actor, content=None):
    """An immutable snapshot of the whole 申请书, numbered 1, 2, … per application: ``content`` as 形式审查 judged it
    in the same transaction (the application's row locked), or read now."""
    content = snapshot.build(snapshot.load(application.pk)) if content is None else content
    number = (application.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return ApplicationVersion.objects.create(
        application=application, number=number, content=content, sha256=digest(content), submitted_by=actor
    )


def submit_application(application_id, actor, *, request=None):
    """Submit (or resubmit after a return); the workflow checks readiness and freezes the version."""
    with transaction.atomic():
        application = _editable_application(application_id, actor)
        action = "submit" if application.consortium.status == Status.DRAFT else "resubmit"
        return workflow.transition(application.consortium_id, action, actor, request=request).results["freeze_version"]


# ---------------------------------------------------------------------------
# Writing the 申请书, part by part, with optimistic concurrency.
# ---------------------------------------------------------------------------


class StaleEdit(Exception):
    """Someone saved over what this editor loaded (a part of the 申请书, an annual report): nothing is written."""

    def __init__(self, who, saved_at, what):
        super().__init__(
            f"您打开本页后，{who or '他人'}于 {clock.localtime(saved_at):%m-%d %H:%M} 保存了{what}。"
            "为避免覆盖较新的内容，本次保存未生效；您填写的内容仍保留在下方。"
            "请先复制需要保留的内容，再刷新本页查看最新内容后重新填写保存。"
        )


# The application a save, an upload, a 暂存 or the submission writes, locked until it commits, with its consortium and
# lead unit (operations.prepared: compiled once per process; the ORM's query took 0.59 ms of CPU on SQLite and 0.96 ms
# on PostgreSQL, the prepared one 0.12 and 0.14 ms).
_LOCKED = Prepared(lambda application: (
    Application.objects.select_for_update().select_related("consortium__lead_unit").filter(pk=application)))


def _editable_application(application_id, actor):
    application = _LOCKED.get(application_id)
    ok, reason = permissions.can_edit(actor, application.consortium)
    if not ok:
        if actor.role != Role.APPLICANT or not permissions.can_see(actor, application.consortium_id):
            raise PermissionDenied(reason)
        raise ValidationError(reason)
    return application


def save_part(application_id, part, actor, expected_version, data, *, request=None, audit_as=None):
    """Save one part: lock, refuse stale overlapping edits, write, bump the version, log the save.

    ``audit_as``: (action, detail) to record instead of a plain part save (an upload, a deletion).
    """
    with transaction.atomic():
        application = _editable_application(application_id, actor)
        if expected_version is not None and expected_version != application.lock_version:
            newer = PartSave.objects.filter(
                application=application, lock_version__gt=expected_version, part__in=PART_CONFLICTS[part]
            ).select_related("saved_by")
            if newer:
                newest = list(newer)[-1]
                raise StaleEdit(newest.saved_by and newest.saved_by.display_name, newest.saved_at,
                                "、".join(dict.fromkeys(f"“{Part(s.part).label}”" for s in newer)))
        WRITERS[part](application, data, actor)
        application.lock_version += 1
        application.updated_by = actor
        application.save(update_fields=["lock_version", "updated_by", "updated_at"])
        PartSave.objects.create(application=application, lock_version=application.lock_version, part=part, saved_by=actor)
        DraftInput.objects.filter(application=application, part=part).delete()
        action, detail = audit_as or (applications_actions.PART_SAVED, f"保存“{Part(part).label}”（第 {application.lock_version} 次保存）")
        audit.record(action, request=request, actor=actor, target=f"创新联合体 {application.consortium_id} {application.consortium.name}",
                     detail=detail)
    return application


def keep_draft_input(application_id, part, actor, data):
    """暂存 of input that does not validate yet: kept as typed, shown again with its errors.

    NUL characters are dropped: no database text column can hold them, and no form accepts them.
    """
    cleaned = {key.replace("\x00", ""): [value.replace("\x00", "") for value in values] for key, values in data.items()}
    with transaction.atomic():
        application = _editable_application(application_id, actor)
        DraftInput.objects.update_or_create(application=application, part=part, defaults={"data": cleaned, "saved_by": actor})


CONSORTIUM_BASIC_FIELDS = ("name", "industry_field", "chief_scientist", "chief_scientist_title")


def write_basic(application, cleaned, actor):
    consortium = application.consortium
    for field in CONSORTIUM_BASIC_FIELDS:
        if cleaned[field] or field in ("chief_scientist", "chief_scientist_title"):
            setattr(consortium, field, cleaned[field])  # name and field are never emptied
    consortium.save()
    for field, value in cleaned.items():
        if field not in CONSORTIUM_BASIC_FIELDS:
            setattr(application, field, value)
    application.save()


def registry_entry(credit_code, name, kind):
    """The registry row of a declared code; a code never seen before gets a bare entry (its first declaration
    names it in the admin only). An existing row is never rewritten by a declaration."""
    unit, _ = Unit.objects.get_or_create(credit_code=credit_code, defaults={"name": name, "kind": kind})
    return unit


def write_members(application, data, actor):
    """data: {"lead": lead row fields, "rows": member rows in page order}. What the lead declares
    (name, kind) belongs to this consortium's memberships; the registry is never written here."""
    consortium = application.consortium
    memberships = consortium.memberships.current().select_related("unit")
    lead = next(m for m in memberships if m.role == MemberRole.LEAD)
    # the lead is its own registered unit
    _write_changed(lead, {**data["lead"], "unit_name": lead.unit.name, "unit_kind": lead.unit.kind})
    existing = {m.unit_id: m for m in memberships if m.role == MemberRole.MEMBER}
    # The registry rows of the declared codes in one query; a code never seen before gets its bare entry.
    registered = Unit.objects.in_bulk([row["credit_code"] for row in data["rows"]], field_name="credit_code")
    for position, row in enumerate(data["rows"], start=2):
        unit = registered.get(row["credit_code"]) or registry_entry(row["credit_code"], row["unit_name"], row["unit_kind"])
        membership = existing.pop(unit.pk, None) or Membership(consortium=consortium, unit=unit, role=MemberRole.MEMBER)
        _write_changed(membership, {"position": position, "unit_name": row["unit_name"], "unit_kind": row["unit_kind"],
                              **{field: row.get(field, getattr(membership, field)) for field in MEMBER_ROW_FIELDS}})
    # Before filing a member removed from the table is simply gone; after it, changes go by 补充协议.
    Membership.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()
    # … and so is its signature of the 组建协议 (a unit that is no longer a member signs nothing).
    application.signatories.exclude(unit__in=consortium.memberships.current().values("unit")).delete()


def _write_changed(row, values):
    """``row`` (a membership, a signature …) as the lead declares it now: written when it is new or one of ``values``
    differs; a row the save leaves as it was is not written again."""
    if row.pk is None or any(getattr(row, field) != value for field, value in values.items()):
        for field, value in values.items():
            setattr(row, field, value)
        row.save()


MEMBER_ROW_FIELDS = ("task_division", "duties", "sales_revenue", "rd_spend", "qualifications", "patent_count", "invention_patent_count")


def _replace_rows(manager, model, rows):
    manager.all().delete()
    model.objects.bulk_create(
        [model(position=position, **row, **{manager.field.name: manager.instance}) for position, row in enumerate(rows, 1)]
    )


def write_foundation(application, data, actor):
    """data: {"platforms": rows, "projects": rows}"""
    _replace_rows(application.platforms, Platform, data["platforms"])
    _replace_rows(application.projects, Project, data["projects"])


def write_plan(application, data, actor):
    """data: {"plan": the six texts, "targets": rows}"""
    for field, value in data["plan"].items():
        setattr(application, field, value)
    application.save()
    _replace_rows(application.targets, AnnualTarget, data["targets"])


def write_intros(application, intros, actor):
    """intros: {membership id: {intro_overview, intro_research, intro_honors}}"""
    for membership in application.consortium.memberships.current().filter(pk__in=intros):
        _write_changed(membership, intros[membership.pk])


def write_charter(application, data, actor):
    """data: {"sections": {field: text} of the eight contents, "charter_text": other terms,
    "signatures": {unit id: row} (forms.SignatoryFormSet.rows()), for the consortium's current units}."""
    fields = [name for name, _ in CHARTER_SECTIONS] + ["charter_text"]
    for name, _ in CHARTER_SECTIONS:
        setattr(application, name, data["sections"][name])
    application.charter_text = data["charter_text"]
    application.save(update_fields=fields)
    units = [(m.unit, m.unit_name) for m in application.consortium.memberships.current().select_related("unit")]
    write_signatures(application.signatories, application.consortium, units, data.get("signatures", {}), actor)


def write_signatures(signatures, consortium, units, rows, actor):
    """Who signed an agreement for each unit concerned (models.SignatureBase rows), with each 授权书 stored as the
    consortium's attachment of that unit. Shared by the 组建协议 (``signatures``: application.signatories) and the
    补充协议 of a member change (its own related manager); runs inside the caller's transaction.

    ``units``: [(Unit, name as declared)] in order; ``rows``: {unit id: {capacity, person_name, signed_on,
    upload: (file, uploads.inspect() result) or None}}. A unit without a row keeps what it had; units no
    longer concerned lose their row. A 法定代表人 needs no 授权书: one uploaded earlier is removed (its file stays,
    as every file of a frozen version does).
    """
    model = signatures.model
    existing = {s.unit_id: s for s in signatures.select_related("authorization")}
    for position, (unit, declared) in enumerate(units, start=1):
        row = rows.get(unit.pk)
        if row is None:
            continue
        signature = existing.get(unit.pk) or model(unit=unit, **{signatures.field.name: signatures.instance})
        replaced = authorization = signature.authorization
        if row.get("upload"):
            uploaded, inspected = row["upload"]
            authorization = store_attachment(
                consortium, actor, unit=unit, kind=AttachmentKind.AUTHORIZATION, title=f"授权书（{declared}）",
                uploaded=uploaded, inspected=inspected,
            )
        elif row["capacity"] != SignatoryCapacity.AUTHORISED:
            authorization = None
        _write_changed(signature, {"unit_name": declared, "position": position, "capacity": row["capacity"],
                                   "person_name": row["person_name"], "signed_on": row["signed_on"], "authorization": authorization})
        if replaced is not None and replaced != authorization:
            replaced.delete()
    signatures.exclude(unit__in=[unit.pk for unit, _ in units]).delete()


def write_organization(application, data, actor):
    """data: {"organization": the 秘书处 and 首席专家 fields, "seats": {Body: rows}}; the 理事会 first."""
    for field, value in data["organization"].items():
        setattr(application, field, value)
    application.save()
    application.body_seats.all().delete()
    rows = [(body, row) for body in (Body.COUNCIL, Body.ADVISORY) for row in data["seats"].get(body, [])]
    BodySeat.objects.bulk_create(
        [BodySeat(application=application, body=body, position=position, **row) for position, (body, row) in enumerate(rows, 1)]
    )


def write_statement(application, text, actor):
    application.shortfall_statement = text
    application.save(update_fields=["shortfall_statement"])


WRITERS = {
    Part.BASIC: write_basic,
    Part.MEMBERS: write_members,
    Part.FOUNDATION: write_foundation,
    Part.PLAN: write_plan,
    Part.INTROS: write_intros,
    Part.ORGANIZATION: write_organization,
    Part.CHARTER: write_charter,
    Part.STATEMENT: write_statement,
}


def add_attachment(application_id, actor, *, unit, kind, title, uploaded, request=None):
    """Store a checked upload (see uploads.inspect) tied to a unit of the consortium."""
    content_type, name, sha256 = uploads.inspect(uploaded)
    return save_part(application_id, Part.ATTACHMENTS, actor, None, {
        "unit": unit, "kind": kind, "title": title, "uploaded": uploaded,
        "content_type": content_type, "name": name, "sha256": sha256,
    }, request=request, audit_as=(applications_actions.ATTACHMENT_UPLOADED,
                                  f"{title or AttachmentKind(kind).label}：{uploaded.name}（SHA-256 {sha256}）"))


def write_attachment(application, data, actor):
    consortium = application.consortium
    if "remove" in data:
        attachment = consortium.attachments.get(pk=data["remove"])
        attachment.delete()  # the file stays: earlier frozen versions refer to it by its hash
        return
    if not consortium.memberships.current().filter(unit=data["unit"]).exists():
        raise ValidationError({"unit": "请选择本联合体的单位。"})
    store_attachment(consortium, actor, unit=data["unit"], kind=data["kind"], title=data["title"], uploaded=data["uploaded"],
                     inspected=(data["content_type"], data["name"], data["sha256"]))


WRITERS[Part.ATTACHMENTS] = write_attachment


def store_attachment(consortium, actor, *, unit, kind, title, uploaded, inspected):
    """Store an upload already checked by uploads.inspect (``inspected``: what it returned) as the consortium's file.

    The editor stores through save_part (while the 申请书 is editable); after 备案 the evaluations stage
    stores a 补充协议 here, inside its own transaction.
    """
    content_type, name, sha256 = inspected
    attachment = Attachment(
        consortium=consortium, unit=unit, kind=kind, title=title or AttachmentKind(kind).label,
        original_name=uploaded.name[:200], content_type=content_type, size=uploaded.size, sha256=sha256,
        uploaded_by=actor,
    )
    try:
        attachment.file.save(name, uploaded, save=False)
    except Exception as error:
        if outages.storage_unreachable(error):  # the bucket is away: nothing was stored, and the row is not written
            raise ValidationError(outages.UPLOAD_UNAVAILABLE) from error
        raise
    attachment.save()
    return attachment


def remove_attachment(application_id, actor, attachment_id, *, request=None):
    attachment = Attachment.objects.filter(pk=attachment_id, consortium__application__pk=application_id).first()
    detail = f"{attachment.title}：{attachment.original_name}（SHA-256 {attachment.sha256}）" if attachment else f"附件 {attachment_id}"
    return save_part(application_id, Part.ATTACHMENTS, actor, None, {"remove": attachment_id}, request=request,
                     audit_as=(applications_actions.ATTACHMENT_DELETED, detail))
