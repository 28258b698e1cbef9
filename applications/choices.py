"""Choices from the work plan (镇科机〔2023〕104号). Bottom layer: imports nothing of ours."""

from django.db import models


class UnitKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校"
    INSTITUTE = "institute", "科研院所"
    OTHER = "other", "其他"


RESEARCH_KINDS = frozenset({UnitKind.UNIVERSITY, UnitKind.INSTITUTE})


class Qualification(models.TextChoices):
    HIGH_TECH = "high_tech", "高新技术企业"
    INNOVATION_LEADER = "innovation_leader", "创新型领军企业"
    UNICORN = "unicorn", "独角兽企业"
    POTENTIAL_UNICORN = "potential_unicorn", "潜在独角兽企业"
    SPECIALIZED = "specialized", "专精特新企业"
    LISTED = "listed", "上市企业"
    OTHER = "other", "其他"


class RegistrationStatus(models.TextChoices):
    """A unit in the registry is UNREGISTERED (only declared by leads) or APPROVED (registered itself);
    a Registration, the request to register, is PENDING, APPROVED or REJECTED."""

    UNREGISTERED = "unregistered", "未注册（成员单位）"
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"


UNIT_REGISTRY_STATUSES = (RegistrationStatus.UNREGISTERED, RegistrationStatus.APPROVED)
REGISTRATION_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED, RegistrationStatus.REJECTED)


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待初审"
    RETURNED = "returned", "退回修改（初审）"
    RETURNED_BY_CITY = "returned_by_city", "退回修改（综合论证）"
    DISTRICT_PASSED = "district_passed", "初审通过"
    UNDER_APPRAISAL = "under_appraisal", "综合论证中"
    FILED = "filed", "已备案"
    REJECTED = "rejected", "初审未通过"
    NOT_FILED = "not_filed", "不予备案"
    REVOKED = "revoked", "资格取消"
    DISSOLVED = "dissolved", "已解散"


# A lead unit may lead one consortium in these states at a time (seed §三(一)1).
LIVE_STATUSES = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.RETURNED_BY_CITY,
    Status.DISTRICT_PASSED,
    Status.UNDER_APPRAISAL,
    Status.FILED,
)
# The applicant may edit the 申请书 only in these states.
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED, Status.RETURNED_BY_CITY)


class MemberRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    MEMBER = "member", "成员单位"


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"


class ProjectLevel(models.TextChoices):
    """The level of a science project or of support, one list for every stage (the 申请书's projects, the projects a
    filed consortium carries, its support records); each use takes the levels it allows, below."""

    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区县级"


def level_choices(*levels):
    return [(level.value, level.label) for level in levels]


# The 申请书 lists the 国家级/省级 projects of the last three years (seed 附件: 基础信息表 5).
APPLICATION_PROJECT_LEVELS = (ProjectLevel.NATIONAL, ProjectLevel.PROVINCIAL)


class AttachmentKind(models.TextChoices):
    LICENSE = "license", "营业执照/法人证书"
    PATENT = "patent", "专利证书"
    QUALIFICATION = "qualification", "资质证明"
    FORMATION_AGREEMENT = "agreement", "组建协议（签署扫描件）"  # the value as stored since the first version
    AUTHORIZATION = "authorization", "授权书"
    SUPPLEMENTARY_AGREEMENT = "supplementary_agreement", "补充协议"
    OTHER = "other", "其他材料"


# The parts of the 申请书 as the applicant edits them, in the template's order.
class Part(models.TextChoices):
    BASIC = "basic", "基础信息"
    MEMBERS = "members", "成员及分工"
    FOUNDATION = "foundation", "创新平台与承担项目"
    PLAN = "plan", "建设方案"
    ORGANIZATION = "organization", "组织机构与首席专家"
    INTROS = "intros", "单位简介"
    CHARTER = "charter", "章程（组建协议）"
    ATTACHMENTS = "attachments", "附件材料"
    # Asked on the 形式审查 page only when a 原则上 rule falls short; not a step of the editor.
    STATEMENT = "statement", "情况说明"


EDITOR_PARTS = [(part.value, part.label) for part in Part if part != Part.STATEMENT]


# Saving a part refuses stale data only when someone saved one of these parts meanwhile.
PART_CONFLICTS = {
    Part.BASIC: {Part.BASIC},
    Part.MEMBERS: {Part.MEMBERS, Part.INTROS},
    Part.FOUNDATION: {Part.FOUNDATION},
    Part.PLAN: {Part.PLAN},
    Part.ORGANIZATION: {Part.ORGANIZATION},
    Part.INTROS: {Part.INTROS, Part.MEMBERS},
    Part.CHARTER: {Part.CHARTER, Part.MEMBERS},  # its signatories are the member table's units
    Part.ATTACHMENTS: set(),  # uploads only add or remove their own files
    Part.STATEMENT: {Part.STATEMENT},
}


# (四) 组建协议: what §四（二） says it must set out, in the plan's order (field name, heading).
CHARTER_SECTIONS = [
    ("charter_principles", "组建原则"),
    ("charter_goals", "目标任务"),
    ("charter_division", "成员分工"),
    ("charter_organization", "组织机构和职责"),
    ("charter_ip", "知识产权归属"),
    ("charter_benefits", "收益分配"),
    ("charter_funding", "经费管理"),
    ("charter_projects", "项目管理"),
]


class SignatoryCapacity(models.TextChoices):
    """Who signs an agreement for a unit (§四（二）: 法定代表人或授权人)."""

    LEGAL_REPRESENTATIVE = "legal_representative", "法定代表人"
    AUTHORISED = "authorised", "授权人"


class Body(models.TextChoices):
    """The organs of §四（三）. The 秘书处 is one head and its hosting unit (on the 申请书 itself)."""

    COUNCIL = "council", "理事会"
    ADVISORY = "advisory", "专家指导委员会"


class SeatRole(models.TextChoices):
    CHAIR = "chair", "负责人"
    VICE = "vice", "副职"
    MEMBER = "member", "成员"


# What each role is called in each body.
SEAT_LABELS = {
    Body.COUNCIL: {SeatRole.CHAIR: "理事长", SeatRole.VICE: "副理事长", SeatRole.MEMBER: "理事"},
    Body.ADVISORY: {SeatRole.CHAIR: "主任委员", SeatRole.VICE: "副主任委员", SeatRole.MEMBER: "委员"},
}
