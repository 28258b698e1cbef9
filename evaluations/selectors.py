"""The read side after 备案: every list and lookup starts from a visible_to scope, and each page's queries are
chosen here once, in a number that does not grow with the rows."""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from applications.choices import Status
from applications.models import Consortium, Membership, Unit, UnitBan

from . import rules
from .choices import Grade, ReportStanding, RequestStatus
from .models import (
    AnnualReport,
    DissolutionRequest,
    Evaluation,
    ExpertPanel,
    LiaisonAssignment,
    MemberChange,
    PanelAssignment,
    SupportProject,
)

AFTER_FILING = (Status.FILED, Status.REVOKED, Status.DISSOLVED)


def consortium(user, pk, *, statuses=AFTER_FILING):
    """A consortium the user may see, filed once (filed, revoked or dissolved); None otherwise."""
    return (
        Consortium.objects.visible_to(user).filter(pk=pk, status__in=statuses)
        .select_related("lead_unit__bureau", "industry_field").first()
    )


# --- Annual reports ----------------------------------------------------------------------------


def overdue_map(consortia, today=None):
    """{pk: [overdue years]} of the filed consortia among ``consortia``: one query, however many."""
    today = today or timezone.localdate()
    consortia = list(consortia)
    filed = {c.pk: c.filed_on for c in consortia if c.status == Status.FILED and c.filed_on}
    submitted = {}
    # Asked for every consortium shown, filed or not: one query whenever the list has rows, so that a list's
    # query count does not depend on which statuses happen to be on its page.
    reports = AnnualReport.objects.filter(consortium_id__in=[c.pk for c in consortia], submitted_at__isnull=False)
    for consortium_id, year in reports.values_list("consortium_id", "year") if consortia else ():
        submitted.setdefault(consortium_id, set()).add(year)
    found = {pk: rules.overdue_years(filed_on.year, submitted.get(pk, ()), today) for pk, filed_on in filed.items()}
    return {pk: years for pk, years in found.items() if years}


def overdue_consortia(user, today=None):
    """The filed consortia in the user's scope with an overdue annual report, found by the database (counts and
    filters cost the same whatever the number of consortia; overdue_map gives the years of the few shown).

    rules.overdue_years in SQL: every year from that of 备案 up to last year is past its 12-31, so a consortium is
    overdue when fewer of those years have a submitted report than there are years.
    """
    today = today or timezone.localdate()
    submitted = (
        AnnualReport.objects.filter(consortium=OuterRef("pk"), submitted_at__isnull=False,
                                    year__gte=ExtractYear(OuterRef("filed_on")), year__lt=today.year)
        .order_by().values("consortium").annotate(n=Count("pk")).values("n")
    )
    return (
        Consortium.objects.visible_to(user).filter(status=Status.FILED)
        .annotate(reports_owed=Value(today.year) - ExtractYear("filed_on"), reports_in=Coalesce(Subquery(submitted), 0))
        .filter(reports_in__lt=F("reports_owed"))
    )


def reports_owed(user, year, today=None):
    """(filed consortia in the user's scope that owe a report for ``year``, those of them whose report was not
    received by its due date): two querysets, for counts and the first rows."""
    today = today or timezone.localdate()
    owing = Consortium.objects.visible_to(user).filter(status=Status.FILED, filed_on__year__lte=year)
    if not rules.report_due_on(year) < today:
        return owing, owing.none()
    received = AnnualReport.objects.filter(consortium=OuterRef("pk"), year=year, submitted_at__isnull=False)
    return owing, owing.exclude(Exists(received))


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
    today = today or timezone.localdate()
    # Every report says where its year stands (a draft is 填报中 for everyone); only those the user may read are linked.
    reports = {r.year: r for r in AnnualReport.objects.filter(consortium=consortium).only(
        "pk", "consortium_id", "year", "submitted_at", "created_at")}
    readable = set(AnnualReport.objects.visible_to(user).filter(consortium=consortium).values_list("year", flat=True))
    evaluations = {e.year: e for e in Evaluation.objects.filter(consortium=consortium)}
    last_year = today.year if consortium.status == Status.FILED else max([*reports, *evaluations, consortium.filed_on.year])
    rows = []
    for year in range(last_year, consortium.filed_on.year - 1, -1):
        report = reports.get(year)
        submitted_on = timezone.localdate(report.submitted_at) if report and report.submitted_at else None
        standing = rules.report_standing(year, report is not None, submitted_on, today)
        report = report if year in readable else None
        if consortium.status != Status.FILED and standing == ReportStanding.OVERDUE:
            standing = ReportStanding.NOT_STARTED  # no report is owed once the consortium is revoked or dissolved
        rows.append(ReportYear(year, rules.report_due_on(year), report, standing, ReportStanding(standing).label,
                               evaluations.get(year)))
    return rows


def report(user, consortium, year):
    return AnnualReport.objects.visible_to(user).filter(consortium=consortium, year=year).select_related(
        "consortium__lead_unit", "consortium__industry_field", "updated_by", "submitted_by").first()


