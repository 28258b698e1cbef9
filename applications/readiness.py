"""形式审查: every filing rule of DESIGN.md §Rules, each with pass/fail, the reason and where to fix it.

``run()`` judges a snapshot of the 申请书 — the live draft while the lead edits, the frozen version on
the review page — with the facts only the database knows today (the lead's registration, bans, other
consortia). The readiness page, the ``submit`` guard and the review page all call it; nothing else
decides readiness. ``flags()`` lists what reviewers should look at without it refusing anything.

Over 400 lines on purpose: every rule of DESIGN.md §Rules that a 申请书 is judged by stands here, in the order the
pages list them, so that one module decides readiness; split by part, the order and the one-decider rule would be
spread over many.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from operations import clock
from operations.prepared import Prepared

from . import bans, rules, selectors, snapshot
from .choices import (
    CHARTER_SECTIONS,
    EDITOR_PARTS,
    RESEARCH_KINDS,
    AttachmentKind,
    Body,
    MemberRole,
    Part,
    Qualification,
    UnitKind,
)
from .models import Unit

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
BANS = "bans"
MEMBER_REQUIRED = [("task_division", "任务分工"), ("duties", "工作职责")]
REQUIRED_CHIEF_EXPERT = [
    ("chief_expert_unit", "首席专家工作单位"), ("chief_expert_field", "首席专家研究领域"),
    ("chief_expert_education", "首席专家学习经历"), ("chief_expert_achievements", "首席专家主要学术成就"),
    ("chief_expert_industry_roles", "首席专家产业界任职"), ("chief_expert_phone", "首席专家联系电话"),
]
# What each seat of an organ must name besides the person (专家指导委员会: members with unit and title).
SEAT_REQUIRED = {Body.COUNCIL: [("unit_name", "所在单位")], Body.ADVISORY: [("unit_name", "所在单位"), ("title", "职务/职称")]}
INTRO_REQUIRED = [("intro_overview", "第一段"), ("intro_research", "第二段"), ("intro_honors", "第三段")]


@dataclass
class Check:
    title: str
    part: str
    reasons: list = field(default_factory=list)
    in_principle: bool = False  # a 原则上 rule: a written 情况说明 may stand in for it
    explained: bool = False  # … and one was written
    key: str = ""  # names a check other code refers to (BANS)
    not_asked: bool = False  # a rule (or the data it judges) the 申请书 did not have when this version was frozen

    @property
    def ok(self):
        return not self.reasons or (self.in_principle and self.explained)

    @property
    def state(self):
        if self.not_asked:
            return "not_asked"
        if not self.reasons:
            return "pass"
        return "explained" if self.ok else "fail"


def _blank(value):
    return value is None or value == "" or value == []


def members_besides_lead(content):
    return [m for m in content["members"] if m["role"] != MemberRole.LEAD]


def missing_fields(content):
    """{part: [what is missing]} over the whole snapshot; also feeds each part's completeness."""
    missing = {part: [] for part in Part.values}
    for section, fields in REQUIRED_BASIC.items():
        missing[Part.BASIC] += [label for name, label in fields if _blank(content[section].get(name))]
    for member in content["members"]:
        name = member["unit"]["name"]
        missing[Part.MEMBERS] += [f"{name}的{label}" for key, label in MEMBER_REQUIRED if _blank(member[key])]
        missing[Part.INTROS] += [f"{name}简介{label}" for key, label in INTRO_REQUIRED if _blank(member[key])]
    missing[Part.PLAN] += [label for name, label in REQUIRED_PLAN if _blank(content["application"].get(name))]
    if not content["targets"]:
        missing[Part.PLAN].append("年度建设任务及目标（至少 1 个年度）")
    if snapshot.predates_organisation(content):  # judged by the rule of its day: one charter text
        if _blank(content["application"].get("charter_text")):
            missing[Part.CHARTER].append("章程（组建协议）正文")
        return missing
    missing[Part.CHARTER] += [f"组建协议“{heading}”" for name, heading in CHARTER_SECTIONS if _blank(content["application"].get(name))]
    missing[Part.ORGANIZATION] += [label for name, label in REQUIRED_CHIEF_EXPERT if _blank(content["application"].get(name))]
    for seat in content["bodies"]:
        body = Body(seat["body"])
        missing[Part.ORGANIZATION] += [f"{body.label}成员{seat['name']}的{label}" for key, label in SEAT_REQUIRED[body] if _blank(seat.get(key))]
    return missing


