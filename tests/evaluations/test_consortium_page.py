"""The consortium page (运行管理) runs a fixed number of queries for each role, whatever it shows: the rows its sections
and its buttons' rules share are read once with the consortium (evaluations.overview.selectors.page_rows)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.models import UnitBan
from evaluations.grading import services as grading_services
from evaluations.liaison import services as liaison_services
from evaluations.models import FiledImport, ImportedConsortium, Recommendation
from evaluations.support import services as support_services
from tests import factories
from tests.evaluations.helpers import filed

pytestmark = pytest.mark.django_db


def add_rows(cast, year):
    """One more of every row the page lists: a grade of ``year`` and its 复核, a dissolution request and a member
    change (both returned), a completed project with its funding, a district's support, a liaison, a visit with a
    follow-up, the city's recommendation, a ban (served) of the lead unit and of a member."""
    cast.take("evaluate", year=year, grade="qualified")
    Recommendation.objects.create(consortium=cast.consortium, year=year, eligible=False, note="暂不符合条件",
                                  decided_on=date(year + 1, 1, 10), decided_by=cast.city)
    member = cast.consortium.memberships.filter(role="member").first()
    for unit in (cast.consortium.lead_unit, member.unit):
        UnitBan.objects.create(unit=unit, starts_on=date(year - 4, 1, 1), ends_on=date(year - 1, 1, 1), reason=f"{year} 年前已期满的限制")
    evaluation = cast.consortium.evaluations.get(year=year)
    grading_services.correct_grade(cast.consortium.pk, cast.city, evaluation.pk, "excellent", "复核后更正为优秀。")
    cast.take("return_dissolution", opinion="请补充材料")  # asked first (tests.lifecycle.PREREQUISITES)
    cast.take("return_member_change", opinion="请补充协议")
    support_services.record_project(cast.consortium.pk, cast.city, {
        "name": f"{year} 智能电网关键装备", "level": "municipal", "kind": "key_project", "amount": Decimal("150.00"),
        "starts_on": date(year, 1, 1), "ends_on": date(year, 12, 31), "status": "completed"})
    support_services.record_support(cast.consortium.pk, cast.district, {
        "kind": "district_funding", "level": "district", "amount": Decimal("30.00"), "year": year,
        "granting_body": cast.district.bureau.name, "unit": None, "project": None, "note": ""})
    liaison_services.assign_liaison(cast.consortium.pk, cast.city, factories.user(Role.MUNICIPAL_STAFF))
    liaison_services.record_work(cast.consortium.pk, cast.district, {
        "kind": "visit", "happened_on": timezone.localdate(), "participants": "京口区科技局", "agreed": "走访"},
        [{"task": "报送中试计划", "due_on": timezone.localdate()}])


# The session with the user (1: accounts/signed_in.py); the consortium; with it its grades and their 复核, dissolution requests, member
# changes and their items, projects, liaisons and timeline (8: page_rows); support records, reports, recommendations,
# members banned elsewhere, the 历史导入 mark, the memberships with their units (today's members and any day's are
# picked from them) (6); the bureaus' work records and their follow-ups (2); the city's lead-unit bans and the officers
# to choose a liaison from (2). Before page_rows: 48, 25 and 28 for one of every row, and more with each row; before
# the memberships were read once: 22, 20 and 18; before the session and the user were read together: 21, 19 and 17. A
# section with no row is not asked (the next test).
QUERIES = {"city": 20, "district": 18, "applicant": 16}


@pytest.mark.parametrize("role", list(QUERIES))
def test_the_page_runs_the_same_queries_for_one_or_three_of_every_row(client, django_assert_num_queries, role):
    cast = filed()
    this_year = timezone.localdate().year
    ImportedConsortium.objects.create(consortium=cast.consortium, batch=FiledImport.objects.create(
        sha256="0" * 64, file="imports/filed.xlsx", file_name="门户上线前备案.xlsx"))
    add_rows(cast, this_year - 1)
    client.force_login({"city": cast.city, "district": cast.district, "applicant": cast.applicant}[role])
    url = reverse("evaluations:consortium", args=[cast.consortium.pk])
    with django_assert_num_queries(QUERIES[role]):
        assert client.get(url).status_code == 200
    add_rows(cast, this_year - 2)
    add_rows(cast, this_year - 3)
    with django_assert_num_queries(QUERIES[role]):
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("复核更正：") == 3
    assert html.count("data-recommendation=") == 3
    assert "门户上线前备案.xlsx" in html
    assert html.count("前已期满的限制") == (3 if role == "city" else 0)  # the lead unit's bans (the city's record); a member's served ban is no flag


# A consortium in its first year: its session with its user, the consortium with which of its sections have rows (1), its
# timeline, its reports, its memberships with their units, and for the city the officers to choose a liaison from; its
# grades, requests, projects, liaisons, support, recommendations, import mark, bans and work records are not asked.
FIRST_YEAR_QUERIES = {"city": 6, "district": 5, "applicant": 5}


@pytest.mark.parametrize("role", list(FIRST_YEAR_QUERIES))
def test_a_section_without_rows_is_not_asked_for(client, django_assert_num_queries, role):
    cast = filed()
    client.force_login({"city": cast.city, "district": cast.district, "applicant": cast.applicant}[role])
    with django_assert_num_queries(FIRST_YEAR_QUERIES[role]):
        page = client.get(reverse("evaluations:consortium", args=[cast.consortium.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "复核更正：" not in html and "data-recommendation=" not in html and "历史导入" not in html
    assert cast.consortium.lead_unit.name in html

