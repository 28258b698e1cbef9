"""Support projects (§五): recorded by municipal staff, caps held here, in the form and in the database."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import audit
from evaluations import audit_actions as evaluations_actions
from operations.text import chinese_date

from .. import common, rules
from ..choices import ProjectStatus
from ..models import SupportProject

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
        audit.record(evaluations_actions.PROJECT_CHANGED, request=request, actor=actor, target=common.target(project.consortium),
                     detail=f"{before} → {_describe_project(project)}")
    return project


def running_projects(consortium):
    return list(SupportProject.objects.filter(consortium=consortium, status=ProjectStatus.ONGOING).order_by("starts_on", "pk"))