def body_problems(content):
    """Each organ named with at least its head (§四（三））; [] for a version frozen before they were asked."""
    if snapshot.predates_organisation(content):
        return []
    application = content["application"]
    return rules.body_heads_missing([(seat["body"], seat["role"], seat["name"]) for seat in content["bodies"]],
                                    application.get("secretariat_head"), application.get("secretariat_unit"))


def signature_problems(content, on):
    """The 组建协议 signed for every unit of the member table (§四（二）), judged on the day ``on``."""
    if snapshot.predates_organisation(content):
        return []
    units = [(m["unit"]["credit_code"], m["unit"]["name"]) for m in content["members"]]
    authorised = {a["id"] for a in content["attachments"] if a["kind"] == AttachmentKind.AUTHORIZATION}
    signatures = {
        row["unit_credit_code"]: {
            "capacity": row["capacity"], "person_name": row["person_name"], "signed_on": _day(row["signed_on"]),
            "has_authorization": row.get("authorization_id") in authorised,
        }
        for row in content["signatories"]
    }
    return rules.signature_problems(units, signatures, on)


def _day(value):
    return date.fromisoformat(value) if value else None


def completeness(content):
    """{part: percent filled} for the editor's navigation."""
    missing = missing_fields(content)
    rows = len(content["members"])
    wanted_rows = settings.CONSORTIUM_MIN_MEMBERS + 1  # the members and the lead
    totals = {
        Part.BASIC: sum(len(f) for f in REQUIRED_BASIC.values()),
        Part.MEMBERS: max(rows, wanted_rows) * len(MEMBER_REQUIRED),
        Part.FOUNDATION: 0,
        Part.PLAN: len(REQUIRED_PLAN) + 1,
        Part.ORGANIZATION: len(REQUIRED_CHIEF_EXPERT) + len(Body) + 1 + len(content.get("bodies", ())),
        Part.INTROS: max(rows, 1) * len(INTRO_REQUIRED),
        Part.CHARTER: len(CHARTER_SECTIONS) + max(rows, 1),
        Part.ATTACHMENTS: len(required_attachments(content)),
    }
    missing[Part.MEMBERS] += ["成员"] * max(0, wanted_rows - rows) * len(MEMBER_REQUIRED)
    missing[Part.ORGANIZATION] += body_problems(content)
    missing[Part.CHARTER] += signature_problems(content, clock.today())
    missing[Part.ATTACHMENTS] = missing_attachments(content)
    return {
        part: 100 if not totals[part] else round(100 * (totals[part] - min(len(missing[part]), totals[part])) / totals[part])
        for part, _ in EDITOR_PARTS
    }


def qualifications_of(member, application):
    """The qualification types ticked for a unit (the lead's are the 基础信息表's 牵头单位类型), 其他 aside."""
    ticked = application.get("lead_types") if member["role"] == MemberRole.LEAD else member.get("qualifications")
    return [t for t in ticked or [] if t != Qualification.OTHER]


def declares_patents(member):
    return (member.get("patent_count") or 0) > 0 or (member.get("invention_patent_count") or 0) > 0


