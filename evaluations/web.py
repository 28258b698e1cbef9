"""What the after-filing pages share: the consortium from the URL, paging, refusals said on the page, PDFs."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from accounts import audit
from accounts import audit_actions as accounts_actions
from accounts.roles import Role
from applications import services as application_services
from applications import workflow

from . import common, rules

READERS = (Role.APPLICANT, Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF)


HOME = "/"  # each role's workbench (the dashboards app, later in the lifecycle)


PER_PAGE = 50


def consortium_or_404(request, pk, statuses=common.AFTER_FILING):
    consortium = common.consortium(request.user, pk, statuses=statuses)
    if consortium is None:
        raise Http404("没有找到该创新联合体。")
    return consortium


def report_year(year):
    """A report year from the URL; one no report can have is simply not found."""
    if year not in rules.PLAUSIBLE_YEARS:
        raise Http404("没有该年度的年度报告。")
    return year


def page_of(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def refused(request, error, consortium=None):
    """A refused step or use case, said on the page it was asked from; a refused workflow step on a consortium also
    in the audit log (success=False)."""
    if isinstance(error, workflow.TransitionError):
        messages.error(request, error.message + "".join(error.reasons))
        if consortium is not None:
            application_services.record_refused_step(request, consortium, error)
    else:
        messages.error(request, "；".join(error.messages))


def errors_to(form, error):
    """A use case's ValidationError shown beside the fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name, errors)
    else:
        form.add_error(None, error)


def pdf_response(request, pdf, filename, target):
    audit.record(accounts_actions.DOCUMENT_DOWNLOAD, request=request, target=target, detail=filename)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
