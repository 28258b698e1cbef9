"""What changed between two frozen versions of a 申请书: field by field, row by row."""

from dataclasses import dataclass

from . import choices
from .models import AnnualTarget, Application, Membership, Platform, Project, Signatory
from .snapshot import CHIEF_EXPERT_FIELDS, NOT_ASKED


def _labels(model, names):
    return {name: str(model._meta.get_field(name).verbose_name) for name in names}


CONSORTIUM_LABELS = {"name": "创新联合体名称", "industry_field": "产业领域", "chief_scientist": "首席科学家姓名",
                     "chief_scientist_title": "首席科学家职务/职称"}
APPLICATION_LABELS = _labels(Application, [
    "contact_person", "contact_phone", "mailing_address", "legal_representative", "lead_types", "research_directions",
    "governance", "staff_total", "staff_professional", "ip_total", "ip_invention_patents", "plan_significance",
    "plan_foundation", "plan_positioning", "plan_organization", "plan_mechanism", "plan_funding",
    "secretariat_head", "secretariat_unit", *CHIEF_EXPERT_FIELDS,
])
APPLICATION_LABELS.update({name: f"组建协议：{heading}" for name, heading in choices.CHARTER_SECTIONS})
APPLICATION_LABELS.update(charter_text="组建协议：其他约定", shortfall_statement=str(Application._meta.get_field("shortfall_statement").verbose_name))
MEMBER_LABELS = {
    **_labels(Membership, ["role", "task_division", "duties", "sales_revenue", "rd_spend", "qualifications", "patent_count",
                           "invention_patent_count", "intro_overview", "intro_research", "intro_honors"]),
    "unit.name": "单位名称", "unit.kind": "单位类型",
}
SIGNATORY_LABELS = {**_labels(Signatory, ["capacity", "person_name", "signed_on"]), "authorization_sha256": "授权书"}
SEAT_DIFF_LABELS = {"seat_role": "职务", "unit_name": "所在单位", "title": "职务/职称"}
PLATFORM_LABELS = _labels(Platform, ["name", "industry", "level", "host_unit", "built_on"])
PROJECT_LABELS = _labels(Project, ["name", "industry", "level", "starts_on", "ends_on", "undertaker"])
TARGET_LABELS = _labels(AnnualTarget, ["year", "tasks", "research_plan", "team_building", "rd_investment"])
VALUE_LABELS = {
    "lead_types": dict(choices.Qualification.choices), "qualifications": dict(choices.Qualification.choices), "role": dict(choices.MemberRole.choices),
    "unit.kind": dict(choices.UnitKind.choices), "kind": dict(choices.AttachmentKind.choices), "capacity": dict(choices.SignatoryCapacity.choices),
}


@dataclass
class Change:
    section: str
    item: str
    field: str
    old: str
    new: str

    @property
    def kind(self):
        if self.field == "" and self.old == "":
            return "added"
        if self.field == "" and self.new == "":
            return "removed"
        return "changed"


def _blank(value):
    return value is None or value == "" or value == []


def show(field, value, level_labels=None):
    if _blank(value):
        return "（空）"
    if level_labels and field == "level":
        return level_labels.get(value, value)
    labels = VALUE_LABELS.get(field)
    if isinstance(value, list):
        return "、".join(str(labels.get(v, v) if labels else v) for v in value)
    return str(labels.get(value, value)) if labels else str(value)


def _shown(name, row, level_labels):
    return show(name, row.get(name), level_labels) if name in row else NOT_ASKED


def _fields(section, item, old, new, labels, level_labels=None):
    """Each field that differs; a field one version did not have differs only if the other filled it in."""
    return [
        Change(section, item, label, _shown(name, old, level_labels), _shown(name, new, level_labels))
        for name, label in labels.items()
        if old.get(name) != new.get(name) and not ((name not in old or name not in new) and _blank(old.get(name)) and _blank(new.get(name)))
    ]


def _flat_member(member):
    return {**member, "unit.name": member["unit"]["name"], "unit.kind": member["unit"]["kind"]}


def _rows(section, old_rows, new_rows, key, title, labels, level_labels=None):
    """Rows added, removed and changed; ``old_rows`` None: the older version did not have this table."""
    added_from = NOT_ASKED if old_rows is None else ""
    old_by = {key(r): r for r in old_rows or []}
    new_by = {key(r): r for r in new_rows or []}
    changes = []
    for k, row in new_by.items():
        if k not in old_by:
            changes.append(Change(section, title(row), "", added_from, "新增"))
        else:
            changes += _fields(section, title(row), old_by[k], row, labels, level_labels)
    changes += [Change(section, title(row), "", "删除", "") for k, row in old_by.items() if k not in new_by]
    return changes


def _signatures(content):
    """The signatures as compared: a 授权书 by the start of its SHA-256 (another file is another 授权书)."""
    if "signatories" not in content:
        return None
    return [{**row, "authorization_sha256": f"已上传（{row['authorization_sha256'][:12]}…）" if row.get("authorization_sha256") else ""}
            for row in content["signatories"]]


def _seats(content):
    if "bodies" not in content:
        return None
    return [{**seat, "seat_role": choices.SEAT_LABELS[seat["body"]].get(seat["role"], seat["role"])} for seat in content["bodies"]]


def compare(old, new):
    """Changes from content `old` to content `new` (snapshot dicts), in the template's order."""
    changes = _fields("基础信息", "", old["consortium"], new["consortium"], CONSORTIUM_LABELS)
    changes += _fields("申请书", "", old["application"], new["application"], APPLICATION_LABELS)
    changes += _rows("成员单位", [_flat_member(m) for m in old["members"]], [_flat_member(m) for m in new["members"]],
                     key=lambda r: r["unit"]["credit_code"], title=lambda r: r["unit"]["name"], labels=MEMBER_LABELS)
    changes += _rows("创新平台", old["platforms"], new["platforms"], key=lambda r: r["name"], title=lambda r: r["name"],
                     labels=PLATFORM_LABELS, level_labels=dict(choices.PlatformLevel.choices))
    changes += _rows("承担项目", old["projects"], new["projects"], key=lambda r: r["name"], title=lambda r: r["name"],
                     labels=PROJECT_LABELS, level_labels=dict(choices.ProjectLevel.choices))
    changes += _rows("年度建设任务及目标", old["targets"], new["targets"], key=lambda r: r["year"],
                     title=lambda r: f"{r['year']} 年度", labels=TARGET_LABELS)
    changes += _rows("组织机构", _seats(old), _seats(new), key=lambda r: (r["body"], r["name"]),
                     title=lambda r: f"{choices.Body(r['body']).label} {r['name']}", labels=SEAT_DIFF_LABELS)
    changes += _rows("组建协议签署", _signatures(old), _signatures(new), key=lambda r: r["unit_credit_code"],
                     title=lambda r: r["unit_name"], labels=SIGNATORY_LABELS)
    changes += _rows("附件材料", old["attachments"], new["attachments"], key=lambda r: r["sha256"],
                     title=lambda r: f"{r['title']}（{r['unit_name']}）", labels={})
    return changes