def required_attachments(content):
    """[(credit code or None for "any unit", unit name, kind, why)] that the 填报说明 asks for, unit by unit:
    1. licences of the units that are not 高校院所; 2. patent certificates of each unit that declares patents
    (of any unit when only the totals declare invention patents); 3. proofs of each unit's ticked qualifications."""
    required = []
    application = content["application"]
    lead = next((m for m in content["members"] if m["role"] == MemberRole.LEAD), None)
    labels = dict(Qualification.choices)
    for member in content["members"]:
        unit = member["unit"]
        if unit["kind"] not in RESEARCH_KINDS:
            required.append((unit["credit_code"], unit["name"], AttachmentKind.LICENSE, "营业执照或法人证书复印件"))
    patent_holders = [m for m in content["members"] if declares_patents(m)]
    for member in patent_holders:
        unit = member["unit"]
        required.append((unit["credit_code"], unit["name"], AttachmentKind.PATENT, "有效专利（发明专利）证书复印件"))
    if not patent_holders and (application["ip_invention_patents"] or 0) > 0:
        required.append((None, "牵头或成员单位", AttachmentKind.PATENT, "有效发明专利证书复印件"))
    for member in content["members"]:
        ticked = qualifications_of(member, application)
        if ticked:
            unit = member["unit"]
            required.append((unit["credit_code"], unit["name"], AttachmentKind.QUALIFICATION,
                             f"{'、'.join(labels.get(t, t) for t in ticked)}证明文件"))
    if lead:
        required.append((None, "各成员单位", AttachmentKind.FORMATION_AGREEMENT, "法定代表人或授权人签署的组建协议扫描件"))
    return required


def missing_attachments(content):
    present = {(a["unit_credit_code"], a["kind"]) for a in content["attachments"]}
    kinds = {a["kind"] for a in content["attachments"]}
    return [
        f"{name}的{why}"
        for code, name, kind, why in required_attachments(content)
        if (kind not in kinds if code is None else (code, kind) not in present)
    ]


def shortfalls(content):
    """The facts of the 原则上 rules this snapshot falls short of (empty when it meets them)."""
    return rules.member_shortfalls([(m["unit"]["kind"], m["role"] == MemberRole.LEAD) for m in content["members"]])


def statement(content):
    return (content["application"].get("shortfall_statement") or "").strip()


def run(application, content=None, on=None):
    """All checks, in the order of DESIGN.md §Rules, over ``content`` (default: the live 申请书), as on the day
    ``on`` (default today; a frozen version is judged on the day it was submitted)."""
    if content is None:
        return run_live(application, on)[0]
    return judged(application, content_checks(content, on or clock.today()), content["members"])


def run_live(application, on=None):
    """run() over the live 申请书 (as on the day ``on``, default today), with the input kept but not yet saved; and the
    content it judged, which a submission freezes as it was judged (applications.services), not read a second time."""
    content = snapshot.build(snapshot.load(application.pk))
    checks = judged(application, content_checks(content, on or clock.today()), content["members"])
    checks.append(_pending_input_check(application))
    return checks, content


def content_checks(content, on):
    """The checks of run() that judge ``content`` alone, as on the day ``on``, in run()'s order: what they find
    depends on the content, the day and the settings, and on nothing the database holds — a frozen version's are the
    same each time it is read (applications.frozen keeps them). The bans' check is here without its reasons: who is
    banned changes (judged())."""
    not_asked = snapshot.predates_organisation(content)
    checks = _member_checks(content)
    checks += _foundation_and_attachment_checks(content, on, not_asked)
    checks.append(Check("组建协议由牵头单位和各成员单位的法定代表人或授权人签署", Part.CHARTER,
                        signature_problems(content, on), not_asked=not_asked))
    checks.append(Check("设立理事会、专家指导委员会和秘书处，并明确负责人", Part.ORGANIZATION,
                        body_problems(content), not_asked=not_asked))
    checks += _required_field_checks(content, not_asked)
    return checks


def judged(application, checks, members):
    """``checks`` (content_checks()) with what only the database knows today: the lead's own checks first (its
    registration, the other consortia it leads), and the reasons of the bans in force against the snapshot's
    ``members`` (their declared names and codes). Each check a new object: ``checks`` is left as it was (a frozen
    version's are kept and read again)."""
    refused = bans.refusals((m["unit"]["name"], m["unit"]["credit_code"]) for m in members)
    return _lead_checks(application.consortium) + [
        Check(check.title, check.part, list(refused if check.key == BANS else check.reasons), check.in_principle,
              check.explained, check.key, check.not_asked)
        for check in checks
    ]


