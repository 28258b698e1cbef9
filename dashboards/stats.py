"""The statistics the bureaus report upwards each year, for the city or for one district.

Everything starts from the viewer's scope (Consortium.objects.visible_to): municipal staff count the
whole city, a district bureau its own district. Each section is one aggregate query, whatever the
number of consortia. The grade and 推荐省级 sections read evaluations.models.Evaluation; overdue annual
reports come through ``overdue_annual_reports`` (below), the hook for the annual reports the
evaluations app adds.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum

from accounts.models import Bureau
from accounts.roles import BureauKind, Role
from applications.choices import Status, UnitKind
from applications.models import Consortium, IndustryField, Membership
from evaluations.choices import ALL_LEVELS, Grade, SupportKind
from evaluations.grading import selectors as grading_selectors
from evaluations.models import Evaluation, SupportRecord
from evaluations.reports import selectors as reports_selectors
from operations import clock

from . import lists
from .charts import Bar, bar_chart

OUTSIDE = "市外或未登记辖区"
KIND_PATTERNS = {UnitKind.ENTERPRISE: 0, UnitKind.UNIVERSITY: 1, UnitKind.INSTITUTE: 2, UnitKind.OTHER: 3}
SUPPORT_LEVELS = [(level.value, level.label) for level in ALL_LEVELS]
GRADE_PATTERNS = {Grade.EXCELLENT: 0, Grade.QUALIFIED: 1, Grade.UNQUALIFIED: 4}


@dataclass
class Section:
    title: str
    rows: list  # (label, number) or longer tuples; the table beside the chart
    chart: str = ""
    total: int = 0
    heading: str = ""  # the first column's heading in the table


@dataclass
class OverdueReports:
    """Annual reports owed and overdue (seed §六（三）: due 12-31 each year): for the chosen year, and all that are
    overdue today whatever their year (the chosen year's reports are not yet due before its end)."""

    year: int
    due: int  # filed consortia that owe a report for ``year``
    overdue: int  # of which none was received by its deadline
    rows: list = field(default_factory=list)  # (consortium name, record number, lead unit) of the overdue ones
    late_now: int = 0  # filed consortia with a report overdue today, of any year
    late_now_rows: list = field(default_factory=list)  # (consortium name, record number, lead unit, "2024、2025")


OVERDUE_SHOWN = 20


def overdue_annual_reports(user, year):
    """§六（三）: the filed consortia in the user's scope that owe a report for ``year`` (filed by then), and those
    whose report was not received by its deadline (12-31 of that year, evaluations.rules); then every filed consortium
    with a report overdue today, of any year. Counts in the database and the first OVERDUE_SHOWN of each by name:
    the same queries whatever the number of consortia."""
    today = clock.today()
    owing, overdue = reports_selectors.reports_owed(user, year, today)
    late_now = reports_selectors.overdue_consortia(user, today)
    first = [c for c in late_now.select_related("lead_unit").order_by("name", "pk")[:OVERDUE_SHOWN]]
    years = reports_selectors.overdue_map(first, today)
    return OverdueReports(
        year=year, due=owing.count(), overdue=overdue.count(),
        rows=[(c.name, c.record_number or "", c.lead_unit.name) for c in overdue.select_related("lead_unit").order_by("name", "pk")[:OVERDUE_SHOWN]],
        late_now=late_now.count(),
        late_now_rows=[(c.name, c.record_number or "", c.lead_unit.name, "、".join(map(str, years.get(c.pk, ())))) for c in first],
    )


def _filed(user):
    return Consortium.objects.visible_to(user).filter(status=Status.FILED)


def stages(user):
    counts = dict(Consortium.objects.visible_to(user).order_by().values_list("status").annotate(n=Count("pk")))
    rows = [(label, counts.get(status, 0)) for status, label in Status.choices if status != Status.DRAFT]
    total = sum(n for _, n in rows)
    return Section("各阶段创新联合体", rows, bar_chart([Bar(label, n) for label, n in rows], title="各阶段创新联合体数量"), total)


def chains(user):
    """Filed consortia per 四群八链 chain, against the plan's target (settings PLAN_TARGET_*)."""
    counts = dict(_filed(user).order_by().values_list("industry_field").annotate(n=Count("pk")))
    fields = list(IndustryField.objects.order_by("sort_order", "pk").values_list("pk", "name", "cluster"))
    rows = [(cluster, name, counts.get(pk, 0)) for pk, name, cluster in fields]
    total = sum(n for _, _, n in rows)
    target, year = settings.PLAN_TARGET_CONSORTIA, settings.PLAN_TARGET_YEAR
    filed_by_target_year = (
        Consortium.objects.visible_to(user).filter(filed_on__year__lte=year, record_number__isnull=False).count()
    )
    section = Section(
        "四群八链已备案创新联合体", rows,
        bar_chart([Bar(name, n) for _, name, n in rows], title="各产业链已备案创新联合体数量"), total,
    )
    section.target, section.target_year, section.filed_by_target_year = target, year, filed_by_target_year
    section.progress = bar_chart(
        [Bar("目前已备案（在册）", total, 0), Bar(f"{year} 年底前备案", filed_by_target_year, 1)],
        title=f"已备案创新联合体与工作方案目标（到 {year} 年培育 {target} 个左右）", target=target,
        target_label=f"{year} 年目标",
    )
    return section


def members_by_kind(user):
    """牵头及成员单位 of filed consortia today, by the kind their lead declared (家次: a unit in two consortia counts twice)."""
    members = Membership.objects.current().filter(consortium__in=_filed(user))
    counts = dict(members.order_by().values_list("unit_kind").annotate(n=Count("pk")))
    rows = [(label, counts.get(kind, 0)) for kind, label in UnitKind.choices]
    total = sum(n for _, n in rows)
    chart = bar_chart([Bar(label, n, KIND_PATTERNS[kind]) for (kind, label), (_, n) in zip(UnitKind.choices, rows)],
                      title="已备案创新联合体的牵头及成员单位（按类型）", unit="家次")
    section = Section("牵头及成员单位（按类型）", rows, chart, total, "单位类型")
    section.units = members.order_by().values("unit").distinct().count()
    return section


def members_by_district(user):
    """The same memberships by the district where the unit is registered; units from outside the city apart."""
    members = Membership.objects.current().filter(consortium__in=_filed(user))
    counts = dict(members.order_by().values_list("unit__bureau").annotate(n=Count("pk")))
    districts = Bureau.objects.filter(kind=BureauKind.DISTRICT).order_by("sort_order", "pk").values_list("pk", "district")
    rows = [(district, counts.get(pk, 0)) for pk, district in districts] + [(OUTSIDE, counts.get(None, 0))]
    chart = bar_chart([Bar(label, n) for label, n in rows], title="已备案创新联合体的牵头及成员单位（按所在辖区）", unit="家次")
    section = Section("牵头及成员单位（按所在辖区）", rows, chart, sum(n for _, n in rows), "所在辖区")
    section.units = 0
    return section


def grades(user, year):
    counts = dict(
        Evaluation.objects.visible_to(user).filter(year=year).order_by().values_list("grade").annotate(n=Count("pk"))
    )
    rows = [(label, counts.get(grade, 0)) for grade, label in Grade.choices]
    chart = bar_chart([Bar(label, counts.get(grade, 0), GRADE_PATTERNS[grade]) for grade, label in Grade.choices],
                      title=f"{year} 年度绩效评价结果")
    return Section(f"{year} 年度绩效评价结果", rows, chart, sum(n for _, n in rows))


SUPPORT_SHOWN = 20
CENT = Decimal("0.01")
LEVEL_PATTERNS = {"national": 0, "provincial": 1, "municipal": 2, "district": 3}


@dataclass
class Support:
    """§五 in figures: what the consortia in the scope received, by kind, by level and by year (amounts in 万元), and
    per consortium (the first SUPPORT_SHOWN by total; the 各创新联合体获得支持 list has them all, with its export)."""

    year: int
    by_kind: Section
    by_level: Section
    by_year: Section
    consortia: list  # dicts: name, record_number, support_total, support_<level> …
    consortium_count: int
    total: Decimal = Decimal("0.00")
    count: int = 0


def wan(amount):
    """万元 to the cent, whatever the database's sum returned (SQLite's drops trailing zeros)."""
    return Decimal(amount or 0).quantize(CENT)


def _amount_rows(records, key, choices, year):
    """(label, records, amount, amount in ``year``) for every choice, from one grouped query."""
    found = {row[key]: row for row in records.order_by().values(key).annotate(
        n=Count("pk"), total=Sum("amount"), in_year=Sum("amount", filter=Q(year=year)))}
    return [(label, found.get(value, {}).get("n", 0), wan(found.get(value, {}).get("total")),
             wan(found.get(value, {}).get("in_year")), value) for value, label in choices]


def support(user, year):
    records = SupportRecord.objects.visible_to(user)
    kinds = _amount_rows(records, "kind", SupportKind.choices, year)
    levels = _amount_rows(records, "level", SUPPORT_LEVELS, year)
    years = list(records.order_by("year").values("year").annotate(n=Count("pk"), total=Sum("amount")))
    by_kind = Section("获得支持（按类别）", [row[:4] for row in kinds], bar_chart(
        [Bar(label, amount) for label, _, amount, _, _ in kinds], title="创新联合体获得支持金额（按类别，历年合计）", unit="万元"),
        heading="支持类别")
    by_level = Section("获得支持（按级别）", [row[:4] for row in levels], bar_chart(
        [Bar(label, amount, LEVEL_PATTERNS[value]) for label, _, amount, _, value in levels],
        title="创新联合体获得支持金额（按级别，历年合计）", unit="万元"), heading="级别")
    by_year = Section("获得支持（按年度）", [(f"{row['year']} 年", row["n"], wan(row["total"])) for row in years], bar_chart(
        [Bar(f"{row['year']} 年", wan(row["total"])) for row in years], title="创新联合体获得支持金额（按年度）", unit="万元"),
        heading="年度")
    consortia = lists.support_total_rows(user)
    shown = list(consortia.values("pk", "name", "record_number", "support_count", "support_total",
                                  *[f"support_{key}" for key, _ in lists.SUPPORT_LEVEL_KEYS])[:SUPPORT_SHOWN])
    return Support(year, by_kind, by_level, by_year, shown, consortia.count(),
                   total=wan(sum(amount for _, _, amount, _, _ in kinds)), count=sum(n for _, n, _, _, _ in kinds))


RECOMMENDED_SHOWN = 20


def recommended(user, year):
    """§六（二）: still-filed consortia whose latest evaluated year is ``year`` and graded 优秀 (the 推荐 list reads the
    year evaluated, never the day decided), for recommendation to the province: (the first RECOMMENDED_SHOWN of them,
    how many in all); the evaluations list has them all."""
    found = Evaluation.objects.visible_to(user).filter(
        year=year, grade=Grade.EXCELLENT, consortium__in=grading_selectors.recommended(user).filter(latest_year=year).values("pk"))
    shown = list(
        found.order_by("consortium__name", "pk")
        .values("consortium_id", "consortium__name", "consortium__record_number", "consortium__lead_unit__name",
                "consortium__industry_field__name", "decided_at")[:RECOMMENDED_SHOWN]
    )
    return shown, found.count()


def report(user, year):
    """Every section of the statistics page, for the user's scope and the chosen 评价年度.

    The figures are aggregates over every membership of the scope: they are kept in the cache for
    STATISTICS_CACHE_SECONDS (one copy per scope and year), so that a room of staff opening the page
    at once costs one computation. ``as_of`` says when they were counted.
    """
    scope = user.bureau_id if user.role == Role.DISTRICT_REVIEWER else "city"
    key = f"statistics:{user.role}:{scope}:{year}"
    found = cache.get(key)
    if found is None:
        found = _report(user, year)
        cache.set(key, found, settings.STATISTICS_CACHE_SECONDS)
    return found


def _report(user, year):
    shown, count = recommended(user, year)
    return {
        "as_of": clock.localtime(),
        "stages": stages(user),
        "chains": chains(user),
        "members": [members_by_kind(user), members_by_district(user)],
        "grades": grades(user, year),
        "recommended": shown,
        "recommended_count": count,
        "overdue": overdue_annual_reports(user, year),
        "support": support(user, year),
        "year": year,
    }
