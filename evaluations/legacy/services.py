"""Bringing in the consortia filed before the portal (issue 21.5): a dry run that writes nothing but the uploaded
file and what it found, then the import — all of it in one transaction, audited, each consortium marked 历史导入
with the workbook's SHA-256, and the 备案编号 sequence of each year moved past the highest number imported."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.roles import Role
from applications.choices import MemberRole, RegistrationStatus, Status, UnitKind
from applications.models import Application, Consortium, Membership, Unit
from evaluations import audit_actions as evaluations_actions
from operations import clock
from operations.text import digest
from reviews.models import DocumentKind, DocumentNumberSequence

from ..choices import EvaluationBasis
from ..models import AnnualReport, Evaluation, FiledImport, ImportedConsortium, ImportStatus, SupportRecord
from ..reports.services import report_content
from . import checks

IMPORTED_BY = "历史导入（纸质报送）"


def _admin_only(actor):
    if actor is not None and actor.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以导入历史备案的创新联合体。")


def dry_run(content, file_name, actor, *, request=None):
    """Check the workbook; keep it (named by its SHA-256) and the findings for the confirmation. Writes no consortium."""
    _admin_only(actor)
    plan = checks.check(content)
    batch = FiledImport(sha256=checks.sha256_of(content), file_name=file_name[:200], uploaded_by=actor,
                        findings=[f.as_dict() for f in plan.findings], summary=plan.counts())
    batch.file.save(f"{batch.sha256}.xlsx", ContentFile(content), save=False)
    batch.save()
    audit.record(evaluations_actions.FILED_IMPORT_CHECKED, request=request, actor=actor, target=f"历史备案导入 {file_name}",
                 detail=f"SHA-256 {batch.sha256}；错误 {len(plan.errors)} 处，提醒 {len(plan.warnings)} 处")
    return batch, plan


def confirm(batch_id, actor, *, request=None):
    """Import a checked workbook: the dry run again on the kept file (nothing may have changed the answer), then
    every row in one transaction. Refused, importing nothing, when it finds any error."""
    _admin_only(actor)
    with transaction.atomic():
        batch = FiledImport.objects.select_for_update().filter(pk=batch_id, status=ImportStatus.CHECKED).first()
        if batch is None:
            raise ValidationError("没有找到待导入的文件，请重新上传。")
        with batch.file.open("rb") as stored:
            content = stored.read()
        plan = checks.check(content)
        if plan.errors:
            batch.findings = [f.as_dict() for f in plan.findings]
            batch.save(update_fields=["findings"])
            raise ValidationError(f"文件中有 {len(plan.errors)} 处错误，未导入任何内容。请改正后重新上传。")
        consortia = import_plan(plan, batch)
        batch.status, batch.imported_at, batch.summary = ImportStatus.IMPORTED, clock.now(), plan.counts()
        batch.save(update_fields=["status", "imported_at", "summary"])
        audit.record(evaluations_actions.FILED_IMPORTED, request=request, actor=actor, target=f"历史备案导入 {batch.file_name}",
                     detail=f"SHA-256 {batch.sha256}；" + "，".join(f"{k} {v}" for k, v in plan.counts().items())
                     + "；" + "、".join(f"{c.record_number} {c.name}" for c in consortia))
    return batch, consortia


def import_file(content, file_name, actor=None):
    """manage.py import_filed: the dry run, then the import when it found no error. (batch, plan, consortia)."""
    batch, plan = dry_run(content, file_name, actor)
    if plan.errors:
        return batch, plan, []
    batch, consortia = confirm(batch.pk, actor)
    return batch, plan, consortia


def _noon(day):
    """A day recorded on paper, as a moment: noon, Beijing time (the portal's dates are Beijing dates)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _unit(code, name, kind, bureau=None):
    unit, created = Unit.objects.get_or_create(credit_code=code, defaults={
        "name": name, "kind": kind, "bureau": bureau, "registration_status": RegistrationStatus.UNREGISTERED})
    return unit


def import_plan(plan, batch):
    consortia = []
    for record_number, row in plan.consortia.items():
        consortium = _consortium(row, plan.members.get(record_number, []))
        ImportedConsortium.objects.create(consortium=consortium, batch=batch)
        _reports_and_grades(consortium, plan.reports.get(record_number, {}), plan.grades.get(record_number, {}), batch)
        units = {m.unit.credit_code: m.unit for m in consortium.memberships.select_related("unit")}
        SupportRecord.objects.bulk_create([SupportRecord(
            consortium=consortium, kind=s["kind"], level=s["level"], amount=s["amount"], year=s["year"],
            granting_body=s["granting_body"], unit=units.get(s["unit_code"]), note=s["note"]) for s in plan.support.get(record_number, [])])
        consortia.append(consortium)
    _continue_numbering(plan.consortia)
    return consortia


def _consortium(row, members):
    lead = _unit(row["lead_code"], row["lead_name"], UnitKind.ENTERPRISE, row["bureau"])
    consortium = Consortium.objects.create(
        name=row["name"], industry_field=row["industry_field"], lead_unit=lead, status=Status.FILED,
        record_number=row["record_number"], filed_on=row["filed_on"], chief_scientist=row["chief_scientist"])
    Application.objects.create(consortium=consortium)
    Membership.objects.create(consortium=consortium, unit=lead, unit_name=row["lead_name"], unit_kind=lead.kind,
                              role=MemberRole.LEAD, position=1)
    Membership.objects.bulk_create([
        Membership(consortium=consortium, unit=_unit(m["credit_code"], m["name"], m["kind"]), unit_name=m["name"], unit_kind=m["kind"],
                   role=MemberRole.MEMBER, position=position, joined_on=m["joined_on"], task_division=m["task_division"],
                   sales_revenue=m["sales_revenue"], rd_spend=m["rd_spend"])
        for position, m in enumerate(members, start=2)])
    return consortium


class _PaperSubmitter:
    display_name = IMPORTED_BY


def _reports_and_grades(consortium, reports, grades, batch):
    made = {}
    for year in sorted(reports):
        report = AnnualReport.objects.create(consortium=consortium, year=year, summary=f"{IMPORTED_BY}，导入文件 SHA-256 {batch.sha256}。")
        report.submitted_at = _noon(reports[year])
        report.content = report_content(report, _PaperSubmitter(), report.submitted_at)
        report.sha256 = digest(report.content)
        report.save(update_fields=["submitted_at", "content", "sha256"])
        made[year] = report
    for year in sorted(grades):
        grade = grades[year]
        third_party = grade["basis"] == EvaluationBasis.THIRD_PARTY
        Evaluation.objects.create(
            consortium=consortium, year=year, grade=grade["grade"], basis=grade["basis"], report=made.get(year),
            opinion=grade["opinion"] or f"{IMPORTED_BY}的评价结果。", decided_at=_noon(grade["decided_on"]),
            third_party_institution=grade["institution"] if third_party else "",
            # the grade's written basis is the imported workbook, kept under its SHA-256
            third_party_name=f"历史导入：{batch.file_name}" if third_party else "",
            third_party_sha256=batch.sha256 if third_party else "")


def _continue_numbering(consortia):
    """The next 备案编号 of each year follows the highest imported one (portal numbers already past it stay)."""
    highest = {}
    for record_number in consortia:
        year, number = (int(part) for part in checks.RECORD_NUMBER.match(record_number).groups())
        highest[year] = max(highest.get(year, 0), number)
    for year, number in highest.items():
        sequence, _ = DocumentNumberSequence.objects.select_for_update().get_or_create(kind=DocumentKind.FILING, year=year)
        if sequence.last < number:
            sequence.last = number
            sequence.save(update_fields=["last"])
