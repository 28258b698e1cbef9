"""The consortia after 备案 as lists and dashboards show them: counts in the database, a fixed number of queries."""

from datetime import date
from types import SimpleNamespace

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)

from accounts.listing import PreparedRows
from accounts.scoped import Scoped
from applications.choices import Status
from applications.models import Consortium, Membership, StatusChange, UnitBan
from operations import clock
from operations.prepared import Prepared, PreparedCount, attach, attach_each, first_and_total, has_rows, marks, with_total

from ..choices import ReportStanding, RequestStatus
from ..common import AFTER_FILING, in_scope
from ..grading import selectors as grading_selectors
from ..legacy import selectors as legacy_selectors
from ..models import (
    AnnualReport,
    DissolutionRequest,
    Evaluation,
    GradeCorrection,
    ImportedConsortium,
    LiaisonAssignment,
    MemberChange,
    MemberChangeItem,
    Recommendation,
    SupportProject,
    SupportRecord,
    WorkRecord,
)
from ..reports.selectors import overdue_consortia, overdue_in, report_years, reports_awaiting_grade
from ..sanctions import selectors as sanctions_selectors
from ..sanctions.selectors import consortia_with_banned_units
from ..support import selectors as support_selectors

SHOW = {
    "overdue": "年度报告逾期",
    "awaiting_grade": "年度报告待评价",
    "proposals": "拟取消资格",
    "banned_members": "成员单位受限制",
    "requests": "待办理申请",
    "mine": "我联系的",
}


def _pending(model):
    return Exists(model.objects.filter(consortium=OuterRef("pk"), status=RequestStatus.PENDING))


def shown(user, show, today=None):
    """The consortia after 备案 in the user's scope that one of SHOW stands for, without the columns of a list: what
    the dashboard counts and what after_filing narrows its list to."""
    today = today or clock.today()
    consortia = Consortium.objects.visible_to(user).filter(status__in=AFTER_FILING)
    if show == "overdue":
        return overdue_consortia(user, today)
    if show == "awaiting_grade":
        return consortia.filter(pk__in=reports_awaiting_grade(user).values("consortium_id"))
    if show == "proposals":
        return grading_selectors.revocation_proposals(user)
    if show == "banned_members":
        return consortia_with_banned_units(user, today)
    if show == "requests":
        return consortia.filter(status=Status.FILED).filter(_pending(MemberChange) | _pending(DissolutionRequest))
    if show == "mine":
        return consortia.filter(Exists(LiaisonAssignment.objects.filter(consortium=OuterRef("pk"), ended_at__isnull=True, officer=user)))
    return consortia


# The consortium page's rows, one prepared query each (operations.prepared: compiled once per process). Each is ordered
# on its own table; the corrections and items are read for the whole consortium and handed to their grade or request.
_GRADES = Prepared(lambda consortium: Evaluation.objects.filter(consortium_id=consortium).order_by("year", "pk"))
_CORRECTIONS = Prepared(lambda consortium: GradeCorrection.objects.filter(evaluation__consortium_id=consortium)
                        .order_by("decided_at", "pk"))
_DISSOLUTION_REQUESTS = Prepared(lambda consortium: DissolutionRequest.objects.filter(consortium_id=consortium)
                                 .order_by("-requested_at", "-pk"))
_MEMBER_CHANGES = Prepared(lambda consortium: MemberChange.objects.filter(consortium_id=consortium).order_by("-requested_at", "-pk"))
_MEMBER_CHANGE_ITEMS = Prepared(lambda consortium: MemberChangeItem.objects.filter(change__consortium_id=consortium)
                                .order_by("action", "position", "pk"))
_PROJECTS = Prepared(lambda consortium: SupportProject.objects.filter(consortium_id=consortium).order_by("-starts_on", "pk"))
_LIAISONS = Prepared(lambda consortium: LiaisonAssignment.objects.select_related("officer").filter(consortium_id=consortium)
                     .order_by("-assigned_at", "-pk"))
_TIMELINE = Prepared(lambda consortium: StatusChange.objects.select_related("actor").filter(consortium_id=consortium)
                     .order_by("created_at", "pk"))

