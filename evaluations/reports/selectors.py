"""The read side of annual reports: where each year stands, what is overdue (in Python for the rows shown and in SQL
for counts), the report a user may read."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractYear

from accounts.scoped import Scoped
from applications.choices import Status
from applications.models import Consortium
from operations import clock
from operations.prepared import Prepared

from .. import rules
from ..choices import ReportStanding
from ..models import AnnualReport, Evaluation


@Prepared
def _submitted_years(consortia: list):
    """(consortium, year) of the submitted reports of ``consortia``: overdue_map's query, prepared."""
    return AnnualReport.objects.filter(consortium_id__in=consortia, submitted_at__isnull=False).order_by().values_list("consortium_id", "year")


def overdue_map(consortia, today=None):
    """{pk: [overdue years]} of the filed consortia among ``consortia``: one query, however many."""
    today = today or clock.today()
    consortia = list(consortia)
    filed = {c.pk: c.filed_on for c in consortia if c.status == Status.FILED and c.filed_on}
    submitted = {}
    # Asked for every consortium shown, filed or not: one query whenever the list has rows, so that a list's
    # query count does not depend on which statuses happen to be on its page.
    for consortium_id, year in _submitted_years([c.pk for c in consortia]) if consortia else ():
        submitted.setdefault(consortium_id, set()).add(year)
    found = {pk: rules.overdue_years(filed_on, submitted.get(pk, ()), today) for pk, filed_on in filed.items()}
    return {pk: years for pk, years in found.items() if years}


def first_report_year():
    """rules.first_report_year in SQL: the year of 备案, or the next one when filed on or after the cutoff day."""
    month, day = rules.first_year_cutoff()
    late = Q(filed_on__month__gt=month) | Q(filed_on__month=month, filed_on__day__gte=day)
    return ExtractYear("filed_on") + Case(When(late, then=Value(1)), default=Value(0), output_field=IntegerField())


def overdue_consortia(user, today=None):
    """The filed consortia in the user's scope with an overdue annual report, found by the database (counts and
    filters cost the same whatever the number of consortia; overdue_map gives the years of the few shown).

    rules.overdue_years in SQL: every year from the first one owed up to last year is past its 12-31, so a consortium
    is overdue when fewer of those years have a submitted report than there are years.
    """
    return overdue_in(user, (today or clock.today()).year)


def overdue_in(user, year):
    """overdue_consortia() in ``year``: what it reads of the day."""
    submitted = (
        AnnualReport.objects.filter(consortium=OuterRef("pk"), submitted_at__isnull=False,
                                    year__gte=OuterRef("first_year"), year__lt=year)
        .order_by().values("consortium").annotate(n=Count("pk")).values("n")
    )
    return (
        Consortium.objects.visible_to(user).filter(status=Status.FILED)
        .annotate(first_year=first_report_year())
        .annotate(reports_owed=Value(year) - F("first_year"), reports_in=Coalesce(Subquery(submitted), 0))
        .filter(reports_in__lt=F("reports_owed"))
    )


def owing(user, year):
    """The filed consortia in the user's scope that owe a report for ``year`` (rules.first_report_year in SQL)."""
    return Consortium.objects.visible_to(user).filter(status=Status.FILED, filed_on__lt=date(year, *rules.first_year_cutoff()))


def reports_owed(user, year, today=None):
    """(filed consortia in the user's scope that owe a report for ``year``, those of them whose report was not
    received by its due date): two querysets, for counts and the first rows."""
    today = today or clock.today()
    owing_year = owing(user, year)
    if not rules.report_due_on(year) < today:
        return owing_year, owing_year.none()
    received = AnnualReport.objects.filter(consortium=OuterRef("pk"), year=year, submitted_at__isnull=False)
    return owing_year, owing_year.exclude(Exists(received))


# Every report of a consortium, each saying whether the user may read it: report_years' query, prepared (accounts.scoped).
_REPORTS_READABLE = Scoped(lambda user, consortium: AnnualReport.objects.filter(consortium_id=consortium).annotate(
    readable=Exists(AnnualReport.objects.visible_to(user).filter(pk=OuterRef("pk")))).only(
    "pk", "consortium_id", "year", "submitted_at", "created_at").order_by())


@dataclass
class ReportYear:
    year: int
    due_on: object
    report: object  # AnnualReport or None
    standing: str
    standing_label: str
    evaluation: object  # Evaluation or None


def report_years(user, consortium, today=None):
    """Each year the consortium reports on (from its 备案 until now, or until it was revoked or dissolved), newest
    first, with its report as the user may see it and the year's grade."""
    today = today or clock.today()
    # Every report says where its year stands (a draft is 填报中 for everyone); only those the user may read are linked.
    reports = {r.year: r for r in _REPORTS_READABLE(user, consortium.pk)}
    readable = {year for year, report in reports.items() if report.readable}
    evaluations = {e.year: e for e in consortium.evaluations.all()}  # those a page read with the consortium, if it did
    first_year = rules.first_report_year(consortium.filed_on)
    last_year = today.year if consortium.status == Status.FILED else max([*reports, *evaluations, consortium.filed_on.year])
    rows = []
    for year in range(last_year, first_year - 1, -1):
        report = reports.get(year)
        submitted_on = clock.localdate(report.submitted_at) if report and report.submitted_at else None
        standing = rules.report_standing(year, report is not None, submitted_on, today)
        report = report if year in readable else None
        if consortium.status != Status.FILED and standing == ReportStanding.OVERDUE:
            standing = ReportStanding.NOT_STARTED  # no report is owed once the consortium is revoked or dissolved
        rows.append(ReportYear(year, rules.report_due_on(year), report, standing, ReportStanding(standing).label,
                               evaluations.get(year)))
    return rows


_REPORT = Scoped(lambda user, consortium, year: AnnualReport.objects.visible_to(user).filter(consortium_id=consortium, year=year)
                 .select_related("updated_by", "submitted_by").order_by("pk")[:1])


def report(user, consortium, year):
    """The consortium's report of ``year`` if the user may read it, with who saved and who submitted it; None otherwise.
    Its consortium is the one given (read by the page with its lead unit and field), not read again."""
    found = next(iter(_REPORT(user, consortium.pk, year)), None)
    if found is not None:
        found.consortium = consortium
    return found


def reports_awaiting_grade(user):
    """Submitted reports of filed consortia not yet graded, oldest first."""
    graded = Evaluation.objects.filter(consortium=OuterRef("consortium"), year=OuterRef("year"))
    return (
        AnnualReport.objects.visible_to(user).filter(consortium__status=Status.FILED).exclude(Exists(graded))
        .select_related("consortium__lead_unit", "consortium__industry_field").order_by("submitted_at", "pk")
    )


def report_label(consortium, today=None):
    """This year's report of a listed consortium (annotated by after_filing), in words; this year's is never overdue."""
    today = today or clock.today()
    if consortium.status != Status.FILED:
        return ""
    if consortium.report_submitted:
        return f"{today.year} 年度{ReportStanding.SUBMITTED.label}"
    standing = ReportStanding.DRAFT if consortium.report_started else ReportStanding.NOT_STARTED
    return f"{today.year} 年度{standing.label}（{rules.report_due_on(today.year):%m-%d} 前报送）"


def evaluation_of(consortium, year):
    """The year's 绩效评价, if graded (shown beside the report it rests on)."""
    return Evaluation.objects.filter(consortium=consortium, year=year).first()
