"""The work plan's rules, each once, as small functions returning (ok, reason).

A page shows the reason; a service refuses with it; both call the same function. Nothing here
queries the database: the caller passes what is judged (a unit, a count, the ban it found), so
that the rules sit at the bottom of the app and every layer above may use them.

Two rules of §三 are 原则上 (in principle): the member count and the 高校院所 member. Falling short
of them is allowed only with a written 情况说明 (see ``IN_PRINCIPLE``); every other rule is absolute.
"""

from datetime import date

from django.conf import settings

from operations.text import chinese_date

from . import phrases, regions
from .choices import EDITABLE_STATUSES, RESEARCH_KINDS, SEAT_LABELS, Body, RegistrationStatus, SeatRole, SignatoryCapacity, UnitKind
from .validators import credit_code_problem

OK = (True, "")


def years_before(day, years):
    """The same day ``years`` earlier; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def _same_person(a, b):
    return "".join((a or "").split()) == "".join((b or "").split())


# --- The lead unit (§三（一）1) -------------------------------------------------------------


def lead_unit_eligible(unit):
    """A 镇江-registered enterprise with independent legal personality, approved by its district."""
    if unit.registration_status != RegistrationStatus.APPROVED:
        return False, "单位注册尚未通过所在辖市区科技部门审核，暂不能牵头申报。"
    if unit.bureau_id is None:
        return False, "牵头单位须在镇江市注册。"
    if unit.kind != UnitKind.ENTERPRISE or not unit.is_legal_person:
        return False, "牵头单位须为具有独立法人资格的企业。"
    return OK


def registered_as_legal_person(is_legal_person):
    """§三（一）1: 独立法人. A 分公司 or other branch has no legal personality of its own and cannot lead."""
    if is_legal_person is False:
        return False, (
            "分公司、分支机构不具有独立法人资格，不能作为创新联合体牵头单位注册（工作方案要求牵头单位为在镇江市注册的独立法人）；"
            "请由具有独立法人资格的企业（如总公司）注册。"
        )
    return OK


def code_issued_in_zhenjiang(credit_code):
    """A flag, never a refusal: the lead is registered in 镇江, but a unit that moved here may keep a code issued elsewhere."""
    if not credit_code or regions.in_zhenjiang(credit_code):
        return OK
    region = regions.region_code(credit_code)
    return False, (
        f"统一社会信用代码第 3–8 位为 {region}（{regions.region_name(credit_code)}），不是镇江市（3211xx）发放的代码："
        "请核实该单位是否在镇江市注册（由外地迁入的单位可能保留原代码）。"
    )


def legal_representative_matches(declared, registered):
    """A flag: the 法定代表人 on the 申请书 is printed as declared; reviewers see where it differs from the registration."""
    if not (declared or "").strip() or not (registered or "").strip() or _same_person(declared, registered):
        return OK
    return False, f"申请书填写的法定代表人“{declared}”与牵头单位注册登记的法定代表人“{registered}”不一致，请核实。"


def leads_one_live_consortium(unit_name, other):
    """原则上 1 家牵头单位只能牵头组建 1 个创新联合体 — held absolutely, in the database too.

    ``other``: another consortium this unit leads that is not rejected/not filed/revoked/dissolved, or None.
    """
    if other is not None:
        return False, (
            f"{unit_name}已牵头“{other.name}”（{other.get_status_display()}），"
            "1 家牵头单位只能牵头组建 1 个创新联合体。"
        )
    return OK


# --- Bans (§六（二）) -------------------------------------------------------------------------


def not_banned(unit_name, ban):
    """Two consecutive 不合格 bar the lead unit from leading or joining for 3 years.

    ``ban``: the unit's ban in force (a UnitBan), or None.
    """
    if ban is not None:
        return False, phrases.ban(unit_name, ban.reason, ban.ends_on)
    return OK


# --- Members (§三) ----------------------------------------------------------------------------


def minimum_members():
    """成员单位数量原则上不少于 4 家 — members besides the lead; the number is a setting."""
    return settings.CONSORTIUM_MIN_MEMBERS


def too_few_members(member_count):
    """The fact, as printed, when the members besides the lead are fewer than CONSORTIUM_MIN_MEMBERS; else ""."""
    minimum = minimum_members()
    if member_count < minimum:
        return f"目前成员单位 {member_count} 家（不含牵头单位），原则上不少于 {minimum} 家"
    return ""


def no_research_member(member_kinds):
    """The fact, as printed, when no member is a 高校 or 科研院所; else ""."""
    if not any(kind in RESEARCH_KINDS for kind in member_kinds):
        return "成员单位中没有高校或科研院所（原则上不少于 1 家）"
    return ""


def enough_members(member_count):
    """In principle: at least CONSORTIUM_MIN_MEMBERS 成员单位 besides the 牵头单位."""
    fact = too_few_members(member_count)
    return (False, f"{fact}：请添加成员单位，或填写情况说明。") if fact else OK


def has_research_member(member_kinds):
    """In principle: among the members at least one 相关学科高校院所 (高校 or 科研院所)."""
    fact = no_research_member(member_kinds)
    return (False, f"{fact}：请添加高校院所，或填写情况说明。") if fact else OK


def member_shortfalls(members):
    """The facts of the 原则上 rules a list of (unit kind, is lead) falls short of; [] when it meets them."""
    kinds = [kind for kind, is_lead in members if not is_lead]
    return [fact for fact in (too_few_members(len(kinds)), no_research_member(kinds)) if fact]


def statement_given(text):
    if not (text or "").strip():
        return False, "未达到上述原则性要求的，须填写情况说明。"
    return OK


# --- Credit codes (GB 32100-2015) ------------------------------------------------------------


def credit_code_valid(unit_name, code):
    problem = credit_code_problem(code)
    if problem:
        return False, f"{unit_name}：{problem}"
    return OK


# The first character of a 统一社会信用代码 is its registration authority, the second the kind of body.
REGISTRATION_AUTHORITIES = {
    "1": "机构编制部门", "2": "外交部门", "3": "司法行政部门", "4": "文化部门", "5": "民政部门",
    "6": "旅游部门", "7": "宗教事务部门", "8": "工会", "9": "市场监管（工商）部门", "A": "中央军委改革和编制办公室",
    "N": "农业部门", "Y": "其他登记部门",
}
ENTERPRISE_AUTHORITY = "9"
RESEARCH_AUTHORITIES = {"1", "5"}  # 事业单位 (12…) and 民办非企业单位 (52…): universities and institutes


def kind_matches_credit_code(kind, code):
    """A warning, never a refusal: some 新型研发机构 are registered as companies.

    An enterprise code (9…) declared as 高校/科研院所, or a 机构编制/民政 code declared as 企业.
    """
    code = (code or "").upper()
    if not code:
        return OK
    authority = REGISTRATION_AUTHORITIES.get(code[0], "未知登记部门")
    declared = UnitKind(kind).label if kind in UnitKind.values else kind
    if kind in RESEARCH_KINDS and code[0] == ENTERPRISE_AUTHORITY:
        return False, (
            f"该代码首位为“{code[0]}”（{authority}登记的企业），与申报的单位类型“{declared}”不符，请核对；"
            "登记为企业的新型研发机构可保留。"
        )
    if kind == UnitKind.ENTERPRISE and code[0] in RESEARCH_AUTHORITIES:
        return False, f"该代码首位为“{code[0]}”（{authority}登记的单位，不是企业），与申报的单位类型“企业”不符，请核对。"
    return OK


def declaration_matches_registry(declared_name, declared_kind, unit):
    """Where a lead's declaration of a member disagrees with the unit's own registration (a flag for reviewers)."""
    if unit is None or unit.registration_status != RegistrationStatus.APPROVED:
        return []
    differences = []
    if "".join(declared_name.split()) != "".join(unit.name.split()):
        differences.append(f"申报名称“{declared_name}”与该代码的注册名称“{unit.name}”不一致")
    if declared_kind != unit.kind:
        differences.append(
            f"申报类型“{UnitKind(declared_kind).label}”与注册信息（{UnitKind(unit.kind).label}）不一致"
        )
    return differences


# --- The 申请书 ------------------------------------------------------------------------------


def project_recent(project_name, starts_on, submitted_on):
    """牵头及成员单位近三年承担的项目: begun within the three years before the day of submission."""
    if starts_on is None:
        return False, f"项目“{project_name}”未填写实施期起始日期。"
    earliest = years_before(submitted_on, 3)
    if starts_on < earliest:
        return False, (
            f"项目“{project_name}”实施期起始于{chinese_date(starts_on)}，早于近三年（{chinese_date(earliest)}以后开始）的范围，"
            "请删除或核对日期。"
        )
    if starts_on > submitted_on:
        return False, f"项目“{project_name}”实施期起始于{chinese_date(starts_on)}，尚未开始，不属于近三年已承担的项目。"
    return OK


def signature_problems(units, signatures, signed_by, agreement="组建协议"):
    """§四（二）: every unit's 法定代表人 or 授权人 signs, an 授权人 with the 授权书, on or before ``signed_by``
    (the day of submission). ``units``: [(key, name)] of the units that must sign; ``signatures``: {key: {capacity,
    person_name, signed_on (a date or None), has_authorization}}, keyed as ``units`` is (the 申请书's snapshot keys by
    credit code, a form by unit id). The reasons, [] when complete."""
    problems = []
    for code, name in units:
        row = signatures.get(code)
        if row is None or not (row.get("capacity") or row.get("person_name") or row.get("signed_on")):
            problems.append(f"{name}未填写{agreement}签署情况（法定代表人或授权人、签署人、签署日期）。")
            continue
        missing = [label for key, label in (("capacity", "签署人身份"), ("person_name", "签署人姓名"), ("signed_on", "签署日期"))
                   if not row.get(key)]
        if missing:
            problems.append(f"{name}的{agreement}签署情况未填写{'、'.join(missing)}。")
        if row.get("capacity") == SignatoryCapacity.AUTHORISED and not row.get("has_authorization"):
            problems.append(f"{name}由授权人签署，须上传法定代表人签发的授权书。")
        if row.get("signed_on") and row["signed_on"] > signed_by:
            problems.append(f"{name}的签署日期{chinese_date(row['signed_on'])}晚于提交日期{chinese_date(signed_by)}，请核对。")
    return problems


def thin_sections(sections, minimum):
    """[(heading, length)] of the sections shorter than ``minimum`` characters (blanks not counted): a flag for reviewers."""
    thin = []
    for heading, text in sections:
        length = len("".join((text or "").split()))
        if length < minimum:
            thin.append((heading, length))
    return thin


def body_heads_missing(seats, secretariat_head, secretariat_unit):
    """§四（三）: 理事会、专家指导委员会和秘书处, each named with at least its head. ``seats``: [(body, role, name)]."""
    problems = []
    for body in Body:
        chair = SEAT_LABELS[body][SeatRole.CHAIR]
        if not any(b == body and role == SeatRole.CHAIR and (name or "").strip() for b, role, name in seats):
            problems.append(f"{body.label}未明确{chair}。")
    if not (secretariat_head or "").strip() or not (secretariat_unit or "").strip():
        problems.append("秘书处未明确秘书长及依托单位。")
    return problems


def editable(status, status_label):
    """The lead edits the 申请书 while drafting and after a return, never while it is being reviewed."""
    if status not in EDITABLE_STATUSES:
        return False, f"申请书当前状态为“{status_label}”，已提交的申请在退回修改前不能编辑。"
    return OK