# Whether the consortium has any row of each section of its page, asked in the query that reads the consortium (an
# EXISTS each, no round trip of its own): page_rows() and the page read only the sections that have rows. A consortium
# in its first years has no correction, member change, dissolution request, project or ban; each section it has is read
# as before. Each EXISTS asks no less than the read it stands for (a ban of a current member, of any date; a work record
# the user may not read), so a section it says is empty has no row to show.
_SECTIONS = {
    "grades": lambda: Evaluation.objects.filter(consortium=OuterRef("pk")),
    "corrections": lambda: GradeCorrection.objects.filter(evaluation__consortium=OuterRef("pk")),
    "dissolution_requests": lambda: DissolutionRequest.objects.filter(consortium=OuterRef("pk")),
    "member_changes": lambda: MemberChange.objects.filter(consortium=OuterRef("pk")),
    "projects": lambda: SupportProject.objects.filter(consortium=OuterRef("pk")),
    "liaisons": lambda: LiaisonAssignment.objects.filter(consortium=OuterRef("pk")),
    "timeline": lambda: StatusChange.objects.filter(consortium=OuterRef("pk")),
    "support_records": lambda: SupportRecord.objects.filter(consortium=OuterRef("pk")),
    "recommendations": lambda: Recommendation.objects.filter(consortium=OuterRef("pk")),
    "import_mark": lambda: ImportedConsortium.objects.filter(consortium=OuterRef("pk")),
    "work_records": lambda: WorkRecord.objects.filter(consortium=OuterRef("pk")),
    "lead_bans": lambda: UnitBan.objects.filter(unit=OuterRef("lead_unit")),
    "banned_members": lambda: Membership.objects.filter(consortium=OuterRef("pk"), left_on__isnull=True)
                                                .filter(Exists(UnitBan.objects.filter(unit=OuterRef("unit")))),
}
_PAGE_CONSORTIUM = Scoped(lambda user, pk: in_scope(user, pk).annotate(**marks(_SECTIONS)).order_by("pk")[:1])


def page_consortium(user, pk):
    """The consortium of its page (as evaluations.common.consortium() reads it), each section marked whether it has rows
    (``has_grades`` …, _SECTIONS); None if the user may not see it or it was never filed."""
    return next(iter(_PAGE_CONSORTIUM(user, pk)), None)


def page_rows(consortium):
    """The rows of the consortium page that its buttons' rules read too (grades, requests, projects, liaisons), its
    timeline, and the sections only the page shows (support records, recommendations, the 历史导入 mark, members
    banned elsewhere): read with the consortium, one query each, none for a section that has no row. The workflow's
    guards and checks (evaluations.permissions.for_page) read them through the consortium's relations, so they ask
    the database no more; a page writes nothing while it is drawn, so what they read is what the page shows. Only what
    the page shows is joined."""
    pk = consortium.pk

    def read(section, prepared):
        return prepared(pk) if has_rows(consortium, section) else []

    grades, changes = read("grades", _GRADES), read("member_changes", _MEMBER_CHANGES)
    attach_each(grades, "corrections", read("corrections", _CORRECTIONS), "evaluation_id")
    attach_each(changes, "items", _MEMBER_CHANGE_ITEMS(pk) if changes else [], "change_id")
    rows = {"grades": grades, "dissolution_requests": read("dissolution_requests", _DISSOLUTION_REQUESTS),
            "member_changes": changes, "projects": read("projects", _PROJECTS), "liaisons": read("liaisons", _LIAISONS)}
    for related_name, found in (("evaluations", grades), ("dissolution_requests", rows["dissolution_requests"]),
                                ("member_changes", changes), ("support_projects", rows["projects"]),
                                ("liaisons", rows["liaisons"]), ("status_changes", read("timeline", _TIMELINE))):
        attach(consortium, related_name, found)
    rows["support_records"] = support_selectors.support_records(consortium) if has_rows(consortium, "support_records") else []
    rows["recommendations"] = grading_selectors.recommendations(consortium) if has_rows(consortium, "recommendations") else []
    rows["import_mark"] = legacy_selectors.import_mark(consortium) if has_rows(consortium, "import_mark") else None
    rows["banned_members"] = (sanctions_selectors.banned_members_map([consortium]).get(pk, [])
                              if has_rows(consortium, "banned_members") else [])
    return rows


def after_filing(user, show="", today=None):
    """Consortia after 备案 for a list page, each with its latest grade, this year's report, the liaison officer and
    open requests, in a fixed number of queries; ``show`` narrows it to one of SHOW."""
    today = today or clock.today()
    consortia = _after_filing(user, today.year)
    if show in SHOW:
        consortia = consortia.filter(pk__in=shown(user, show, today).values("pk"))
    return consortia


def after_filing_page(user, show=""):
    """after_filing(user, show) for a paginator, as rows of what the list shows (listed()): the whole list and the
    liaison's own ("mine") read by prepared queries (accounts.scoped), the other narrowed lists by the ORM."""
    if show not in ("", "mine"):
        narrowed = after_filing(user, show)
        return PreparedRows(narrowed.count, lambda part: [listed(row) for row in narrowed.values(*_SHOWN)[part]])
    year = clock.today().year
    return PreparedRows(lambda: _AFTER_FILING_COUNT[show](user), lambda rows: [listed(row) for row in _AFTER_FILING_ROWS[show](user, year, rows)])


