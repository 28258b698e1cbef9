"""The bureaus' lists: for each, its columns (page and export alike) and its rows, scoped by visible_to.

Each ``*_rows(user)`` is a queryset starting from the model's ``visible_to(user)``, in the list's
default order; the filters (dashboards/filters.py) narrow and sort it, the page counts it and fetches
50 rows of it as plain values (``values(*listing.keys(COLUMNS))``), the export writes all of it. See accounts/listing.py for the machinery
and README "Lists and exports" for adding a list.
"""


from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.listing import DATE, DATETIME, INTEGER, MONEY, Column, link_to
from accounts.roles import Role
from applications import links
from applications.choices import MemberRole, RegistrationStatus, Status, UnitKind
from applications.models import Consortium, Membership, Registration, Unit
from applications.workflow import ACTION_LABELS
from evaluations.choices import EvaluationBasis, Grade, ProjectKind, ProjectLevel, ProjectStatus, SupportKind
from evaluations.models import Evaluation, SupportProject, SupportRecord
from reviews.models import RoundEntry
from reviews.services import CITY_DECISIONS

STATUS_LABELS = dict(Status.choices)
KIND_LABELS = dict(UnitKind.choices)
ROLE_LABELS = dict(MemberRole.choices)
REGISTRATION_LABELS = dict(RegistrationStatus.choices)
DECISION_LABELS = {action: ACTION_LABELS[action] for action in CITY_DECISIONS}
GRADE_LABELS = dict(Grade.choices)
BASIS_LABELS = dict(EvaluationBasis.choices)
PROJECT_LEVEL_LABELS = dict(ProjectLevel.choices)
PROJECT_KIND_LABELS = dict(ProjectKind.choices)
PROJECT_STATUS_LABELS = dict(ProjectStatus.choices)
SUPPORT_KIND_LABELS = dict(SupportKind.choices)


def consortium_page_name(user):
    """Where a consortium's name leads: the review page for the bureaus, the application for its lead."""
    return "applications:detail" if user.role == Role.APPLICANT else "reviews:review"


_link = link_to
_status = links.status_cell
flagged = links.flagged


# --- 创新联合体 -----------------------------------------------------------------------------------------


def consortium_columns(page="reviews:review"):
    """``page``: the URL name a consortium's name links to (consortium_page_name())."""
    return [
        Column("name", "创新联合体名称", sort="name", badge=links.name_with_flags(page), fetch=("status", "filed_on")),
        Column("record_number", "备案编号", sort="record_number", css="text-nowrap"),
        Column("lead_unit__name", "牵头单位", sort="lead_unit__name"),
        Column("lead_unit__credit_code", "统一社会信用代码", css="font-monospace small"),
        Column("lead_unit__bureau__district", "所在辖区", sort="lead_unit__bureau__sort_order", css="text-nowrap"),
        Column("industry_field__name", "产业领域", sort="industry_field__sort_order"),
        Column("industry_field__cluster", "产业集群", table=False),
        Column("chief_scientist", "首席科学家", table=False),
        Column("status", "状态", labels=STATUS_LABELS, badge=_status, sort="status"),
        Column("filed_on", "备案日期", DATE, sort="filed_on", css="text-nowrap"),
        Column("updated_at", "更新时间", DATETIME, sort="updated_at", css="text-nowrap"),
    ]


def consortium_rows(user):
    """The consortia the user may see, newest change first (index consortium_recent_first)."""
    return Consortium.objects.visible_to(user).order_by("-updated_at", "-pk")


# --- 成员单位 (one row per consortium × current member, the lead included) --------------------------------


def member_columns(page="reviews:review"):
    return [
        Column("consortium__name", "创新联合体名称", sort="consortium__name", link=_link(page, "consortium_id"),
               fetch=("consortium_id",)),
        Column("consortium__record_number", "备案编号", table=False),
        Column("consortium__status", "联合体状态", labels=STATUS_LABELS, table=False),
        Column("role", "角色", labels=ROLE_LABELS, sort="role", css="text-nowrap"),
        Column("position", "序号", INTEGER, table=False),
        Column("unit_name", "单位名称", sort="unit_name"),
        Column("unit__credit_code", "统一社会信用代码", css="font-monospace small"),
        Column("unit_kind", "单位类型", labels=KIND_LABELS, sort="unit_kind", css="text-nowrap"),
        Column("unit__bureau__district", "所在辖区", sort="unit__bureau__sort_order", css="text-nowrap"),
        Column("consortium__industry_field__name", "产业领域", table=False),
        Column("task_division", "任务分工", table=False),
        Column("sales_revenue", "近一年销售收入（万元）", MONEY, sort="sales_revenue", css="text-end"),
        Column("rd_spend", "近一年研发投入（万元）", MONEY, sort="rd_spend", css="text-end"),
        Column("joined", "加入日期", DATE, table=False),
    ]


