"""形式审查: every filing rule of DESIGN.md §Rules, each with pass/fail, the reason and where to fix it.

The readiness page and the submit service both call run(); nothing else decides readiness.
"""

from dataclasses import dataclass, field

from . import rules, snapshot
from .choices import RESEARCH_KINDS, AttachmentKind, Part, Qualification, UnitKind
from .models import Unit
from .validators import validate_credit_code

MIN_UNITS = 4

# Required fields of each part, with the label shown when one is missing.
REQUIRED_BASIC = {
    "consortium": [("name", "创新联合体名称"), ("industry_field", "产业领域"), ("chief_scientist", "首席科学家姓名"),
                   ("chief_scientist_title", "首席科学家职务/职称")],
    "application": [("mailing_address", "通讯地址"), ("legal_representative", "法定代表人"), ("lead_types", "牵头单位类型"),
                    ("contact_person", "联系人"), ("contact_phone", "联系电话"), ("research_directions", "重点研发方向"),
                    ("governance", "联合体决策及运行机制"), ("staff_total", "从业人员数"), ("staff_professional", "专业技术人员数"),
                    ("ip_total", "有效知识产权数量"), ("ip_invention_patents", "发明专利数量")],
}
REQUIRED_PLAN = [("plan_significance", "建设的意义和必要性"), ("plan_foundation", "建设基础"), ("plan_positioning", "发展定位及分析"),
                 ("plan_organization", "组织架构"), ("plan_mechanism", "运行机制"), ("plan_funding", "经费投入与保障措施")]
MEMBER_REQUIRED = [("task_division", "任务分工"), ("duties", "工作职责")]
INTRO_REQUIRED = [("intro_overview", "第一段"), ("intro_research", "第二段"), ("intro_honors", "第三段")]


@dataclass
class Check:
    title: str
    part: str
    reasons: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.reasons


def _blank(value):
    return value is None or value == "" or value == []


def missing_fields(content):
    """{part: [what is missing]} over the whole snapshot; also feeds each part's completeness."""
    missing = {part: [] for part in Part.values}
    for section, fields in REQUIRED_BASIC.items():
        missing[Part.BASIC] += [label for name, label in fields if _blank(content[section][name])]
    for member in content["members"]:
        name = member["unit"]["name"]
        missing[Part.MEMBERS] += [f"{name}的{label}" for key, label in MEMBER_REQUIRED if _blank(member[key])]
        missing[Part.INTROS] += [f"{name}简介{label}" for key, label in INTRO_REQUIRED if _blank(member[key])]
    missing[Part.PLAN] += [label for name, label in REQUIRED_PLAN if _blank(content["application"][name])]
    if not content["targets"]:
        missing[Part.PLAN].append("年度建设任务及目标（至少 1 个年度）")
    if _blank(content["application"]["charter_text"]):
        missing[Part.CHARTER].append("章程（组建协议）正文")
    return missing


def completeness(content):
    """{part: percent filled} for the editor's navigation."""
    missing = missing_fields(content)
    members = len(content["members"])
    totals = {
        Part.BASIC: sum(len(f) for f in REQUIRED_BASIC.values()),
        Part.MEMBERS: max(members, MIN_UNITS) * len(MEMBER_REQUIRED),
        Part.FOUNDATION: 0,
        Part.PLAN: len(REQUIRED_PLAN) + 1,
        Part.INTROS: max(members, 1) * len(INTRO_REQUIRED),
        Part.CHARTER: 1,
        Part.ATTACHMENTS: len(required_attachments(content)),
    }
    missing[Part.MEMBERS] += ["成员"] * max(0, MIN_UNITS - members) * len(MEMBER_REQUIRED)
    missing[Part.ATTACHMENTS] = missing_attachments(content)
    return {
        part: 100 if not totals[part] else round(100 * (totals[part] - min(len(missing[part]), totals[part])) / totals[part])
        for part in Part.values
    }


def required_attachments(content):
    """[(credit code or None for "any unit", unit name, kind, why)] that the 填报说明 asks for."""
    required = []
    lead = next((m for m in content["members"] if m["role"] == "lead"), None)
    for member in content["members"]:
        unit = member["unit"]
        if unit["kind"] not in RESEARCH_KINDS:
            required.append((unit["credit_code"], unit["name"], AttachmentKind.LICENSE, "营业执照或法人证书复印件"))
    if lead and [t for t in content["application"]["lead_types"] if t != Qualification.OTHER]:
        unit = lead["unit"]
        required.append((unit["credit_code"], unit["name"], AttachmentKind.QUALIFICATION, "所选牵头单位类型的证明文件"))
    if (content["application"]["ip_invention_patents"] or 0) > 0:
        required.append((None, "牵头或成员单位", AttachmentKind.PATENT, "有效发明专利证书复印件"))
    if lead:
        required.append((None, "各成员单位", AttachmentKind.AGREEMENT, "法定代表人或授权人签署的组建协议扫描件"))
    return required