def _after_filing(user, year):
    latest = Evaluation.objects.filter(consortium=OuterRef("pk")).order_by("-year")
    this_year = AnnualReport.objects.filter(consortium=OuterRef("pk"), year=year)
    liaison = LiaisonAssignment.objects.filter(consortium=OuterRef("pk"), ended_at__isnull=True)
    consortia = (
        Consortium.objects.visible_to(user).filter(status__in=AFTER_FILING)
        .select_related("lead_unit__bureau")
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
    return consortia


# What a page of the 运行管理 list shows of each consortium, its lead unit and the annotations of _after_filing: read as
# values, not as a model instance per row with its lead unit and bureau (a third of the page's time).
_SHOWN = ("pk", "name", "record_number", "status", "filed_on", "lead_unit__name", "lead_unit__bureau__district", "latest_grade",
          "latest_grade_year", "report_started", "report_submitted", "liaison_name", "liaison_id", "member_change_pending",
          "dissolution_pending", "filed_first")


def listed(row):
    """A consortium of a list after 备案 from its ``values()`` row: attributes as a model instance read by after_filing
    has them — ``lead_unit.name``, ``lead_unit.bureau.district`` (``bureau`` None for a unit without one) — for
    evaluations_tags.consortium_rows, reports.selectors.overdue_map and report_label."""
    values = dict(row)
    name, district = values.pop("lead_unit__name"), values.pop("lead_unit__bureau__district")
    return SimpleNamespace(**values, lead_unit=SimpleNamespace(name=name, bureau=None if district is None else SimpleNamespace(district=district)))


def _page_of_after_filing(show):
    def rows(user, year, page: slice):
        consortia = _after_filing(user, year).values(*_SHOWN)
        return consortia.filter(pk__in=shown(user, show).values("pk"))[page] if show else consortia[page]

    return rows


def _count_of(show):
    return lambda user: shown(user, show)


_AFTER_FILING_ROWS = {show: Scoped(_page_of_after_filing(show)) for show in ("", "mine")}
_AFTER_FILING_COUNT = {show: Scoped(_count_of(show), PreparedCount) for show in ("", "mine")}


def _banned_members_on(user, day: date):
    return consortia_with_banned_units(user, day)


# The municipal dashboard's queries, each prepared for the user's scope (accounts.scoped: compiled once per role).
_AWAITING_GRADE = Scoped(lambda user: with_total(reports_awaiting_grade(user))[:5])
_REVOCATION_PROPOSALS = Scoped(lambda user: with_total(grading_selectors.revocation_proposals(user))[:5])  # shown(user, "proposals")
_COUNTS = {
    "overdue": Scoped(lambda user, year: overdue_in(user, year), PreparedCount),
    "banned_members": Scoped(_banned_members_on, PreparedCount),
    "requests": Scoped(lambda user: shown(user, "requests"), PreparedCount),
    "mine": Scoped(lambda user: shown(user, "mine"), PreparedCount),
}


def _count(user, show, today):
    """shown(user, show, today).count(), by its prepared count: the overdue count reads the year, the banned one the day."""
    return _COUNTS[show](user, *{"overdue": (today.year,), "banned_members": (today,)}.get(show, ()))


def municipal_summary(user, today=None):
    """Counts and a few rows for the municipal dashboard."""
    today = today or clock.today()
    (awaiting, awaiting_count), (proposals, proposal_count) = first_and_total(_AWAITING_GRADE(user)), first_and_total(_REVOCATION_PROPOSALS(user))
    counts = {"awaiting_grade": awaiting_count, "proposals": proposal_count}
    counts.update({show: _count(user, show, today) for show in _COUNTS})
    return {
        # Reports awaiting a grade are counted as reports; the others as consortia.
        "evaluation_counts": [(show, SHOW[show], counts[show])
                              for show in ("awaiting_grade", "overdue", "proposals", "banned_members", "requests", "mine")],
        "reports_awaiting_grade": awaiting,
        "revocation_proposals": proposals,
    }


_FILED_FIRST = Scoped(lambda user: Consortium.objects.visible_to(user).filter(status=Status.FILED).order_by("-updated_at", "-id")[:1])


def lead_summary(user, today=None):
    """The applicant's filed consortium (if any) and where its reports stand: for the applicant dashboard."""
    today = today or clock.today()
    filed = next(iter(_FILED_FIRST(user)), None)
    if filed is None:
        return {}
    years = report_years(user, filed, today)
    return {"filed_consortium": filed, "report_years": years[:2],
            "overdue_years": [r.year for r in years if r.standing == ReportStanding.OVERDUE]}