def reports_awaiting_grade(user):
    """Submitted reports of filed consortia not yet graded, oldest first."""
    graded = Evaluation.objects.filter(consortium=OuterRef("consortium"), year=OuterRef("year"))
    return (
        AnnualReport.objects.visible_to(user).filter(consortium__status=Status.FILED).exclude(Exists(graded))
        .select_related("consortium__lead_unit", "consortium__industry_field").order_by("submitted_at", "pk")
    )


# --- Grades and their consequences --------------------------------------------------------------


def grade_history(consortium):
    return list(Evaluation.objects.filter(consortium=consortium).select_related("decided_by").order_by("year", "pk"))


def revocation_proposals(user):
    """Filed consortia whose last two evaluations are 不合格: the portal proposes their revocation.

    rules.revocation_due in SQL (the last two grades, whatever years they fall in), so that the dashboard's count
    costs the same whatever the number of evaluations; the revoke step itself checks rules.revocation_due.
    """
    latest = Evaluation.objects.filter(consortium=OuterRef("pk")).order_by("-decided_at", "-pk").values("grade")
    ever_unqualified = Evaluation.objects.filter(grade=Grade.UNQUALIFIED).values("consortium_id")
    return (
        Consortium.objects.visible_to(user).filter(status=Status.FILED, pk__in=ever_unqualified)
        .annotate(last_grade=Subquery(latest[:1]), grade_before=Subquery(latest[1:2]))
        .filter(last_grade=Grade.UNQUALIFIED, grade_before=Grade.UNQUALIFIED)
        .select_related("lead_unit__bureau", "industry_field").order_by("name", "pk")
    )


def recommended(user):
    """Filed consortia whose latest grade is 优秀 (§六（二）: recommended to provincial level, more project support),
    each with its whole grade history."""
    latest = Evaluation.objects.filter(consortium=OuterRef("pk")).order_by("-decided_at", "-pk")
    return (
        Consortium.objects.visible_to(user).filter(status=Status.FILED)
        .annotate(latest_grade=Subquery(latest.values("grade")[:1])).filter(latest_grade=Grade.EXCELLENT)
        .select_related("lead_unit__bureau", "industry_field")
        .prefetch_related(Prefetch("evaluations", Evaluation.objects.order_by("year", "pk"), to_attr="grade_history"))
        .order_by("name", "pk")
    )


def latest_grade(consortium):
    return Evaluation.objects.filter(consortium=consortium).order_by("-decided_at", "-pk").first()


# --- The staff's list of consortia after 备案 -----------------------------------------------------

SHOW = {
    "overdue": "年度报告逾期",
    "awaiting_grade": "年度报告待评价",
    "proposals": "拟取消资格",
    "requests": "待办理申请",
    "mine": "我联系的",
}


def _pending(model):
    return Exists(model.objects.filter(consortium=OuterRef("pk"), status=RequestStatus.PENDING))


def shown(user, show, today=None):
    """The consortia after 备案 in the user's scope that one of SHOW stands for, without the columns of a list: what
    the dashboard counts and what after_filing narrows its list to."""
    today = today or timezone.localdate()
    consortia = Consortium.objects.visible_to(user).filter(status__in=AFTER_FILING)
    if show == "overdue":
        return overdue_consortia(user, today)
    if show == "awaiting_grade":
        return consortia.filter(pk__in=reports_awaiting_grade(user).values("consortium_id"))
    if show == "proposals":
        return revocation_proposals(user)
    if show == "requests":
        return consortia.filter(status=Status.FILED).filter(_pending(MemberChange) | _pending(DissolutionRequest))
    if show == "mine":
        return consortia.filter(Exists(LiaisonAssignment.objects.filter(consortium=OuterRef("pk"), ended_at__isnull=True, officer=user)))
    return consortia


