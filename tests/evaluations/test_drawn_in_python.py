"""The annual report's table of figures and the consortium page's table of members are drawn in Python
(evaluations_tags.figure_rows, member_table): each must be the HTML of the template loop it replaced (kept in
tests/evaluations/reference/ as the reference) — the figures with last year's and without, and with a figure refused
beside its field; the members as the staff and as the lead see them."""

from pathlib import Path

import pytest
from django.template import engines
from django.test.html import parse_html
from django.urls import reverse

from evaluations.reports import services as reports_services
from evaluations.templatetags.evaluations_tags import figure_rows, member_table
from tests.evaluations.helpers import filed, report_post, this_year
from tests.lifecycle import file_earlier, submit_report

pytestmark = pytest.mark.django_db

REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "figure_rows.html").read_text())
MEMBERS_REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "member_table.html").read_text())


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



def test_the_table_of_members_is_the_html_of_the_loop_it_replaced(client):
    cast = filed()
    compared = 0
    for user in (cast.city, cast.district, cast.applicant):
        client.force_login(user)
        context = client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).context
        members, allowed = context["members"], context["allowed"]
        ours = member_table(members, allowed["is_staff"])
        assert parse_html(ours) == parse_html(MEMBERS_REFERENCE.render({"members": members, "allowed": allowed}))
        assert ours.count("<tr>") == len(members) >= 5 and ("单位</a>" in ours) == bool(allowed["is_staff"])
        compared += bool(allowed["is_staff"])
    assert compared >= 1  # the city's links were compared too
