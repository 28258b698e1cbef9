"""What the after-filing pages share: the consortium from the URL, paging, refusals said on the page, PDFs."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404

from accounts.roles import Role
from applications import services as application_services
from applications import workflow
from applications.dossier.views import printed_document

from . import common, rules

READERS = (Role.APPLICANT, Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF)


HOME = "/"  # each role's workbench (the dashboards app, later in the lifecycle)


PER_PAGE = 50


def consortium_or_404(request, pk, statuses=common.AFTER_FILING):
    return found_or_404(common.consortium(request.user, pk, statuses=statuses))


def found_or_404(consortium):
    """The consortium a selector found in the user's scope, or 404 if it found none."""
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


def printed(request, document, consortium, *, filename, target, back_url):
    """A frozen document of this stage: its file, rendered once by the task worker (applications.dossier.printed)."""
    return printed_document(request, document, consortium=consortium, filename=filename, target=target, back_url=back_url)
