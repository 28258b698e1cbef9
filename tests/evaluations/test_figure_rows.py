"""The annual report's table of figures is drawn in Python (evaluations_tags.figure_rows): it must be the HTML of the
template loop it replaced (kept in tests/evaluations/reference/ as the reference), with last year's figures and
without, and with a figure refused beside its field."""

from pathlib import Path

import pytest
from django.template import engines
from django.test.html import parse_html
from django.urls import reverse

from evaluations.reports import services as reports_services
from evaluations.templatetags.evaluations_tags import figure_rows
from tests.evaluations.helpers import filed, report_post, this_year
from tests.lifecycle import file_earlier, submit_report

pytestmark = pytest.mark.django_db

REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "figure_rows.html").read_text())


def test_the_table_of_figures_is_the_html_of_the_loop_it_replaced(client):
    year = this_year()
    cast = filed()
    client.force_login(cast.applicant)
    url = reverse("evaluations:report", args=[cast.consortium.pk, year])
    report = reports_services.start_report(cast.consortium.pk, cast.applicant, year)
    pages = [client.get(url)]  # no report of last year: nothing to compare
    pages.append(client.post(url, report_post(report, patents_applied="5", invention_patents_applied="9", rd_spend_lead="-3")))
    other = filed()
    file_earlier(other.consortium, year - 2)
    submit_report(other.consortium, other.applicant, year - 1)  # last year's figures beside this year's
    reports_services.start_report(other.consortium.pk, other.applicant, year)
    client.force_login(other.applicant)
    pages.append(client.get(reverse("evaluations:report", args=[other.consortium.pk, year])))
    compared = 0
    for page in pages:
        groups = page.context["groups"]
        ours = figure_rows(groups)
        assert parse_html(ours) == parse_html(REFERENCE.render({"groups": groups}))
        compared += ours.count("<tr>")
    assert compared >= 30
    assert "金额不能为负数。" in figure_rows(pages[1].context["groups"]) and 'data-value="100.00"' in figure_rows(pages[2].context["groups"])