def missing_attachments(content):
    present = {(a["unit_credit_code"], a["kind"]) for a in content["attachments"]}
    kinds = {a["kind"] for a in content["attachments"]}
    return [
        f"{name}的{why}"
        for code, name, kind, why in required_attachments(content)
        if (kind not in kinds if code is None else (code, kind) not in present)
    ]


def run(application):
    """All checks, in the order of DESIGN.md §Rules. Reads a fresh snapshot of the application."""
    content = snapshot.build(snapshot.load(application.pk))
    consortium = application.consortium
    lead = consortium.lead_unit
    members = content["members"]
    checks = []

    for title, (ok, reason) in (
        ("牵头单位在镇江市注册，为独立法人企业", rules.registered_zhenjiang_enterprise(lead)),
        ("牵头单位未牵头其他在建或已备案的创新联合体", rules.leads_no_other_live_consortium(lead, excluding=consortium)),
    ):
        checks.append(Check(title, Part.BASIC, [] if ok else [reason]))

    check = Check(f"成员单位不少于 {MIN_UNITS} 家（含牵头单位）", Part.MEMBERS)
    if len(members) < MIN_UNITS:
        check.reasons.append(f"目前共 {len(members)} 家单位（含牵头单位），原则上不少于 {MIN_UNITS} 家，请在“成员及分工”中添加成员单位。")
    checks.append(check)

    check = Check("成员单位中至少有 1 家高校或科研院所", Part.MEMBERS)
    if not any(m["unit"]["kind"] in RESEARCH_KINDS for m in members):
        check.reasons.append("成员单位中没有高校或科研院所；相关学科高校院所不少于 1 家。")
    checks.append(check)

    check = Check("各单位统一社会信用代码有效且互不重复", Part.MEMBERS)
    seen = set()
    for m in members:
        code = m["unit"]["credit_code"]
        try:
            validate_credit_code(code)
        except Exception as error:  # ValidationError; the message says what is wrong
            check.reasons.append(f"{m['unit']['name']}：{' '.join(getattr(error, 'messages', [str(error)]))}")
        if code in seen:
            check.reasons.append(f"{m['unit']['name']}的统一社会信用代码与其他单位重复。")
        seen.add(code)
    checks.append(check)

    check = Check("无被取消资格、限制参与的单位", Part.MEMBERS)
    for unit in Unit.objects.filter(credit_code__in=[m["unit"]["credit_code"] for m in members]):
        banned_ok, banned_reason = rules.not_banned(unit)
        if not banned_ok:
            check.reasons.append(banned_reason)
    checks.append(check)

    check = Check("企业成员已填写近一年销售收入和研发投入", Part.MEMBERS)
    for m in members:
        if m["unit"]["kind"] == UnitKind.ENTERPRISE:
            gaps = [label for key, label in (("sales_revenue", "近一年销售收入"), ("rd_spend", "近一年研发投入")) if _blank(m[key])]
            if gaps:
                check.reasons.append(f"{m['unit']['name']}未填写{'、'.join(gaps)}。")
    checks.append(check)

    check = Check("附件材料齐全", Part.ATTACHMENTS)
    check.reasons += [f"缺少{item}。" for item in missing_attachments(content)]
    members_codes = {m["unit"]["credit_code"] for m in members}
    check.reasons += [
        f"附件“{a['title']}”所属的{a['unit_name']}已不在成员名单中，请删除或改传。"
        for a in content["attachments"] if a["unit_credit_code"] and a["unit_credit_code"] not in members_codes
    ]
    checks.append(check)

    missing = missing_fields(content)
    for part, label in Part.choices:
        if part == Part.ATTACHMENTS or part == Part.FOUNDATION:
            continue
        check = Check(f"“{label}”必填项已填写", part)
        if missing[part]:
            check.reasons.append("未填写：" + "、".join(missing[part]) + "。")
        checks.append(check)

    pending = list(application.draft_inputs.values_list("part", flat=True))
    check = Check("没有暂存但未通过校验的内容", pending[0] if pending else Part.BASIC)
    if pending:
        check.reasons.append(
            "以下部分有暂存但未通过校验的内容，请打开改正后保存：" + "、".join(f"“{Part(p).label}”" for p in pending) + "。"
        )
    checks.append(check)
    return checks