def member_rows(user):
    """Today's members of the consortia the user may see, consortium by consortium, lead first. A member there from
    the start (no joining date of its own) joined on the day of 备案."""
    return (
        Membership.objects.current().filter(consortium__in=Consortium.objects.visible_to(user))
        .annotate(joined=Coalesce("joined_on", "consortium__filed_on"))
        .order_by("consortium__name", "consortium_id", "position", "pk")
    )


# --- 单位 (the registry) --------------------------------------------------------------------------------

UNIT_COLUMNS = [
    Column("name", "单位名称", sort="name"),
    Column("credit_code", "统一社会信用代码", sort="credit_code", css="font-monospace small"),
    Column("kind", "单位类型", labels=KIND_LABELS, sort="kind", css="text-nowrap"),
    Column("bureau__district", "所在辖区", sort="bureau__sort_order", css="text-nowrap"),
    Column("registration_status", "注册状态", labels=REGISTRATION_LABELS, sort="registration_status", css="text-nowrap"),
    Column("legal_representative", "法定代表人", table=False),
    Column("address", "通讯地址", table=False),
    Column("consortium_count", "参与创新联合体（个）", INTEGER, sort="consortium_count", css="text-end"),
    Column("created_at", "登记时间", DATETIME, sort="created_at", css="text-nowrap"),
]


def unit_rows(user):
    """The registry as far as the user may see it, with how many consortia list each unit today.

    The count is a subquery per row shown, not a GROUP BY over the registry: a page of 50 costs the
    same with 10,000 units as with 100.
    """
    listed = (
        Membership.objects.current().filter(unit=OuterRef("pk")).order_by()
        .values("unit").annotate(n=Count("consortium", distinct=True)).values("n")
    )
    return (
        Unit.objects.visible_to(user).order_by("name", "pk")
        .annotate(consortium_count=Coalesce(Subquery(listed), 0))
    )


# --- 单位注册 ----------------------------------------------------------------------------------------------

REGISTRATION_COLUMNS = [
    Column("name", "单位名称", sort="name"),
    Column("credit_code", "统一社会信用代码", css="font-monospace small"),
    Column("bureau__district", "所在辖区", sort="bureau__sort_order", css="text-nowrap"),
    Column("legal_representative", "法定代表人"),
    Column("applicant__full_name", "联系人", table=False),
    Column("applicant__phone", "联系电话", table=False),
    Column("status", "审核状态", labels=REGISTRATION_LABELS, sort="status", css="text-nowrap"),
    Column("created_at", "提交时间", DATETIME, sort="created_at", css="text-nowrap"),
    Column("reviewed_at", "审核时间", DATETIME, sort="reviewed_at", css="text-nowrap"),
    Column("reason", "审核意见", table=False),
]


def registration_rows(user):
    return Registration.objects.visible_to(user).order_by("-created_at", "-pk")


# --- 综合论证 entries ------------------------------------------------------------------------------------

APPRAISAL_COLUMNS = [
    Column("round__title", "论证批次", sort="round__created_at"),
    Column("consortium__name", "创新联合体名称", sort="consortium__name", link=_link("reviews:review", "consortium_id"),
           fetch=("consortium_id",)),
    Column("consortium__lead_unit__name", "牵头单位"),
    Column("consortium__industry_field__name", "产业领域"),
    Column("version_number", "论证版本", INTEGER, table=False),
    Column("expert_count", "专家（名）", INTEGER, css="text-end"),
    Column("scored_count", "已评分（名）", INTEGER, css="text-end"),
    Column("decision", "结论", labels=DECISION_LABELS, sort="decision", css="text-nowrap"),
    Column("decided_at", "决定时间", DATETIME, sort="decided_at", css="text-nowrap"),
    Column("opinion", "综合论证意见", table=False),
]


def appraisal_rows(user):
    """Every 综合论证 the user may see, running or decided, with how many experts scored; newest round first."""
    taking_part = Q(assignments__conflict_declared=False)
    return (
        RoundEntry.objects.visible_to(user).order_by("-round__created_at", "-pk")
        .annotate(expert_count=Count("assignments", filter=taking_part),
                  scored_count=Count("assignments", filter=taking_part & Q(assignments__submitted_at__isnull=False)))
    )


# --- 绩效评价 (evaluations.Evaluation) ---------------------------------------------------------------------

EVALUATION_COLUMNS = [
    Column("consortium__name", "创新联合体名称", sort="consortium__name", link=_link("reviews:review", "consortium_id"),
           fetch=("consortium_id",)),
    Column("consortium__record_number", "备案编号", css="text-nowrap"),
    Column("consortium__lead_unit__name", "牵头单位", table=False),
    Column("year", "评价年度", INTEGER, sort="year", css="text-nowrap"),
    Column("grade", "评价结果", labels=GRADE_LABELS, sort="grade", css="text-nowrap"),
    Column("basis", "评价依据", labels=BASIS_LABELS, table=False),
    Column("opinion", "评价意见", table=False),
    Column("decided_at", "评价时间", DATETIME, sort="decided_at", css="text-nowrap"),
]


def evaluation_rows(user):
    return Evaluation.objects.visible_to(user).order_by("-year", "consortium__name", "pk")