def after_filing(user, show="", today=None):
    """Consortia after 备案 for a list page, each with its latest grade, this year's report, the liaison officer and
    open requests, in a fixed number of queries; ``show`` narrows it to one of SHOW."""
    today = today or timezone.localdate()
    latest = Evaluation.objects.filter(consortium=OuterRef("pk")).order_by("-decided_at", "-pk")
    this_year = AnnualReport.objects.filter(consortium=OuterRef("pk"), year=today.year)
    liaison = LiaisonAssignment.objects.filter(consortium=OuterRef("pk"), ended_at__isnull=True)
    consortia = (
        Consortium.objects.visible_to(user).filter(status__in=AFTER_FILING)
        .select_related("lead_unit__bureau", "industry_field")
        .annotate(
            latest_grade=Subquery(latest.values("grade")[:1]),
            latest_grade_year=Subquery(latest.values("year")[:1]),
            report_started=Exists(this_year),
            report_submitted=Exists(this_year.filter(submitted_at__isnull=False)),
            liaison_name=Subquery(liaison.values("officer__full_name")[:1]),
            liaison_id=Subquery(liaison.values("officer_id")[:1]),
            member_change_pending=_pending(MemberChange),
            dissolution_pending=_pending(DissolutionRequest),
        )
        .annotate(filed_first=Case(When(status=Status.FILED, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("filed_first", "name", "pk")
    )
    if show in SHOW:
        consortia = consortia.filter(pk__in=shown(user, show, today).values("pk"))
    return consortia


def report_label(consortium, today=None):
    """This year's report of a listed consortium (annotated by after_filing), in words; this year's is never overdue."""
    today = today or timezone.localdate()
    if consortium.status != Status.FILED:
        return ""
    if consortium.report_submitted:
        return f"{today.year} 年度{ReportStanding.SUBMITTED.label}"
    standing = ReportStanding.DRAFT if consortium.report_started else ReportStanding.NOT_STARTED
    return f"{today.year} 年度{standing.label}（{rules.report_due_on(today.year):%m-%d} 前报送）"


# --- Members -------------------------------------------------------------------------------------


def members_on(consortium, day):
    return list(consortium.memberships.current(day).select_related("unit").order_by("position", "pk"))


def member_history(consortium):
    """Every membership the consortium ever had, with the dates it began and ended (None: from the start / still)."""
    return list(consortium.memberships.select_related("unit").order_by("position", "pk"))


def member_changes(consortium):
    return list(
        MemberChange.objects.filter(consortium=consortium).select_related("requested_by", "decided_by", "agreement")
        .prefetch_related("items").order_by("-requested_at", "-pk")
    )


def member_change(user, pk):
    return (
        MemberChange.objects.visible_to(user).filter(pk=pk)
        .select_related("consortium__lead_unit__bureau", "consortium__industry_field", "agreement", "requested_by", "decided_by")
        .prefetch_related("items__membership__unit").first()
    )


# --- Projects, dissolution, liaison -----------------------------------------------------------


def support_projects(consortium):
    return list(SupportProject.objects.filter(consortium=consortium).order_by("-starts_on", "pk"))


def dissolution_requests(consortium):
    return list(DissolutionRequest.objects.filter(consortium=consortium).select_related("requested_by", "decided_by"))


def liaison_history(consortium):
    return list(LiaisonAssignment.objects.filter(consortium=consortium).select_related("officer", "assigned_by"))


# --- Units and bans ------------------------------------------------------------------------------


def unit(user, pk):
    return Unit.objects.visible_to(user).filter(pk=pk).select_related("bureau").first()


def bans_of(unit):
    return list(UnitBan.objects.filter(unit=unit).select_related("consortium", "recorded_by", "lifted_by").order_by("-starts_on", "-pk"))


def unit_memberships(user, unit):
    """The consortia the unit leads or belongs to, as far as the user may see them; past memberships too."""
    return list(
        Membership.objects.filter(unit=unit, consortium__in=Consortium.objects.visible_to(user))
        .select_related("consortium").order_by("-consortium__created_at", "pk")
    )


def bans(active_only=False, today=None):
    """Every ban, newest first (municipal staff only: the view says so)."""
    found = UnitBan.objects.select_related("unit", "consortium").order_by("-starts_on", "-pk")
    return found.active(today) if active_only else found


# --- Experts -----------------------------------------------------------------------------------


def expert_tasks(user):
    return (
        PanelAssignment.objects.visible_to(user)
        .select_related("panel__consortium__lead_unit", "panel__consortium__industry_field", "panel__report")
        .order_by("submitted_at", "-assigned_at")
    )


def panel(report):
    return (
        ExpertPanel.objects.filter(report=report)
        .prefetch_related(Prefetch("assignments", PanelAssignment.objects.select_related("expert").prefetch_related("scores__criterion")))
        .first()
    )


def expert_task(user, pk):
    return expert_tasks(user).filter(pk=pk).first()


# --- Dashboards --------------------------------------------------------------------------------


def municipal_summary(user, today=None):
    """Counts and a few rows for the municipal dashboard."""
    today = today or timezone.localdate()
    awaiting = reports_awaiting_grade(user)
    proposals = revocation_proposals(user)
    return {
        # Reports awaiting a grade are counted as reports; the others as consortia.
        "evaluation_counts": [("awaiting_grade", SHOW["awaiting_grade"], awaiting.count())] + [
            (show, SHOW[show], shown(user, show, today).count()) for show in ("overdue", "proposals", "requests", "mine")
        ],
        "reports_awaiting_grade": list(awaiting[:5]),
        "revocation_proposals": list(proposals[:5]),
    }


def lead_summary(user, today=None):
    """The applicant's filed consortium (if any) and where its reports stand: for the applicant dashboard."""
    today = today or timezone.localdate()
    filed = Consortium.objects.visible_to(user).filter(status=Status.FILED).first()
    if filed is None:
        return {}
    years = report_years(user, filed, today)
    return {"filed_consortium": filed, "report_years": years[:2],
            "overdue_years": [r.year for r in years if r.standing == ReportStanding.OVERDUE]}
