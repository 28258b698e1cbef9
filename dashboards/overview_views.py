"""The bureaus' lists and their Excel exports: one view for every list, configured by LISTS.

Adding a list takes its columns and rows (lists.py), its filters (filters.py) and one ListPage below;
urls.py gives it /overview/<slug>/ and /overview/<slug>/export.xlsx.
"""

from dataclasses import dataclass
from typing import Callable

from django.shortcuts import render
from django.urls import reverse

from accounts import listing
from accounts.downloads import xlsx_response
from accounts.permissions import role_required
from accounts.roles import Role
from accounts.scoped import Scoped
from operations.prepared import PreparedCount

from . import filters, lists
from .navigation import reversed_once

STAFF = (Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF)


@dataclass(frozen=True)
class ListPage:
    slug: str  # its URL: /overview/<slug>/, named dashboards:<slug> and dashboards:<slug>_export
    title: str  # the page heading, the export's sheet and file name
    roles: tuple
    rows: Callable  # rows(user): a queryset starting from visible_to(user), in the list's default order
    columns: Callable  # columns(user): [accounts.listing.Column]
    filter: type  # an accounts.listing.ListFilter
    empty: str = "没有符合条件的记录"
    decorate: Callable = list  # decorate(rows of the page) -> rows with what the columns add (flags …)


LISTS = {page.slug: page for page in [
    ListPage("consortia", "创新联合体名单", (Role.APPLICANT, *STAFF), lists.consortium_rows,
             lambda user: lists.consortium_columns(lists.consortium_page_name(user)), filters.ConsortiumFilter,
             decorate=lists.flagged),
    ListPage("members", "成员单位名单", STAFF, lists.member_rows,
             lambda user: lists.member_columns(lists.consortium_page_name(user)), filters.MemberFilter),
    ListPage("units", "单位名录", STAFF, lists.unit_rows, lambda user: lists.UNIT_COLUMNS, filters.UnitFilter),
    ListPage("registrations", "单位注册记录", STAFF, lists.registration_rows, lambda user: lists.REGISTRATION_COLUMNS,
             filters.RegistrationFilter),
    ListPage("appraisals", "综合论证记录", (Role.MUNICIPAL_STAFF,), lists.appraisal_rows, lambda user: lists.APPRAISAL_COLUMNS,
             filters.AppraisalFilter),
    ListPage("evaluations", "绩效评价结果", STAFF, lists.evaluation_rows, lambda user: lists.EVALUATION_COLUMNS,
             filters.EvaluationFilter),
    ListPage("support-projects", "承担科技项目", STAFF, lists.support_project_rows, lambda user: lists.SUPPORT_PROJECT_COLUMNS,
             filters.SupportProjectFilter),
    ListPage("support-records", "支持记录", STAFF, lists.support_record_rows, lambda user: lists.SUPPORT_RECORD_COLUMNS,
             filters.SupportRecordFilter),
    ListPage("support-totals", "各创新联合体获得支持", STAFF, lists.support_total_rows, lambda user: lists.SUPPORT_TOTAL_COLUMNS,
             filters.SupportTotalFilter),
]}


def overview_nav(user, active=None):
    """The overview's tabs a user may open: (title, url, is this page)."""
    return [(title, url, slug == active) for title, url, slug in _tabs(user.role)]


@reversed_once
def _tabs(role):
    tabs = [(page.title, reverse(f"dashboards:{page.slug}"), page.slug) for page in LISTS.values() if role in page.roles]
    if role in STAFF:
        tabs.append(("统计", reverse("dashboards:statistics"), "statistics"))
    return tuple(tabs)


def scope_label(user):
    return user.bureau.name if user.role == Role.DISTRICT_REVIEWER and user.bureau else ""


def list_view(page):
    @role_required(*page.roles)
    def show(request):
        found = page.filter(request.GET, queryset=page.rows(request.user), request=request)
        columns = page.columns(request.user)
        if set(request.GET) <= {"page"}:  # no filter and no sort: the list as it opens, read by its prepared queries
            user = request.user
            count, rows = _unfiltered(page)
            shown = listing.paginate(request, listing.PreparedRows(lambda: count(user), lambda part: rows(user, part)))
        else:
            shown = listing.paginate(request, found.qs, values=listing.keys(columns))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "dashboards/list.html", {
            "list": page, "filter": found, "page": shown, "scope": scope_label(request.user),
            "table": listing.table(columns, page.decorate(shown.object_list), request),
            "export_url": reverse(f"dashboards:{page.slug}_export") + ("?" + query.urlencode() if query else ""),
            "tabs": overview_nav(request.user, page.slug),
        })

    show.__name__ = f"{page.slug}_list"
    return show


_UNFILTERED = {}


def _unfiltered(page):
    """A list's count and pages without filters, prepared for the user's scope (accounts.scoped): how most lists are
    opened; the same rows as the filter set gives when nothing is asked of it (tests/dashboards/test_lists.py)."""
    if page.slug not in _UNFILTERED:
        def part(user, rows: slice):
            return page.rows(user).values(*listing.keys(page.columns(user)))[rows]

        _UNFILTERED[page.slug] = (Scoped(lambda user: page.rows(user), PreparedCount), Scoped(part))
    return _UNFILTERED[page.slug]


def export_view(page):
    @role_required(*page.roles)
    def export(request):
        found = page.filter(request.GET, queryset=page.rows(request.user), request=request)
        title = f"{page.title}（{scope_label(request.user)}）" if scope_label(request.user) else page.title
        columns = page.columns(request.user)
        return xlsx_response(request, title, columns, found.qs.values(*listing.keys(columns)), found.describe())

    export.__name__ = f"{page.slug}_export"
    return export