# --- 承担科技项目 (evaluations.SupportProject) ---------------------------------------------------------------

SUPPORT_PROJECT_COLUMNS = [
    Column("name", "项目名称", sort="name"),
    Column("consortium__name", "创新联合体名称", sort="consortium__name", link=_link("reviews:review", "consortium_id"),
           fetch=("consortium_id",)),
    Column("level", "级别", labels=PROJECT_LEVEL_LABELS, sort="level", css="text-nowrap"),
    Column("kind", "类别", labels=PROJECT_KIND_LABELS, sort="kind"),
    Column("amount", "支持经费（万元）", MONEY, sort="amount", css="text-end"),
    Column("starts_on", "实施期起", DATE, sort="starts_on", css="text-nowrap"),
    Column("ends_on", "实施期止", DATE, sort="ends_on", css="text-nowrap"),
    Column("status", "状态", labels=PROJECT_STATUS_LABELS, sort="status", css="text-nowrap"),
]


def support_project_rows(user):
    return SupportProject.objects.visible_to(user).order_by("-starts_on", "pk")


# --- 支持记录 (evaluations.SupportRecord): every record, and each consortium's totals -----------------------

SUPPORT_RECORD_COLUMNS = [
    Column("consortium__name", "创新联合体名称", sort="consortium__name", link=_link("reviews:review", "consortium_id"),
           fetch=("consortium_id",)),
    Column("consortium__record_number", "备案编号", css="text-nowrap"),
    Column("year", "年度", INTEGER, sort="year", css="text-nowrap"),
    Column("kind", "支持类别", labels=SUPPORT_KIND_LABELS, sort="kind"),
    Column("level", "级别", labels=PROJECT_LEVEL_LABELS, sort="level", css="text-nowrap"),
    Column("amount", "金额（万元）", MONEY, sort="amount", css="text-end"),
    Column("granting_body", "支持部门"),
    Column("unit__name", "受支持单位"),
    Column("project__name", "关联项目", table=False),
    Column("note", "说明", table=False),
]


def support_record_rows(user):
    return SupportRecord.objects.visible_to(user).order_by("-year", "consortium__name", "kind", "pk")


SUPPORT_LEVEL_KEYS = [("national", "国家级"), ("provincial", "省级"), ("municipal", "市级"), ("district", "区县级")]

SUPPORT_TOTAL_COLUMNS = [
    Column("name", "创新联合体名称", sort="name", link=_link("reviews:review")),
    Column("record_number", "备案编号", css="text-nowrap"),
    Column("lead_unit__name", "牵头单位", table=False),
    Column("support_count", "支持记录（条）", INTEGER, sort="support_count", css="text-end"),
    *[Column(f"support_{key}", f"{label}（万元）", MONEY, sort=f"support_{key}", css="text-end") for key, label in SUPPORT_LEVEL_KEYS],
    Column("support_total", "合计（万元）", MONEY, sort="support_total", css="text-end fw-bold"),
]

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def support_total_rows(user, year=None):
    """The consortia in the user's scope that received support (in ``year``, when given), largest total first."""
    records = SupportRecord.objects.visible_to(user)
    if year:
        records = records.filter(year=year)
    return with_support_totals(Consortium.objects.filter(pk__in=records.values("consortium_id")), year)


def with_support_totals(consortia, year=None):
    """Each consortium's support: records, amount per level and in all (of ``year`` only when given), one query."""
    of_year = Q(support_records__year=year) if year else Q()
    sums = {f"support_{key}": Coalesce(Sum("support_records__amount", filter=of_year & Q(support_records__level=key)), ZERO)
            for key, _ in SUPPORT_LEVEL_KEYS}
    return consortia.annotate(
        support_count=Count("support_records", filter=of_year), support_total=Coalesce(Sum("support_records__amount", filter=of_year), ZERO),
        **sums,
    ).order_by("-support_total", "name", "pk")


# --- An expert's tasks (the expert workbench) ---------------------------------------------------------------

TASK_STATES = {
    "conflict": '<span class="badge text-bg-warning">已回避</span>',
    "scored": '<span class="badge text-bg-success">已评分</span>',
    "closed": '<span class="badge text-bg-secondary">论证已结束</span>',
    "open": '<span class="badge text-bg-primary">待评分</span>',
}


def _task_state(row):
    if row["conflict_declared"]:
        return TASK_STATES["conflict"]
    if row["submitted_at"]:
        return TASK_STATES["scored"]
    return TASK_STATES["closed"] if row["entry__decided_at"] else TASK_STATES["open"]


TASK_COLUMNS = [
    Column("entry__consortium__name", "创新联合体名称", link=_link("reviews:assignment")),
    Column("entry__consortium__lead_unit__name", "牵头单位"),
    Column("entry__consortium__industry_field__name", "产业领域"),
    Column("entry__round__title", "论证批次"),
    Column("submitted_at", "状态", badge=_task_state, fetch=("conflict_declared", "entry__decided_at"), css="text-nowrap"),
]
