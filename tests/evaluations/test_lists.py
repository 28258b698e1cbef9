"""Lists after 备案 are paged (50 rows) and their query count does not grow with the rows; dashboards show
counts and a few rows. Data is made directly (many consortia), the way the pages read it."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.choices import Status
from applications.models import UnitBan
from evaluations import rules
from evaluations.grading import selectors as grading_selectors
from evaluations.models import AnnualReport, DissolutionRequest, Evaluation, LiaisonAssignment
from evaluations.reports import selectors as reports_selectors
from tests import factories
from tests.evaluations.helpers import this_year

pytestmark = pytest.mark.django_db


def add_filed(count, officer, lead_accounts=False):
    """``count`` filed consortia: half overdue, each graded last year, half with a pending dissolution request."""
    year = this_year()
    made = []
    for i in range(count):
        consortium = factories.consortium(status=Status.FILED, record_number=f"镇创联备〔{year - 2}〕{factories.credit_code()[-6:]}号",
                                          filed_on=date(year - 2, 3, 1))
        factories.member(consortium)
        for report_year in (year - 2, year - 1)[: 1 + i % 2]:
            AnnualReport.objects.create(consortium=consortium, year=report_year, submitted_at=timezone.now(), content={"year": report_year},
                                        sha256=f"{i:064d}")
        Evaluation.objects.create(consortium=consortium, year=year - 2, grade=["excellent", "qualified", "unqualified"][i % 3],
                                  opinion="意见", basis="experts", decided_at=timezone.now() - timedelta(days=30 - i))
        LiaisonAssignment.objects.create(consortium=consortium, officer=officer)
        if i % 2:
            DissolutionRequest.objects.create(consortium=consortium, reason="理由")
        UnitBan.objects.create(unit=factories.unit(), starts_on=date(year - 1, 1, 1), ends_on=date(year + 2, 1, 1), reason="原因")
        made.append(consortium)
    return made


PAGES = ["evaluations:index", "evaluations:liaison", "evaluations:recommended", "evaluations:bans", "dashboards:municipal"]


@pytest.mark.parametrize("page", PAGES)
def test_after_filing_pages_do_not_grow_their_queries_with_the_rows(client, django_assert_max_num_queries, page):
    officer = factories.user(Role.MUNICIPAL_STAFF)
    client.force_login(officer)
    add_filed(3, officer)
    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse(page)).status_code == 200
    add_filed(12, officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(page))
    assert response.status_code == 200


def test_the_workbench_counts_what_waits_beyond_the_five_rows_it_shows(client):
    """The reports awaiting a grade and the revocations due are counted with their first rows (one query each)."""
    officer = factories.user(Role.MUNICIPAL_STAFF)
    client.force_login(officer)
    summary = client.get(reverse("dashboards:municipal")).context
    assert [(key, n) for key, _label, n in summary["evaluation_counts"] if key in ("awaiting_grade", "proposals")] == [
        ("awaiting_grade", 0), ("proposals", 0)]
    made = add_filed(24, officer)
    for consortium in made[:7]:
        Evaluation.objects.filter(consortium=consortium).update(grade="unqualified")
        Evaluation.objects.create(consortium=consortium, year=this_year() - 1, grade="unqualified", opinion="意见", basis="experts",
                                  decided_at=timezone.now())
    awaiting, proposals = reports_selectors.reports_awaiting_grade(officer), grading_selectors.revocation_proposals(officer)
    assert (awaiting.count(), proposals.count()) == (9, 7)
    summary = client.get(reverse("dashboards:municipal")).context
    assert [(key, n) for key, _label, n in summary["evaluation_counts"] if key in ("awaiting_grade", "proposals")] == [
        ("awaiting_grade", 9), ("proposals", 7)]
    assert summary["reports_awaiting_grade"] == list(awaiting[:5])
    assert summary["revocation_proposals"] == list(proposals[:5])


def test_the_list_is_paged_by_fifty(client):
    officer = factories.user(Role.MUNICIPAL_STAFF)
    add_filed(51, officer)
    client.force_login(officer)
    first = client.get(reverse("evaluations:index")).content.decode()
    assert first.count("data-consortium=") == 50 and "共 51 条，第 1 / 2 页" in first
    assert client.get(reverse("evaluations:index") + "?page=2").content.decode().count("data-consortium=") == 1


def test_the_lists_flags_overdue_reports_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    officer = factories.user(Role.MUNICIPAL_STAFF)
    client.force_login(officer)
    made = add_filed(4, officer)
    page = client.get(reverse("evaluations:index") + "?show=overdue").content.decode()
    overdue = [c for i, c in enumerate(made) if i % 2 == 0]  # those with only the year before last reported
    assert sorted(int(pk) for pk in re.findall(r'data-consortium="(\d+)"', page)) == sorted(c.pk for c in overdue)
    assert page.count(f"{this_year() - 1} 年度报告逾期") == len(overdue)


def test_the_district_sees_its_own_consortia_after_filing_and_no_other(client):
    officer = factories.user(Role.MUNICIPAL_STAFF)
    made = add_filed(2, officer)
    elsewhere = factories.consortium(lead=factories.unit(bureau=factories.district("丹阳市")), status=Status.FILED,
                                     record_number="镇创联备〔2024〕999号", filed_on=date(2024, 3, 1))
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    page = client.get(reverse("evaluations:index")).content.decode()
    assert all(f'data-consortium="{c.pk}"' in page for c in made) and f'data-consortium="{elsewhere.pk}"' not in page
    assert client.get(reverse("evaluations:consortium", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("evaluations:liaison")).status_code == 403


def test_the_database_finds_the_overdue_the_revocable_and_the_recommended_as_the_rules_do():
    """Counts and filters ask the database (the selectors); the rules (evaluations.rules) decide one consortium at a
    time. Over histories of every shape — back-filled years, years nobody evaluated, filings after the cutoff — the
    two agree."""
    year = this_year()
    staff = factories.user(Role.MUNICIPAL_STAFF)
    U, Q, E = "unqualified", "qualified", "excellent"
    shapes = [
        # (filed on, years with a submitted report, a draft year, [(year evaluated, grade)] in the order decided)
        (date(year, 6, 1), [], None, []),  # filed this year: nothing due yet
        (date(year - 1, 6, 1), [], None, [(year - 1, U)]),  # last year's report missing
        (date(year - 1, 6, 1), [year - 1], None, [(year - 2, U), (year - 1, U)]),
        (date(year - 2, 6, 1), [year - 2], year - 1, [(year - 2, U), (year - 1, Q)]),  # a draft is not a report
        (date(year - 3, 6, 1), [year - 3, year - 2, year - 1], None, [(year - 3, Q), (year - 2, U), (year - 1, U)]),
        (date(year - 3, 6, 1), [year - 3, year - 1], None, [(year - 3, U), (year - 2, U), (year - 1, Q)]),
        (date(year - 3, 6, 1), [year - 3, year - 2, year - 1, year], None, [(year - 1, E)]),
        (date(year - 2, 6, 1), [year - 1], None, [(year - 2, U), (year - 1, E), (year, U)]),
        # 2024 合格, 2025 不合格, then 2023 back-filled 不合格: not consecutive by year.
        (date(year - 3, 6, 1), [year - 3, year - 2, year - 1], None, [(year - 2, Q), (year - 1, U), (year - 3, U)]),
        # 不合格, a year nobody evaluated, 不合格: consecutive.
        (date(year - 3, 6, 1), [year - 3, year - 2, year - 1], None, [(year - 3, U), (year - 1, U)]),
        # 优秀 on the latest year, then an earlier year back-filled: still recommended.
        (date(year - 3, 6, 1), [year - 3, year - 2, year - 1], None, [(year - 1, E), (year - 3, U)]),
        # An earlier 优秀 back-filled after a later 合格: not recommended.
        (date(year - 3, 6, 1), [year - 3, year - 2, year - 1], None, [(year - 1, Q), (year - 2, E)]),
        # Filed on 1 December of last year: owes nothing for that year (REPORT_FIRST_YEAR_CUTOFF), so not overdue.
        (date(year - 1, 12, 1), [], None, []),
        # Filed on 30 September two years ago: owes that year too.
        (date(year - 2, 9, 30), [year - 1], None, []),
    ]
    made = []
    for i, (filed_on, submitted, draft, graded) in enumerate(shapes):
        consortium = factories.consortium(status=Status.FILED, record_number=f"镇创联备〔{filed_on.year}〕{i:03d}号", filed_on=filed_on)
        for report_year in submitted:
            AnnualReport.objects.create(consortium=consortium, year=report_year, submitted_at=timezone.now(), content={}, sha256="0" * 64)
        if draft:
            AnnualReport.objects.create(consortium=consortium, year=draft, content={})
        for n, (graded_year, grade) in enumerate(graded):
            Evaluation.objects.create(consortium=consortium, year=graded_year, grade=grade, opinion="意见", basis="experts",
                                      decided_at=timezone.now() - timedelta(days=len(graded) - n))
        made.append(consortium)
    by_rule = {c.pk for c in made if reports_selectors.overdue_map([c])}
    assert {c.pk for c in reports_selectors.overdue_consortia(staff)} == by_rule == {
        made[1].pk, made[3].pk, made[5].pk, made[7].pk, made[13].pk}
    by_rule = {c.pk for c in made if rules.revocation_due(grading_selectors.graded_years(c))[0]}
    assert {c.pk for c in grading_selectors.revocation_proposals(staff)} == by_rule == {
        made[2].pk, made[4].pk, made[5].pk, made[9].pk}
    by_rule = {c.pk for c in made if rules.recommended(grading_selectors.graded_years(c))}
    assert {c.pk for c in grading_selectors.recommended(staff)} == by_rule == {made[6].pk, made[10].pk}
