"""One workbench per role: counts, the first few rows of what waits, and links to the full lists.

This app sits on top of all others: it may read every app's selectors, none reads it.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse

from accounts import listing
from accounts.permissions import role_required
from accounts.roles import Role
from accounts.scoped import Scoped
from accounts.selectors import audit_alerts, recent_failures
from applications import selectors, services
from applications.choices import Status
from candidates import selectors as candidate_selectors
from evaluations.grading import selectors as grading_selectors
from evaluations.liaison import selectors as liaison_selectors
from evaluations.overview import selectors as overview_selectors
from operations import clock
from operations.prepared import PreparedCount
from reviews import selectors as review_selectors

from . import filters, lists, stats
from .overview_views import STAFF, overview_nav, scope_label

DASHBOARD_FOR_ROLE = {
    Role.APPLICANT: "dashboards:applicant",
    Role.DISTRICT_REVIEWER: "dashboards:district",
    Role.MUNICIPAL_STAFF: "dashboards:municipal",
    Role.EXPERT: "dashboards:expert",
    Role.SYSTEM_ADMIN: "dashboards:system_admin",
    Role.AUDIT_ADMIN: "dashboards:audit",
}
# A workbench shows this many rows of each list, then links to the list.
PREVIEW_ROWS = selectors.PREVIEW_ROWS
PREVIEW_KEYS = ("name", "lead_unit__name", "lead_unit__bureau__district", "industry_field__name", "status", "updated_at")


def home(request):
    if request.user.is_authenticated:
        return redirect(DASHBOARD_FOR_ROLE[request.user.role])
    return render(request, "dashboards/landing.html")


def _url(name, **query):
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _preview_columns(user):
    return [c for c in lists.consortium_columns(lists.consortium_page_name(user)) if c.key in PREVIEW_KEYS]


def _previews(status):
    """consortia_preview's two queries for one status (or all), prepared for the user's scope (accounts.scoped)."""
    def rows(user):
        found = lists.consortium_rows(user)
        return found.filter(status=status) if status else found

    return (Scoped(lambda user: rows(user).values(*listing.keys(_preview_columns(user)))[:PREVIEW_ROWS]),
            Scoped(rows, PreparedCount))


_PREVIEWS = {}


def consortia_preview(user, status=None):
    """The first rows of the user's consortia (of one status) and how many there are: two queries."""
    first_rows, count = _PREVIEWS.get(status) or _PREVIEWS.setdefault(status, _previews(status))
    columns = _preview_columns(user)
    shown = lists.flagged(first_rows(user))
    return {"table": listing.table(columns, shown), "count": count(user)}


def previews_by_status(user, counted, statuses):
    """consortia_preview of each status, without asking the counts again (``counted``: selectors.status_counts) and
    with the flags of all their rows asked at once: {status: {"table", "count"}}."""
    columns = _preview_columns(user)
    counts = {status: n for status, _label, n in counted}
    shown = {status: (_PREVIEWS.get(status) or _PREVIEWS.setdefault(status, _previews(status)))[0](user) for status in statuses}
    lists.flagged([row for rows in shown.values() for row in rows])  # sets each row's "flags"
    return {status: {"table": listing.table(columns, rows), "count": counts[status]} for status, rows in shown.items()}


def _counts(counted):
    """(label, number, link to the list of that status) for every status the user may see (``counted``:
    selectors.status_counts)."""
    listed = reverse("dashboards:consortia")
    return [(label, n, f"{listed}?{urlencode({'status': status})}") for status, label, n in counted if status != Status.DRAFT]


@role_required(Role.APPLICANT)
def applicant(request):
    may_start, reason = services.may_start_application(request.user)
    return render(request, "dashboards/applicant.html", {
        "unit": request.user.unit,
        "registration": selectors.registration_of(request.user),
        "consortia": consortia_preview(request.user),
        "may_start": may_start,
        "start_reason": reason,
        **overview_selectors.lead_summary(request.user),
    })


@role_required(Role.DISTRICT_REVIEWER)
def district(request):
    registrations, registration_count = selectors.pending_preview(request.user)
    counted = selectors.status_counts(request.user)
    return render(request, "dashboards/district.html", {
        "bureau": request.user.bureau,
        "registrations": registrations,
        "registration_count": registration_count,
        "awaiting_review": previews_by_status(request.user, counted, (Status.SUBMITTED,))[Status.SUBMITTED],
        "counts": _counts(counted),
        "tabs": overview_nav(request.user),
        "candidate_counts": candidate_selectors.status_counts(request.user),
        "follow_ups": liaison_selectors.district_follow_ups(request.user),
        "today": clock.today(),
    })


@role_required(Role.MUNICIPAL_STAFF)
def municipal(request):
    counted = selectors.status_counts(request.user)
    previews = previews_by_status(request.user, counted, (Status.DISTRICT_PASSED, Status.UNDER_APPRAISAL))
    return render(request, "dashboards/municipal.html", {
        "awaiting_appraisal": previews[Status.DISTRICT_PASSED],
        "under_appraisal": previews[Status.UNDER_APPRAISAL],
        "counts": _counts(counted),
        "tabs": overview_nav(request.user),
        **overview_selectors.municipal_summary(request.user),
    })


@role_required(Role.EXPERT)
def expert(request):
    """The expert's tasks, those still to score first, 50 a page; then their 绩效评价 tasks (a few a year)."""
    user = request.user
    page = listing.paginate(request, listing.PreparedRows(lambda: _TASK_COUNT(user), lambda part: _TASK_PAGE(user, part)))
    return render(request, "dashboards/expert.html", {
        "page": page, "table": listing.table(lists.TASK_COLUMNS, page.object_list),
        "evaluation_assignments": _EXPERT_TASKS(request.user),
    })


def _task_page(user, part: slice):
    return review_selectors.expert_assignments(user).values(*listing.keys(lists.TASK_COLUMNS))[part]


# The expert's 综合论证 tasks, counted and paged by prepared queries (accounts.scoped): the list has no filters.
_TASK_COUNT, _TASK_PAGE = Scoped(review_selectors.expert_assignments, PreparedCount), Scoped(_task_page)
_EXPERT_TASKS = Scoped(lambda user: grading_selectors.expert_tasks(user)[:listing.PAGE_SIZE])  # prepared (accounts.scoped)


@role_required(Role.SYSTEM_ADMIN)
def system_admin(request):
    return render(request, "dashboards/system_admin.html")


@role_required(Role.AUDIT_ADMIN)
def audit(request):
    return render(request, "dashboards/audit.html", {"recent_failures": recent_failures(), "alerts": audit_alerts()})


@role_required(*STAFF)
def statistics(request):
    form = filters.YearForm(request.GET)
    year = form.chosen_year()
    return render(request, "dashboards/statistics.html", {
        "form": form, "report": stats.report(request.user, year), "scope": scope_label(request.user),
        "tabs": overview_nav(request.user, "statistics"),
    })
