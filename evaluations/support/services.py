"""Support (§五): the projects a consortium carries, recorded by municipal staff, and every record of support —
recorded by the city, or by a district bureau for the 资助 it gives. Caps and the kind–level binding are held here,
in the forms and in the database."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import audit
from accounts.roles import Role
from evaluations import audit_actions as evaluations_actions
from operations import clock
from operations.text import chinese_date

from .. import common, rules
from ..choices import GRANTING_BODIES, SUPPORT_KIND_LEVELS, ProjectStatus
from ..models import SupportProject, SupportRecord

PROJECT_FIELDS = ["name", "level", "kind", "amount", "starts_on", "ends_on", "status"]


def _check_project(data):
    ok, reason = rules.kind_level_valid(data["kind"], data["level"])
    if not ok:
        raise ValidationError({"kind_level": reason})
    ok, reason = rules.within_funding_cap(data["kind"], data["amount"])
    if not ok:
        raise ValidationError({"amount": reason})
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": "实施期结束日期不能早于开始日期。"})


def _describe_project(project):
    return (f"{project.name}（{project.get_level_display()}，{project.get_kind_display()}，{project.amount} 万元，"
            f"{chinese_date(project.starts_on)}—{chinese_date(project.ends_on)}，{project.get_status_display()}）")


def record_project(consortium_id, actor, data, *, request=None):
    common.staff_only(actor, "登记承担项目")
    _check_project(data)
    with transaction.atomic():
        consortium = common.filed_consortium(consortium_id, actor, lock=True)
        project = SupportProject.objects.create(consortium=consortium, recorded_by=actor, **{f: data[f] for f in PROJECT_FIELDS})
        _fund_project(project, actor)
        audit.record(evaluations_actions.PROJECT_RECORDED, request=request, actor=actor, target=common.target(consortium),
                     detail=_describe_project(project))
    return project


def change_project(project_id, actor, data, *, request=None):
    common.staff_only(actor, "修改承担项目")
    _check_project(data)
    with transaction.atomic():
        project = SupportProject.objects.select_for_update(of=("self",)).select_related("consortium").get(pk=project_id)
        common.filed_consortium(project.consortium_id, actor, lock=True)
        before = _describe_project(project)
        for name in PROJECT_FIELDS:
            setattr(project, name, data[name])
        project.save()
        _fund_project(project, actor)
        audit.record(evaluations_actions.PROJECT_CHANGED, request=request, actor=actor, target=common.target(project.consortium),
                     detail=f"{before} → {_describe_project(project)}")
    return project


def running_projects(consortium):
    """The consortium's projects still 在研, earliest first; read through its relation (a page may have read them with it)."""
    running = [project for project in consortium.support_projects.all() if project.status == ProjectStatus.ONGOING]
    return sorted(running, key=lambda project: (project.starts_on, project.pk))


def _fund_project(project, actor):
    """The record of a project's own funding, in step with the project (kind, level, amount, first year)."""
    SupportRecord.objects.update_or_create(project=project, from_project=True, defaults={
        "consortium_id": project.consortium_id, "kind": project.kind, "level": project.level, "amount": project.amount,
        "year": project.starts_on.year, "granting_body": GRANTING_BODIES[project.level], "recorded_by": actor,
    })


# --- support records -------------------------------------------------------------------------------------------

SUPPORT_FIELDS = ["kind", "level", "amount", "year", "granting_body", "unit", "project", "note"]


def may_record_support(actor, kind=None):
    """(may, why not): the city records every kind; a district bureau the 资助 it gives (its own district's consortia,
    by the scope)."""
    if actor.role == Role.MUNICIPAL_STAFF:
        return True, ""
    if actor.role == Role.DISTRICT_REVIEWER:
        return rules.district_may_record(kind) if kind else (True, "")
    return False, "只有市科技局或所在辖市区科技局可以登记支持记录。"


def _check_support(actor, consortium, data):
    ok, reason = may_record_support(actor, data["kind"])
    if not ok:
        raise PermissionDenied(reason)
    errors = {}
    for field, (ok, reason) in (
        ("kind_level", rules.kind_level_valid(data["kind"], data["level"], SUPPORT_KIND_LEVELS)),
        ("amount", rules.within_funding_cap(data["kind"], data["amount"])),
        ("year", rules.support_year_valid(data["year"], clock.today())),
    ):
        if not ok:
            errors[field] = reason
    unit, project = data.get("unit"), data.get("project")
    if unit is not None and not consortium.memberships.filter(unit=unit).exists():
        errors["unit"] = "受支持单位须是该创新联合体的牵头或成员单位。"
    if project is not None and project.consortium_id != consortium.pk:
        errors["project"] = "关联项目须是该创新联合体承担的项目。"
    if errors:
        raise ValidationError(errors)


def _describe_support(record):
    whom = record.unit.name if record.unit_id else "联合体整体"
    return (f"{record.year} 年 {record.get_kind_display()}（{record.get_level_display()}）{record.amount} 万元，"
            f"{record.granting_body}，{whom}" + (f"，关联项目“{record.project.name}”" if record.project_id else ""))


def record_support(consortium_id, actor, data, *, request=None):
    with transaction.atomic():
        consortium = common.filed_consortium(consortium_id, actor, lock=True)
        _check_support(actor, consortium, data)
        record = SupportRecord.objects.create(consortium=consortium, recorded_by=actor, **_support_values(data))
        audit.record(evaluations_actions.SUPPORT_RECORDED, request=request, actor=actor, target=common.target(consortium),
                     detail=_describe_support(record))
    return record


def _support_values(data):
    values = {name: data.get(name) for name in SUPPORT_FIELDS}
    values["note"] = values["note"] or ""
    return values


def change_support(record_id, actor, data, *, request=None):
    with transaction.atomic():
        record = (SupportRecord.objects.visible_to(actor).select_for_update(of=("self",))
                  .select_related("unit", "project").filter(pk=record_id, from_project=False).first())
        if record is None:
            raise PermissionDenied("没有找到该支持记录（项目经费随项目修改）。")
        ok, reason = may_record_support(actor, record.kind)
        if not ok:
            raise PermissionDenied(reason)
        consortium = common.filed_consortium(record.consortium_id, actor, lock=True)
        _check_support(actor, consortium, data)
        before = _describe_support(record)
        for name, value in _support_values(data).items():
            setattr(record, name, value)
        record.save()
        audit.record(evaluations_actions.SUPPORT_CHANGED, request=request, actor=actor, target=common.target(consortium),
                     detail=f"{before} → {_describe_support(record)}")
    return record