def _lead_checks(consortium):
    """§三（一）1: the lead unit registered in 镇江, an independent legal person, leading no other live consortium."""
    lead = consortium.lead_unit
    other = selectors.other_live_consortium(lead, excluding=consortium)
    return [Check(title, Part.BASIC, [] if ok else [reason]) for title, (ok, reason) in (
        ("牵头单位在镇江市注册，为独立法人企业", rules.lead_unit_eligible(lead)),
        ("牵头单位未牵头其他在建或已备案的创新联合体", rules.leads_one_live_consortium(lead.name, other)),
    )]


def _member_checks(content):
    """§三: enough members and a 高校院所 (原则上), valid and distinct codes, no banned unit, enterprises' figures."""
    members = content["members"]
    explained = bool(statement(content))
    besides_lead = members_besides_lead(content)
    ok, reason = rules.enough_members(len(besides_lead))
    checks = [Check(f"成员单位不少于 {rules.minimum_members()} 家（不含牵头单位）", Part.MEMBERS,
                    [] if ok else [reason], in_principle=True, explained=explained)]
    ok, reason = rules.has_research_member([m["unit"]["kind"] for m in besides_lead])
    checks.append(Check("成员单位中至少有 1 家高校或科研院所", Part.MEMBERS,
                        [] if ok else [reason], in_principle=True, explained=explained))
    check = Check("各单位统一社会信用代码有效且互不重复", Part.MEMBERS)
    seen = set()
    for m in members:
        ok, reason = rules.credit_code_valid(m["unit"]["name"], m["unit"]["credit_code"])
        if not ok:
            check.reasons.append(reason)
        if m["unit"]["credit_code"] in seen:
            check.reasons.append(f"{m['unit']['name']}的统一社会信用代码与其他单位重复。")
        seen.add(m["unit"]["credit_code"])
    checks.append(check)
    # Shown here with the other rules; on every step toward 备案 the engine's guard (bans.no_banned_unit) holds it.
    checks.append(Check("无被取消资格、限制参与的单位", Part.MEMBERS, key=BANS))  # its reasons: judged()
    check = Check("企业成员已填写近一年销售收入和研发投入", Part.MEMBERS)
    for m in members:
        if m["unit"]["kind"] == UnitKind.ENTERPRISE:
            gaps = [label for key, label in (("sales_revenue", "近一年销售收入"), ("rd_spend", "近一年研发投入")) if _blank(m[key])]
            if gaps:
                check.reasons.append(f"{m['unit']['name']}未填写{'、'.join(gaps)}。")
    checks.append(check)
    return checks


def _foundation_and_attachment_checks(content, on, not_asked):
    """The 近三年 projects (a rule since the organisation parts were asked) and the 附件材料 of each unit."""
    check = Check("近三年承担的项目均在提交前三年内开始", Part.FOUNDATION, not_asked=not_asked)
    for project in [] if not_asked else content["projects"]:
        ok, reason = rules.project_recent(project["name"], _day(project.get("starts_on")), on)
        if not ok:
            check.reasons.append(reason)
    attachments = Check("附件材料齐全", Part.ATTACHMENTS)
    attachments.reasons += [f"缺少{item}。" for item in missing_attachments(content)]
    member_codes = {m["unit"]["credit_code"] for m in content["members"]}
    attachments.reasons += [
        f"附件“{a['title']}”所属的{a['unit_name']}已不在成员名单中，请删除或改传。"
        for a in content["attachments"] if a["unit_credit_code"] and a["unit_credit_code"] not in member_codes
    ]
    return [check, attachments]


def _required_field_checks(content, not_asked):
    missing = missing_fields(content)
    checks = []
    for part, label in EDITOR_PARTS:
        if part in (Part.ATTACHMENTS, Part.FOUNDATION):
            continue
        check = Check(f"“{label}”必填项已填写", part, not_asked=not_asked and part == Part.ORGANIZATION)
        if missing[part]:
            check.reasons.append("未填写：" + "、".join(missing[part]) + "。")
        checks.append(check)
    return checks


