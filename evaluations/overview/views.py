"""The consortium's 运行管理 page; the lists of consortia after 备案 (all, and the 科技联络员's own)."""

from decimal import Decimal

from django.shortcuts import render

from accounts.permissions import role_required
from accounts.roles import Role
from applications.choices import Status
from operations import clock
from operations.prepared import has_rows

from .. import permissions, phrases, rules, web
from ..dissolution import services as dissolution_services
from ..liaison import selectors as liaison_selectors
from ..liaison.forms import LiaisonForm
from ..membership import selectors as membership_selectors
from ..membership.forms import MembersOnForm
from ..reports import selectors as report_selectors
from ..sanctions import selectors as sanction_selectors
from . import selectors


@role_required(*web.READERS)
def consortium_page(request, pk):
    consortium = web.found_or_404(selectors.page_consortium(request.user, pk))
    today = clock.today()
    rows = selectors.page_rows(consortium)  # first: the buttons' rules below read these rows
    allowed = permissions.for_page(request.user, consortium)
    on_form = MembersOnForm(request.GET or None)
    on = on_form.cleaned_data["on"] if on_form.is_valid() and on_form.cleaned_data["on"] else None
    graded = [(e.year, e.grade) for e in rows["grades"]]
    due, due_reason = rules.revocation_due(graded)
    month, day = rules.first_year_cutoff()
    history = membership_selectors.member_history(consortium)  # every membership, read once: today's and the day asked
    return render(request, "evaluations/consortium.html", {
        **rows,
        "consortium": consortium,
        "allowed": allowed,
        "today": today,
        "report_years": report_selectors.report_years(request.user, consortium, today),
        "first_report_year": rules.first_report_year(consortium.filed_on),
        "first_year_cutoff": f"{month} 月 {day} 日",
        "consecutive_rule": phrases.CONSECUTIVE_RULE,
        "revocation_pending": due_reason if due and consortium.status == Status.FILED else "",
        "recommended": rules.recommended(graded),
        "support_total": sum((r.amount for r in rows["support_records"]), Decimal("0")),
        "members": membership_selectors.members_among(history, today),
        "on_form": on_form,
        "members_on": membership_selectors.members_among(history, on) if on else None,
        "on": on,
        "member_history": history,
        "pending_dissolution": dissolution_services.pending_dissolution(consortium),
        "sees_work": permissions.sees_work(request.user),
        "work_records": liaison_selectors.work_records(request.user, consortium) if has_rows(consortium, "work_records") else [],
        "can_record_work": permissions.work_rights(request.user, consortium)[0],
        "liaison_form": LiaisonForm() if allowed["can_assign_liaison"] else None,
        "revocation": getattr(consortium, "revocation", None) if consortium.status == Status.REVOKED else None,
        "lead_bans": (sanction_selectors.ban_history(consortium.lead_unit)
                      if allowed["is_staff"] and has_rows(consortium, "lead_bans") else []),
    })


def _listed(page):
    today = clock.today()
    overdue = report_selectors.overdue_map(page.object_list, today)
    return [(c, overdue.get(c.pk, []), report_selectors.report_label(c, today)) for c in page.object_list]


@role_required(Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER)
def index(request):
    show = request.GET.get("show", "")
    if show not in selectors.SHOW:
        show = ""
    page = web.page_of(request, selectors.after_filing_page(request.user, show))
    return render(request, "evaluations/index.html", {
        "page": page, "rows": _listed(page), "show": show, "shows": selectors.SHOW,
        "show_label": selectors.SHOW.get(show, "全部"),
    })


@role_required(Role.MUNICIPAL_STAFF)
def liaison_dashboard(request):
    """The 科技联络员's consortia (their next due report, last grade and open requests), the open follow-ups of their
    work records, and the consortia not visited for LIAISON_VISIT_INTERVAL_DAYS."""
    today = clock.today()
    page = web.page_of(request, selectors.after_filing_page(request.user, "mine"))
    follow_ups, open_count = liaison_selectors.open_follow_ups(request.user)
    unvisited, unvisited_count, days = liaison_selectors.not_visited(request.user, today)
    return render(request, "evaluations/liaison.html", {
        "page": page, "rows": _listed(page), "today": today,
        "follow_ups": follow_ups, "open_count": open_count,
        "unvisited": [{**row, "days": (today - (row["last_visit"] or row["filed_on"])).days} for row in unvisited],
        "unvisited_count": unvisited_count, "visit_days": days,
    })
