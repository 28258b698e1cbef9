"""What a later stage of the lifecycle adds to this app's pages: links, sections and flags.

URL names point down the lifecycle, never up: the consortium page of ``applications`` does not
name a ``reviews`` or ``evaluations`` URL or template. Those apps register here (in AppConfig.ready())
what the pages should offer, and the pages show whatever is registered.

    @links.consortium_link
    def review_page(user, consortium):
        return ("进入审查页面", <the URL of the review page>) if <the user may review it> else None

    @links.consortium_section
    def grades(user, consortium):
        return ("evaluations/_grades_section.html", {<what the template shows>}) or None

    @links.consortium_flags
    def overdue_reports(consortia):
        return {consortium pk: ["年度报告逾期"]}  # a fixed number of queries however many consortia

It also draws what every list of consortia shows of one (a row of ``values()``): its status as a badge, and its
name linked with those flags beside it.
"""

from types import SimpleNamespace

from django.utils.html import format_html

from accounts.listing import link_to
from operations.text import escape_text

from .choices import Status

_consortium_links = []
_consortium_sections = []
_consortium_flags = []


def _register(registry, function):
    if function not in registry:
        registry.append(function)
    return function


def consortium_link(function):
    """Register ``function(user, consortium) -> (label, url) or None``; links show in registration order."""
    return _register(_consortium_links, function)


def consortium_section(function):
    """Register ``function(user, consortium) -> (template name, context) or None``: a card on the consortium page."""
    return _register(_consortium_sections, function)


def consortium_flags(function):
    """Register ``function(consortia) -> {pk: [short labels]}``: warnings shown beside a consortium in every list.

    It is given the consortia a list shows (their pks and fields as listed) and must answer in a fixed
    number of queries, so that a list's query count does not grow with its rows.
    """
    return _register(_consortium_flags, function)


def for_consortium(user, consortium):
    return [link for link in (function(user, consortium) for function in _consortium_links) if link]


def sections_for(user, consortium):
    return [section for section in (function(user, consortium) for function in _consortium_sections) if section]


def flags_for(consortia):
    """{pk: [labels]} for the consortia of a list, from every registered provider."""
    consortia = list(consortia)
    flags = {}
    if not consortia:
        return flags
    for function in _consortium_flags:
        for pk, labels in function(consortia).items():
            flags.setdefault(pk, []).extend(labels)
    return flags


# --- A consortium in a list ------------------------------------------------------------------------


BADGE_CLASS = {
    Status.DRAFT: "text-bg-light border",
    Status.RETURNED: "text-bg-warning",
    Status.RETURNED_BY_CITY: "text-bg-warning",
    Status.FILED: "text-bg-success",
    Status.REJECTED: "text-bg-secondary",
    Status.NOT_FILED: "text-bg-secondary",
    Status.REVOKED: "text-bg-danger",
    Status.DISSOLVED: "text-bg-secondary",
}


def status_badge(status):
    """A consortium's status as every page shows it (``{% status_badge c.status %}``): drawn once per status."""
    return _STATUS_BADGES[status]


def _status_badge(status):
    return format_html('<span class="badge status-badge {}">{}</span>', BADGE_CLASS.get(status, "text-bg-primary"), Status(status).label)


_STATUS_BADGES = {status: _status_badge(status) for status in Status.values}


def status_cell(row):
    """The status column of a list (accounts.listing.Column's badge): the badge, drawn once per status."""
    return _STATUS_BADGES[row["status"]]


def name_with_flags(url_name, key="pk"):
    """The name column of a list of consortia: the name linked to ``url_name`` (a page taking the consortium's id,
    read from ``row[key]``), then the row's flags (flagged()) as badges."""
    link = link_to(url_name, key)

    def cell(row):
        flags = "".join(f' <span class="badge text-bg-danger" data-flag>{escape_text(flag)}</span>' for flag in row.get("flags", ()))
        return f'<a href="{escape_text(link(row))}">{escape_text(row["name"])}</a>{flags}'

    return cell


def flagged(rows):
    """The rows of a page of consortia (``values()`` with pk, status and filed_on) with their flags (flags_for: a
    fixed number of queries), as row["flags"]."""
    rows = list(rows)
    flags = flags_for([SimpleNamespace(pk=row["pk"], status=row["status"], filed_on=row["filed_on"]) for row in rows])
    for row in rows:
        row["flags"] = flags.get(row["pk"], [])
    return rows