def _pending_input_check(application):
    pending = list(application.draft_inputs.values_list("part", flat=True))
    check = Check("没有暂存但未通过校验的内容", pending[0] if pending else Part.BASIC)
    if pending:
        check.reasons.append(
            "以下部分有暂存但未通过校验的内容，请打开改正后保存：" + "、".join(f"“{Part(p).label}”" for p in pending) + "。"
        )
    return check


def needs_statement(checks):
    return any(check.in_principle and check.reasons for check in checks)


@Prepared
def _units_by_code(codes: list[str]):
    return Unit.objects.filter(credit_code__in=codes)


def member_warnings(members, units=None):
    """{credit code: [warnings]} beside the members of a snapshot: a declared kind that does not fit the
    code's registration authority, a declaration that disagrees with the unit's own registration. ``units``: the
    registry's rows of these codes if the caller read them already (the editor, with its memberships: a code is one
    unit), else they are read here."""
    if units is None:
        units = _units_by_code([m["unit"]["credit_code"] for m in members])
    registry = {unit.credit_code: unit for unit in units}
    warnings = {}
    for m in members:
        unit = m["unit"]
        found = []
        ok, reason = rules.kind_matches_credit_code(unit["kind"], unit["credit_code"])
        if not ok:
            found.append(reason)
        found += rules.declaration_matches_registry(unit["name"], unit["kind"], registry.get(unit["credit_code"]))
        if found:
            warnings[unit["credit_code"]] = found
    return warnings


def flags(content):
    """What reviewers should look at in a snapshot, without it refusing anything: the 情况说明 for a
    原则上 shortfall, the lead's code issued outside 镇江 and its 法定代表人 unlike the registration, thin
    sections of the 组建协议, then each member whose declaration is doubtful. [(kind, heading, text)]"""
    return content_flags(content) + member_flags(content["members"])


def content_flags(content):
    """The flags read off the content alone (all but the members' against the registry): the same each time a frozen
    version is read."""
    found = []
    short = shortfalls(content)
    if short:
        found.append(("statement", "未达到原则性组建条件：" + "；".join(short), statement(content) or "（未填写情况说明）"))
    lead = next((m for m in content["members"] if m["role"] == MemberRole.LEAD), None)
    if lead:
        unit = lead["unit"]
        ok, reason = rules.code_issued_in_zhenjiang(unit["credit_code"])
        if not ok:
            found.append(("region", f"牵头单位{unit['name']}（{unit['credit_code']}）的代码不是镇江市发放", reason))
        ok, reason = rules.legal_representative_matches(content["application"].get("legal_representative"), unit.get("legal_representative"))
        if not ok:
            found.append(("legal_representative", "法定代表人与注册信息不一致", reason + "申请书按填写内容打印。"))
    thin = thin_charter_sections(content)
    if thin:
        minimum = settings.CHARTER_SECTION_MIN_CHARS
        found.append(("charter", f"组建协议部分内容较简略（少于 {minimum} 字）",
                      "；".join(f"“{heading}”{length} 字" for heading, length in thin)))
    return found


def member_flags(members):
    """The flags of the members (a snapshot's) whose declaration is doubtful: against the registry as it is now."""
    names = {m["unit"]["credit_code"]: m["unit"]["name"] for m in members}
    return [("member", f"{names[code]}（{code}）", "；".join(warnings)) for code, warnings in member_warnings(members).items()]


def thin_charter_sections(content):
    """[(heading, length)] of the 组建协议's sections under CHARTER_SECTION_MIN_CHARS (none for a version frozen before)."""
    if snapshot.predates_organisation(content):
        return []
    application = content["application"]
    return rules.thin_sections([(heading, application.get(name)) for name, heading in CHARTER_SECTIONS],
                               settings.CHARTER_SECTION_MIN_CHARS)
