"""Prepared queries (operations/prepared.py): the ORM's rows, from a statement compiled once; refused where they could
not be."""

import copy
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from accounts import listing
from accounts.models import User
from accounts.roles import Role
from applications import bans, services, workflow
from applications import selectors as application_selectors
from applications.choices import Status
from applications.models import Application, Consortium, IndustryField, Membership, Registration, StatusChange, Unit, UnitBan
from dashboards import lists
from dashboards import views as dashboard_views
from dashboards.filters import ConsortiumFilter
from evaluations import common
from evaluations.common import AFTER_FILING
from evaluations.grading import selectors as grading_selectors
from evaluations.grading import services as grading_services
from evaluations.liaison import selectors as liaison_selectors
from evaluations.liaison import services as liaison_services
from evaluations.membership import selectors as membership_selectors
from evaluations.models import AnnualReport, Evaluation, FollowUp, LiaisonAssignment, SupportProject, WorkRecord
from evaluations.overview import selectors
from evaluations.reports import selectors as report_selectors
from evaluations.reports import services as reports_services
from evaluations.reports.selectors import reports_awaiting_grade
from evaluations.sanctions import selectors as sanction_selectors
from operations import clock
from operations.prepared import Prepared, PreparedCount, first_and_total
from reviews import recommendations
from reviews import selectors as review_selectors
from reviews import services as review_services
from reviews import views as review_views
from reviews.forms import AddExpertForm
from reviews.models import ExpertAssignment, RecommendationOpinion, RoundEntry
from tests import factories
from tests.evaluations.helpers import filed
from tests.evaluations.test_consortium_page import add_rows
from tests.lifecycle import cast_at, complete_application, score, submit_report

pytestmark = pytest.mark.django_db


def fields(instance):
    """Every column of a row, by attribute name, as the ORM gave it (dates as dates, amounts as Decimals …)."""
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_each_prepared_query_of_the_consortium_page_gives_the_orms_rows_value_for_value(django_assert_num_queries):
    first, second = filed(), filed()
    for cast in (first, second):
        add_rows(cast, 2024)
        add_rows(cast, 2025)
    for consortium in (first.consortium, second.consortium):
        for prepared, orm in [
            (selectors._GRADES, Evaluation.objects.filter(consortium=consortium).order_by("year", "pk")),
            (selectors._PROJECTS, SupportProject.objects.filter(consortium=consortium).order_by("-starts_on", "pk")),
            (selectors._LIAISONS, LiaisonAssignment.objects.select_related("officer").filter(consortium=consortium)
             .order_by("-assigned_at", "-pk")),
            (selectors._TIMELINE, StatusChange.objects.select_related("actor").filter(consortium=consortium).order_by("created_at", "pk")),
        ]:
            expected = list(orm)
            with django_assert_num_queries(1):
                found = prepared(consortium.pk)
            assert expected  # two of each were added: the comparison below compares something
            assert [fields(row) for row in found] == [fields(row) for row in expected]
            assert all(type(row) is type(expected[0]) for row in found)
            for related in ("officer", "actor"):  # select_related: the joined row is there, no query
                if hasattr(expected[0], related):
                    with django_assert_num_queries(0):
                        assert [fields(getattr(row, related)) for row in found] == [fields(getattr(row, related)) for row in expected]


def test_the_members_of_a_day_are_the_orms_on_every_day_around_a_change():
    """A day is a parameter too (written as text on SQLite): a member who joined and one who left, on the days around;
    and the members of a day picked in Python from the history (the consortium page's) are the same."""
    cast = filed()
    consortium = cast.consortium
    joined, left = date(2025, 3, 1), date(2025, 9, 1)
    memberships = list(consortium.memberships.order_by("position"))
    Membership.objects.filter(pk=memberships[-1].pk).update(joined_on=joined)
    Membership.objects.filter(pk=memberships[-2].pk).update(left_on=left)
    for day in (joined - timedelta(days=1), joined, left - timedelta(days=1), left, date(2026, 1, 1)):
        expected = list(consortium.memberships.current(day).select_related("unit").order_by("position", "pk"))
        found = membership_selectors.members_on(consortium, day)
        assert [fields(row) for row in found] == [fields(row) for row in expected]
        assert [fields(row.unit) for row in found] == [fields(row.unit) for row in expected]
        picked = membership_selectors.members_among(membership_selectors.member_history(consortium), day)
        assert [fields(row) for row in picked] == [fields(row) for row in expected]
        assert [fields(row.unit) for row in picked] == [fields(row.unit) for row in expected]
    assert len(membership_selectors.members_on(consortium, joined - timedelta(days=1))) == len(memberships) - 1
    assert len(membership_selectors.members_on(consortium, left)) == len(memberships) - 1
    assert len(membership_selectors.members_on(consortium, left - timedelta(days=1))) == len(memberships)
    with pytest.raises(TypeError, match="is a day"):
        membership_selectors.members_on(consortium, "2025-03-01")


def test_a_prepared_query_is_compiled_once_and_then_runs_with_each_value():
    first, second = filed(), filed()
    add_rows(first, 2025)
    names = Prepared(lambda pk: Consortium.objects.filter(pk=pk).annotate(grades=Count("evaluations")))
    found = names(first.consortium.pk)
    compiled = names._compiled["default", ()]
    assert [(row.name, row.grades) for row in found] == [(first.consortium.name, 1)]
    assert [(row.name, row.grades) for row in names(second.consortium.pk)] == [(second.consortium.name, 0)]
    assert names(-1) == []
    assert names._compiled["default", ()] is compiled


def test_the_page_reads_its_rows_through_the_relations_without_asking_again(django_assert_num_queries):
    cast = filed()
    add_rows(cast, 2025)
    consortium = Consortium.objects.get(pk=cast.consortium.pk)
    rows = selectors.page_rows(consortium)
    with django_assert_num_queries(0):
        assert list(consortium.evaluations.all()) == rows["grades"]
        assert rows["grades"][0].consortium is consortium
        assert [c.grade for c in rows["grades"][0].corrections.all()] == ["excellent"]
        assert [c.opinion for c in consortium.member_changes.all()] == ["请补充协议"]
    # What is not the page's rows is asked of the database, as the relation always was.
    with django_assert_num_queries(1):
        assert list(consortium.evaluations.filter(year=2024)) == []


def test_a_query_that_cannot_be_prepared_says_why():
    with pytest.raises(ImproperlyConfigured, match="argument 2 of a prepared query is not among its statement's parameters"):
        Prepared(lambda pk, n: Evaluation.objects.filter(consortium_id=pk)[:n])(1, 5)
    with pytest.raises(ImproperlyConfigured, match=r"model objects, values\(\) or values_list\(\)"):
        Prepared(lambda pk: Evaluation.objects.filter(consortium_id=pk).values_list("year", flat=True))(1)
    with pytest.raises(ImproperlyConfigured, match=r"model objects, values\(\) or values_list\(\)"):
        Prepared(lambda pk: Consortium.objects.filter(pk=pk).prefetch_related("evaluations"))(1)
    with pytest.raises(TypeError, match="takes 1 values, not 2"):
        Prepared(lambda pk: Consortium.objects.filter(pk=pk))(1, 2)
    with pytest.raises(ImproperlyConfigured, match="a constant of this prepared query is the same as one of its markers"):
        Prepared(lambda pk: Evaluation.objects.filter(consortium_id=pk, year=32760))(1)  # 32760: the first marker
    with pytest.raises(TypeError, match="lists of at most 1000 keys"):
        submitted_by_consortium(list(range(1001)))
    assert Prepared(lambda pk: Evaluation.objects.filter(consortium_id=pk).none())(1) == []
    assert PreparedCount(lambda pk: Evaluation.objects.filter(consortium_id=pk).none())(1) == 0


@Prepared
def submitted_by_consortium(consortia: list):
    return AnnualReport.objects.filter(consortium_id__in=consortia)


def test_the_municipal_dashboards_scoped_counts_and_rows_are_the_orms_for_every_kind_of_user(django_assert_num_queries):
    """accounts.scoped: prepared once per role with a stand-in user; each user's own id, unit and bureau give the
    ORM's answer (an overdue report, a request waiting, a liaison's own consortium; another district sees none)."""
    year = clock.today().year
    overdue, waiting = filed(filed_in=year - 2), filed()
    waiting.take("request_dissolution")
    liaison_services.assign_liaison(waiting.consortium.pk, waiting.city, waiting.city)
    users = [waiting.city, factories.user(Role.MUNICIPAL_STAFF), overdue.district, factories.user(Role.DISTRICT_REVIEWER),
             overdue.applicant, waiting.applicant, factories.user(Role.EXPERT)]
    seen = set()
    for user in users:
        for show in selectors._COUNTS:
            expected = selectors.shown(user, show).count()
            with django_assert_num_queries(1 if expected or user.role != Role.EXPERT else 0):
                found = selectors._count(user, show, clock.today())
            assert found == expected, (user.role, show)
            seen.add((show, found))
        awaiting, count = first_and_total(selectors._AWAITING_GRADE(user))
        assert ([r.pk for r in awaiting], count) == ([r.pk for r in reports_awaiting_grade(user)[:5]], reports_awaiting_grade(user).count())
    assert {("overdue", 1), ("requests", 1), ("mine", 1), ("overdue", 0), ("requests", 0), ("mine", 0)} <= seen


def test_the_lists_after_filing_read_by_prepared_queries_are_the_orms_for_every_kind_of_user_and_page(django_assert_max_num_queries):
    """The 运行管理 list and the liaison's own (selectors.after_filing_page): each user's count and every page of rows,
    with the columns the list shows, are the ORM's (a district sees its own, a liaison the consortia assigned to them)."""
    year = clock.today().year
    casts = [filed(), filed(filed_in=year - 2), filed()]
    casts[0].take("request_dissolution")
    liaison_services.assign_liaison(casts[2].consortium.pk, casts[2].city, casts[2].city)
    columns = ["pk", "name", "status", "record_number", "filed_on", "lead_unit.name", "lead_unit.bureau.district", "latest_grade",
               "latest_grade_year", "report_started", "report_submitted", "liaison_name", "liaison_id", "member_change_pending",
               "dissolution_pending", "filed_first"]

    def read(consortium):
        values = []
        for column in columns:
            value = consortium
            for part in column.split("."):
                value = getattr(value, part)
            values.append(value)
        return values

    users = [casts[2].city, factories.user(Role.MUNICIPAL_STAFF), casts[1].district,
             factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))]
    seen = set()
    for user in users:
        for show in ("", "mine"):
            expected = selectors.after_filing(user, show)
            prepared = selectors.after_filing_page(user, show)
            assert prepared.count() == expected.count(), (user.role, show)
            for page in (slice(0, 2), slice(2, 4), slice(0, 50)):
                with django_assert_max_num_queries(1):  # the page's rows: no column the list shows read later
                    shown = [read(c) for c in prepared[page]]
                assert shown == [read(c) for c in expected[page]], (user.role, show, page)
            seen.add((show, prepared.count()))
    assert {("", 3), ("mine", 1), ("mine", 0), ("", 0)} <= seen
    assert selectors.after_filing_page(casts[2].city, "overdue").count() == 1  # a narrowed list: the ORM's queryset


def test_the_district_dashboards_follow_ups_and_registrations_are_the_orms_for_every_kind_of_user():
    """liaison.selectors.district_follow_ups and applications.selectors.pending_preview, prepared per role: each district
    reviewer's own first rows and counts, the ORM's (another district's reviewer sees none of them)."""
    today = clock.today()
    cast = filed()
    fk = cast.consortium.pk
    for n in range(7):
        liaison_services.record_work(fk, cast.district, {"kind": "visit", "happened_on": today, "participants": "王联络",
                                                         "agreed": f"第 {n} 次走访"}, [{"task": f"跟进 {n}", "due_on": today + timedelta(days=7 - n)}])
    for n in range(6):
        factories.registration(bureau=cast.district.bureau, name=f"待审核单位{n}")
    other = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))
    for user in (cast.district, other, cast.city):
        follow_ups, follow_up_count = liaison_selectors.district_follow_ups(user)
        expected = liaison_selectors._district_open(user).order_by("due_on", "pk")
        assert ([f.pk for f in follow_ups], follow_up_count) == ([f.pk for f in expected[:5]], expected.count()), user.role
        assert [f.record.consortium.name for f in follow_ups] == [f.record.consortium.name for f in expected[:5]]
        registrations, registration_count = application_selectors.pending_preview(user)
        pending = application_selectors.pending_registrations(user)
        assert ([r.pk for r in registrations], registration_count) == ([r.pk for r in pending[:5]], pending.count()), user.role
    assert (len(liaison_selectors.district_follow_ups(cast.district)[0]), liaison_selectors.district_follow_ups(cast.district)[1]) == (5, 7)
    assert application_selectors.pending_preview(cast.district)[1] == 6 and application_selectors.pending_preview(other) == ([], 0)


def test_the_consortia_to_recommend_read_by_prepared_queries_are_the_orms_for_every_kind_of_user_and_page(django_assert_max_num_queries):
    """grading.selectors.recommended_page: each user's count, every page of rows and each row's grade history, the ORM's
    (recommended() with its prefetch): only those whose latest evaluated year is 优秀, in the user's scope."""
    year = clock.today().year
    grades = [[("excellent", year - 1)], [("unqualified", year - 2), ("excellent", year - 1)], [("excellent", year - 2), ("qualified", year - 1)],
              [("qualified", year - 3), ("excellent", year - 2)]]
    casts = [filed() for _ in grades]
    for cast, graded in zip(casts, grades):
        for grade, graded_year in graded:
            Evaluation.objects.create(consortium=cast.consortium, year=graded_year, grade=grade, opinion="意见", basis="experts",
                                      decided_at=clock.now())
    other = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))
    for user in (casts[0].city, casts[0].district, other):
        expected, prepared = grading_selectors.recommended(user), grading_selectors.recommended_page(user)
        assert prepared.count() == expected.count(), user.role
        for page in (slice(0, 1), slice(1, 3), slice(0, 50)):
            with django_assert_max_num_queries(2):  # the rows and their grade histories: no field read later, row by row
                shown = [(c.pk, c.name, c.record_number, c.lead_unit.name, c.industry_field.name, c.recommendation_id,
                          [(e.year, e.grade) for e in c.grade_history]) for c in prepared[page]]
            assert shown == [(c.pk, c.name, c.record_number, c.lead_unit.name, c.industry_field.name, c.recommendation_id,
                              [(e.year, e.grade) for e in c.grade_history]) for c in expected[page]], (user.role, page)
    assert grading_selectors.recommended_page(casts[0].city).count() == 3 and grading_selectors.recommended_page(other).count() == 0
    assert [[(e.year, e.grade) for e in c.grade_history] for c in grading_selectors.recommended_page(casts[0].city)[0:50]
            if c.pk == casts[1].consortium.pk] == [[(year - 2, "unqualified"), (year - 1, "excellent")]]


def test_the_liaisons_follow_ups_and_consortia_not_visited_are_the_orms_for_every_kind_of_user():
    """liaison.selectors.open_follow_ups and not_visited, prepared per role: the liaison's own consortia only, a visit
    within LIAISON_VISIT_INTERVAL_DAYS or a recent filing taking a consortium off the list, as the ORM finds them."""
    today = clock.today()
    long_ago = today - timedelta(days=400)
    casts = [filed(filed_in=long_ago.year) for _ in range(4)]
    liaison = casts[0].city
    for cast in casts[:2] + casts[3:]:
        liaison_services.assign_liaison(cast.consortium.pk, cast.city, liaison)
    liaison_services.record_work(casts[0].consortium.pk, liaison, {"kind": "visit", "happened_on": today, "participants": "王联络",
                                                                   "agreed": "走访"}, [{"task": "报送中试计划", "due_on": today}])
    liaison_services.record_work(casts[3].consortium.pk, liaison, {"kind": "visit", "happened_on": today - timedelta(days=30),
                                                                   "participants": "王联络", "agreed": "走访"}, [])
    liaison_services.record_work(casts[2].consortium.pk, casts[2].district, {"kind": "visit", "happened_on": long_ago,
                                                                             "participants": "区", "agreed": "走访"}, [{"task": "他人的", "due_on": today}])
    for user in (liaison, factories.user(Role.MUNICIPAL_STAFF), casts[2].district):
        expected = FollowUp.objects.visible_to(user).open().filter(record__consortium__in=liaison_selectors._liaison_of(user)).order_by("due_on", "pk")
        first, count = liaison_selectors.open_follow_ups(user)
        assert ([f.pk for f in first], [f.record.consortium.name for f in first], count) == (
            [f.pk for f in expected], [f.record.consortium.name for f in expected], expected.count()), user.role
        rows, late, days = liaison_selectors.not_visited(user, today)
        since = today - timedelta(days=days)
        orm = liaison_selectors._not_visited_since(user, since)
        assert (rows, late) == (list(orm.order_by(F("last_visit").asc(nulls_first=True), "filed_on", "pk")
                                     .values("pk", "name", "filed_on", "last_visit")), orm.count()), user.role
    assert liaison_selectors.open_follow_ups(liaison)[1] == 1
    assert [row["pk"] for row in liaison_selectors.not_visited(liaison, today)[0]] == [casts[1].consortium.pk]


def test_the_registration_queue_and_the_codes_already_declared_are_the_orms_for_every_kind_of_user():
    """applications.selectors.pending_page and declarations_of, prepared per role: a district's waiting registrations
    page by page with their applicants, and the memberships of its own consortia that already declare a code (never
    another district's), as the ORM finds them."""
    cast = filed()
    declared = factories.member(cast.consortium, factories.unit(credit_code="91321100MA1DECL001"))
    registrations = [factories.registration(bureau=cast.district.bureau, name=f"待审核单位{n}") for n in range(5)]
    registrations.append(factories.registration(bureau=cast.district.bureau, credit_code=declared.unit.credit_code))
    other = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))
    codes = [r.credit_code for r in registrations] + ["91321100MA1NOBODY1"]
    for user in (cast.district, other, cast.city):
        pending, prepared = application_selectors.pending_registrations(user), application_selectors.pending_page(user)
        assert prepared.count() == pending.count(), user.role
        for page in (slice(0, 2), slice(2, 50)):
            assert [(r.pk, r.name, r.applicant.full_name, r.applicant.email) for r in prepared[page]] == [
                (r.pk, r.name, r.applicant.full_name, r.applicant.email) for r in pending[page]], (user.role, page)
        orm = {}
        for membership in (Membership.objects.current().filter(unit__credit_code__in=codes, role="member",
                                                              consortium__in=Consortium.objects.visible_to(user))
                           .select_related("consortium", "unit").order_by("consortium__name")):
            orm.setdefault(membership.unit.credit_code, []).append((membership.pk, membership.consortium.name, membership.unit_name))
        found = application_selectors.declarations_of(user, codes)
        assert {code: [(m.pk, m.consortium.name, m.unit_name) for m in ms] for code, ms in found.items()} == orm, user.role
    assert application_selectors.pending_page(cast.district).count() == 6 and application_selectors.pending_page(other).count() == 0
    assert list(application_selectors.declarations_of(cast.district, codes)) == [declared.unit.credit_code]
    assert application_selectors.declarations_of(other, codes) == {} and application_selectors.declarations_of(cast.district, []) == {}


def test_a_list_of_keys_is_prepared_once_for_each_length_and_gives_the_orms_rows():
    """The flags of a page of consortia (overdue reports, banned members) ask with the page's keys: one statement for
    each number of keys, an empty list asks nothing."""
    year = clock.today().year
    casts = [filed(filed_in=year - 2), filed(filed_in=year - 2), filed()]
    submit_report(casts[1].consortium, casts[1].applicant, year - 2)
    keys = [cast.consortium.pk for cast in casts]

    @Prepared
    def submitted(consortia: list):
        return (AnnualReport.objects.filter(consortium_id__in=consortia, submitted_at__isnull=False)
                .order_by("consortium_id", "year").values_list("consortium_id", "year"))

    for chosen in (keys, keys[:2], keys[1:2], list(reversed(keys))):
        assert submitted(chosen) == list(AnnualReport.objects.filter(consortium_id__in=chosen, submitted_at__isnull=False)
                                         .order_by("consortium_id", "year").values_list("consortium_id", "year"))
    assert submitted(keys) == [(keys[1], year - 2)]
    assert sorted(length for _, length in submitted._compiled) == [(1,), (2,), (3,)]
    assert submitted([]) == []
    assert report_selectors.overdue_map([cast.consortium for cast in casts]) == {keys[0]: [year - 2, year - 1], keys[1]: [year - 1]}


def test_the_review_page_and_the_editor_find_the_申请书_for_exactly_those_the_orm_scope_lets_see_it():
    cast = cast_at(Status.SUBMITTED)
    consortium = cast.consortium
    for user, sees in ((cast.city, True), (cast.district, True), (factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")), False),
                       (cast.applicant, True), (factories.user(Role.APPLICANT), False), (factories.user(Role.APPLICANT, unit=None), False),
                       (factories.user(Role.EXPERT), False)):
        found = review_selectors.review_application(user, consortium.pk)
        assert (found is not None) == sees == Consortium.objects.visible_to(user).filter(pk=consortium.pk).exists(), user.role
        for editor in (False, True):  # the 申请书 editor's read of the application alone, in the same scope
            if sees:
                alone = application_selectors.application_for(user, consortium.pk, editor=editor, whole=False)
                assert fields(alone) == fields(consortium.application) and fields(alone.consortium) == fields(consortium)
            else:
                with pytest.raises(application_selectors.NotFound):
                    application_selectors.application_for(user, consortium.pk, editor=editor, whole=False)
        if sees:
            assert fields(found) == fields(consortium.application)
            assert [v.number for v in found.versions.all()] == [1]
            assert [c.action for c in found.consortium.status_changes.all()] == list(
                consortium.status_changes.values_list("action", flat=True))


def test_a_filed_consortium_and_its_report_are_found_for_exactly_those_the_orm_scope_lets_see_them():
    """evaluations.common.consortium (every page after 备案) and the report's read: a draft report is its lead's alone."""
    cast = filed()
    year = clock.today().year
    reports_services.start_report(cast.consortium.pk, cast.applicant, year)
    pk = cast.consortium.pk
    users = [cast.city, cast.district, factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")),
             cast.applicant, factories.user(Role.APPLICANT), factories.user(Role.EXPERT)]
    for user in users:
        for statuses in (AFTER_FILING, (Status.FILED,), (Status.DRAFT,)):
            expected = Consortium.objects.visible_to(user).filter(pk=pk, status__in=statuses).first()
            found = common.consortium(user, pk, statuses=statuses)
            assert (found and fields(found)) == (expected and fields(expected)), (user.role, statuses)
        expected = AnnualReport.objects.visible_to(user).filter(consortium=cast.consortium, year=year).first()
        found = report_selectors.report(user, cast.consortium, year)
        assert (found and found.pk) == (expected and expected.pk), user.role
    assert report_selectors.report(cast.applicant, cast.consortium, year) is not None
    assert report_selectors.report(cast.city, cast.consortium, year) is None  # not submitted yet


def test_the_workbenches_previews_and_the_lead_rules_are_the_orms():
    """The first rows and counts of the workbenches' previews (values() rows, in each user's scope), a unit's ban and
    the live consortium it leads: prepared, and equal to the ORM's."""
    cast = cast_at(Status.SUBMITTED)
    unit = cast.consortium.lead_unit
    today = clock.today()
    for user in (cast.applicant, cast.district, cast.city, factories.user(Role.APPLICANT)):
        assert application_selectors.registration_of(user) == Registration.objects.visible_to(user).first(), user.role
        orm = dict(Consortium.objects.visible_to(user).values_list("status").annotate(n=Count("id")).order_by())
        assert [(status, n) for status, _label, n in application_selectors.status_counts(user)] == [
            (status, orm.get(status, 0)) for status in Status.values], user.role
        counted = application_selectors.status_counts(user)
        both = dashboard_views.previews_by_status(user, counted, (Status.SUBMITTED, Status.FILED))
        for status in (Status.SUBMITTED, Status.FILED):
            assert both[status]["count"] == dashboard_views.consortia_preview(user, status)["count"]
            assert list(both[status]["table"].rows) == list(dashboard_views.consortia_preview(user, status)["table"].rows)
        for status in (None, Status.SUBMITTED, Status.FILED):
            rows = lists.consortium_rows(user).filter(**({"status": status} if status else {}))
            columns = dashboard_views._preview_columns(user)
            preview = dashboard_views.consortia_preview(user, status)
            assert preview["count"] == rows.count(), (user.role, status)
            expected = listing.table(columns, lists.flagged(rows.values(*listing.keys(columns))[:dashboard_views.PREVIEW_ROWS]))
            assert list(preview["table"].rows) == list(expected.rows)
    assert [c.pk for c in [application_selectors.other_live_consortium(unit)]] == [cast.consortium.pk]
    assert application_selectors.other_live_consortium(unit, excluding=cast.consortium) is None
    assert bans.of_unit(unit) is None
    UnitBan.objects.create(unit=unit, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=30), reason="一")
    last = UnitBan.objects.create(unit=unit, starts_on=today, ends_on=today + timedelta(days=300), reason="二")
    assert bans.of_unit(unit) == last == bans.in_force([unit.credit_code])[unit.credit_code]
    history = [fields(ban) for ban in UnitBan.objects.filter(unit=unit).order_by("-starts_on", "-pk")]
    assert [fields(ban) for ban in sanction_selectors.ban_history(unit)] == history and len(history) == 2
    assert bans.of_unit(unit, today + timedelta(days=300)) is None


def test_the_experts_workbench_lists_their_绩效评价_tasks_as_the_orm_does(client):
    cast = filed()
    year = clock.today().year
    submit_report(cast.consortium, cast.applicant, year)
    grading_services.open_panel(cast.consortium.pk, year, [cast.expert], cast.city)
    other = factories.user(Role.EXPERT)
    for user in (cast.expert, other, cast.city):
        assert ([t.pk for t in dashboard_views._EXPERT_TASKS(user)]
                == [t.pk for t in grading_selectors.expert_tasks(user)[:listing.PAGE_SIZE]]), user.role
    assert len(dashboard_views._EXPERT_TASKS(cast.expert)) == 1
    client.force_login(cast.expert)
    assert cast.consortium.name in client.get("/workbench/expert/").content.decode()
    client.force_login(other)
    assert cast.consortium.name not in client.get("/workbench/expert/").content.decode()


def test_the_work_records_and_report_years_of_the_consortium_page_are_the_orms_for_every_kind_of_user():
    """The bureaus' work records with their follow-ups (none for applicants), and which reports each user may open."""
    cast = filed()
    add_rows(cast, 2025)
    add_rows(cast, 2026)
    reports_services.start_report(cast.consortium.pk, cast.applicant, clock.today().year)  # a draft: the lead's alone
    users = [cast.city, cast.district, factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")),
             cast.applicant, factories.user(Role.APPLICANT), factories.user(Role.EXPERT)]
    consortium = cast.consortium
    seen_records = seen_reports = 0
    for user in users:
        expected = list(WorkRecord.objects.visible_to(user).filter(consortium=consortium).select_related("recorded_by")
                        .prefetch_related("follow_ups__done_by"))
        found = liaison_selectors.work_records(user, consortium)
        assert [fields(record) for record in found] == [fields(record) for record in expected], user.role
        assert [fields(record.recorded_by) for record in found] == [fields(record.recorded_by) for record in expected]
        assert ([[fields(item) for item in record.follow_ups.all()] for record in found]
                == [[fields(item) for item in record.follow_ups.all()] for record in expected])
        readable = set(AnnualReport.objects.visible_to(user).filter(consortium=consortium).values_list("pk", flat=True))
        years = report_selectors.report_years(user, consortium)
        assert {row.report.pk for row in years if row.report} == readable, user.role
        seen_records += len(found)
        seen_reports += len(readable)
    assert seen_records == 4 and seen_reports > 0  # the city and the district each read both visits


def test_a_fields_fixed_choices_are_read_by_one_prepared_query_always_current_and_values_are_still_checked(django_assert_num_queries):
    """fixed_choices(): a form's copy of the field reads its options in one query, the ORM's options in the ORM's order;
    an expert added afterwards is offered at once; a value is checked against the database as before."""
    experts = [factories.user(Role.EXPERT, full_name=name) for name in ("乙专家", "甲专家")]
    factories.user(Role.EXPERT, full_name="停用专家", is_active=False)
    orm = [(str(user.pk), str(user)) for user in User.objects.filter(role=Role.EXPERT, is_active=True)]
    with django_assert_num_queries(1):
        offered = [(str(value), label) for value, label in AddExpertForm().fields["expert"].choices][1:]
    assert offered == orm and len(offered) == 2
    later = factories.user(Role.EXPERT, full_name="新专家")
    with django_assert_num_queries(1):
        html = str(AddExpertForm()["expert"])
    assert all(f'value="{user.pk}"' in html for user in [*experts, later]) and "停用专家" not in html
    form = AddExpertForm({"expert": str(later.pk)})
    assert form.is_valid() and form.cleaned_data["expert"] == later
    later.is_active = False
    later.save()
    refused = AddExpertForm({"expert": str(later.pk)})
    assert not refused.is_valid() and refused.errors["expert"] == ["请选择在册专家。"]
    filtered = refused.fields["expert"].queryset.filter(pk=experts[0].pk)  # a changed queryset reads what it says
    assert list(filtered.iterator()) == [experts[0]]


def test_a_list_of_texts_is_prepared_once_for_each_length_and_the_bans_of_credit_codes_are_the_orms():
    """bans.in_force (the review page's and every submission's check of banned units) takes credit codes."""
    today = clock.today()
    banned, free = factories.unit(), factories.unit()
    UnitBan.objects.create(unit=banned, starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=30), reason="一")
    longest = UnitBan.objects.create(unit=banned, starts_on=today, ends_on=today + timedelta(days=300), reason="二")
    UnitBan.objects.create(unit=free, starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=1), reason="已满")

    def orm(codes, day):
        found = {}
        for ban in UnitBan.objects.active(day).filter(unit__credit_code__in=codes).order_by("-ends_on", "-pk"):
            found.setdefault(ban.unit.credit_code, ban)
        return found

    for codes in ([], [banned.credit_code], [free.credit_code, "91320000MA0000000X", banned.credit_code, banned.credit_code]):
        for day in (today - timedelta(days=5), today, today + timedelta(days=100), today + timedelta(days=301)):
            assert bans.in_force(codes, day) == orm(codes, day), (codes, day)
    assert bans.in_force([free.credit_code, banned.credit_code]) == {banned.credit_code: longest}
    with pytest.raises(TypeError, match="a list of texts"):
        bans._in_force(banned.credit_code, today)  # a text is not a list of texts


def test_the_review_pages_appraisal_record_and_recommendation_are_the_orms_for_every_kind_of_user():
    """The 综合论证 record (entries, their experts' tasks, the scores: three prepared queries handed to their parents) and
    the district's 推荐意见, for the city, the consortium's district, another district, its lead and an expert."""
    cast = cast_at(Status.UNDER_APPRAISAL)
    second = factories.user(Role.EXPERT, full_name="吴研究员")
    entry = RoundEntry.objects.get(consortium=cast.consortium)
    review_services.assign_expert(entry.pk, second, cast.city)
    score(ExpertAssignment.objects.get(entry=entry, expert=cast.expert), 86)
    other = cast_at(Status.UNDER_APPRAISAL)  # another consortium's record is not mixed in
    score(ExpertAssignment.objects.get(entry__consortium=other.consortium), 70)
    users = [cast.city, cast.district, factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")),
             cast.applicant, cast.expert]
    seen = opinions = 0
    for user in users:
        expected = list(RoundEntry.objects.visible_to(user).filter(consortium=cast.consortium).select_related("round", "decided_by")
                        .prefetch_related("assignments__expert", "assignments__scores__criterion").order_by("-round__created_at", "-pk"))
        found = review_selectors.appraisal_record(user, cast.consortium)
        assert [fields(entry) for entry in found] == [fields(entry) for entry in expected], user.role
        for mine, theirs in zip(found, expected):
            assert [(fields(a), fields(a.expert)) for a in mine.assignments.all()] == [
                (fields(a), fields(a.expert)) for a in theirs.assignments.all()]
            assert [sorted((s.criterion.name, s.value) for s in a.scores.all()) for a in mine.assignments.all()] == [
                sorted((s.criterion.name, s.value) for s in a.scores.all()) for a in theirs.assignments.all()]
            seen += sum(len(a.scores.all()) for a in mine.assignments.all())
        orm = RecommendationOpinion.objects.filter(consortium__in=Consortium.objects.visible_to(user), consortium=cast.consortium).first()
        orm = orm if user.role in (Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF) else None  # reviewers' alone
        found_opinion = recommendations.for_consortium(user, cast.consortium.pk)
        assert (found_opinion and found_opinion.pk) == (orm and orm.pk), user.role
        opinions += found_opinion is not None
    assert seen > 0 and opinions == 2  # the city read the scores; the city and the district read the 推荐意见


def test_the_editors_latest_version_and_parts_kept_as_typed_are_the_orms():
    cast = cast_at(Status.RETURNED)  # submitted once, returned: one frozen version
    application = cast.consortium.application
    latest = application_selectors.latest_version(application)
    assert (latest.pk, latest.number) == (application.versions.first().pk, application.versions.first().number) == (latest.pk, 1)
    cast.take("resubmit")
    assert application_selectors.latest_version(application).number == application.versions.count() == 2
    draft = cast_at(Status.DRAFT)
    other = draft.consortium.application
    assert application_selectors.latest_version(other) is None and application_selectors.pending_parts(other) == set()
    services.keep_draft_input(other.pk, "members", draft.applicant, {"form-0-unit_name": ["x"]})
    services.keep_draft_input(other.pk, "basic", draft.applicant, {"name": ["y"]})
    assert application_selectors.pending_parts(other) == set(other.draft_inputs.values_list("part", flat=True)) == {"members", "basic"}
    assert application_selectors.pending_parts(application) == set()


def test_the_fixed_choices_of_a_filter_are_compiled_once_however_often_the_filter_set_is_copied(monkeypatch):
    """django-filter deep-copies its filters, their querysets with them, for each filter set: the prepared query of the
    options is the one shared, compiled by the first page that draws them and never again."""
    compiled = []
    original = Prepared._compile
    monkeypatch.setattr(Prepared, "_compile", lambda self, *args: compiled.append(self) or original(self, *args))
    user = factories.user(Role.MUNICIPAL_STAFF)
    options = [[str(label) for _, label in ConsortiumFilter({}, queryset=lists.consortium_rows(user)).form.fields["industry_field"].choices]
               for _ in range(3)]
    assert options[0] == options[1] == options[2] and len(options[0]) == IndustryField.objects.count() + 1
    assert len(compiled) <= 1  # once in this process (none if an earlier test compiled it)
    assert copy.deepcopy(compiled[0]) is compiled[0] if compiled else True


def test_a_page_of_rows_is_prepared_once_and_gives_the_orms_rows_at_every_offset():
    """An argument annotated slice: ``rows[page]``, the limit and offset sent as parameters."""
    for _ in range(7):
        factories.unit()

    @Prepared
    def units(page: slice):
        return Unit.objects.order_by("name", "pk").values("pk", "name")[page]

    orm = list(Unit.objects.order_by("name", "pk").values("pk", "name"))
    assert len(orm) >= 7
    for start, stop in ((0, 3), (3, 6), (6, 9), (5, 6), (0, 50), (len(orm), len(orm) + 3)):
        assert units(slice(start, stop)) == orm[start:stop], (start, stop)
    assert len(units._compiled) == 1
    for wrong in (slice(3, 3), slice(-1, 2), slice(0, 4, 2), 5):
        with pytest.raises(TypeError, match="a page of rows"):
            units(wrong)

    @Prepared
    def inner_page(page: slice):  # a page inside another query is not its statement's limit
        return Unit.objects.filter(pk__in=Unit.objects.order_by("pk")[page].values("pk"))

    with pytest.raises(ImproperlyConfigured, match="a page of a prepared query is its queryset's last slice"):
        inner_page(slice(0, 2))


def test_the_city_queues_counts_and_pages_are_the_orms_for_every_kind_of_user():
    waiting = [cast_at(Status.DISTRICT_PASSED), cast_at(Status.DISTRICT_PASSED)]
    running = cast_at(Status.UNDER_APPRAISAL)
    users = [running.city, waiting[0].district, factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")),
             waiting[0].applicant, running.expert]
    keys = {"waiting": listing.keys(review_views.WAITING_COLUMNS), "running": listing.keys(review_views.RUNNING_COLUMNS)}
    seen = 0
    for user in users:
        for name, rows, count, page in (("waiting", review_selectors.awaiting_appraisal, review_views._WAITING_COUNT, review_views._WAITING_PAGE),
                                        ("running", review_selectors.entries_in_progress, review_views._RUNNING_COUNT, review_views._RUNNING_PAGE)):
            orm = list(rows(user).values(*keys[name]))
            assert count(user) == len(orm), (user.role, name)
            for start, stop in ((0, 50), (1, 2), (0, 1)):
                assert page(user, slice(start, stop)) == orm[start:stop], (user.role, name, start)
            seen += len(orm)
    assert seen >= 3  # the city sees both waiting and the running one


def test_the_leads_workbench_finds_its_filed_consortium_as_the_orm_does():
    cast = filed()
    other = filed()
    for user in (cast.applicant, other.applicant, cast.city, factories.user(Role.APPLICANT)):
        expected = Consortium.objects.visible_to(user).filter(status=Status.FILED).first()
        found = selectors.lead_summary(user).get("filed_consortium")
        assert (found and found.pk) == (expected and expected.pk), user.role
    assert selectors.lead_summary(cast.applicant)["filed_consortium"].pk == cast.consortium.pk


def test_the_experts_综合论证_tasks_are_counted_and_paged_as_the_orm_does():
    cast = cast_at(Status.UNDER_APPRAISAL)
    second = cast_at(Status.UNDER_APPRAISAL)  # its own expert: not in the first expert's list
    score(ExpertAssignment.objects.get(entry__consortium=cast.consortium), 80)
    for user in (cast.expert, second.expert, cast.city, cast.applicant):
        orm = list(review_selectors.expert_assignments(user).values(*listing.keys(lists.TASK_COLUMNS)))
        assert dashboard_views._TASK_COUNT(user) == len(orm), user.role
        assert dashboard_views._TASK_PAGE(user, slice(0, 50)) == orm, user.role
    assert len(dashboard_views._TASK_PAGE(cast.expert, slice(0, 50))) == 1


def test_the_application_a_save_writes_is_the_orms_row_locked_with_its_consortium_and_lead_unit():
    _, application = complete_application()
    expected = Application.objects.select_related("consortium__lead_unit").get(pk=application.pk)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        found = services._LOCKED(application.pk)
        with CaptureQueriesContext(connection) as related:
            joined = [fields(found[0].consortium), fields(found[0].consortium.lead_unit)]
    assert [fields(found[0])] + joined == [fields(expected), fields(expected.consortium), fields(expected.consortium.lead_unit)]
    assert len(related) == 0  # select_related: no query for the consortium or its lead unit
    assert len(queries) == 1
    assert ("FOR UPDATE" in queries[0]["sql"]) is connection.features.has_select_for_update  # locked on PostgreSQL
    with transaction.atomic():
        assert services._LOCKED(application.pk + 1000) == []
    with transaction.atomic(), pytest.raises(Application.DoesNotExist, match="^Application matching query does not exist.$"):
        services._LOCKED.get(application.pk + 1000)


def test_the_consortium_a_step_changes_is_the_orms_row_locked_with_its_lead_unit():
    consortium = cast_at(Status.SUBMITTED).consortium
    expected = Consortium.objects.select_related("lead_unit").get(pk=consortium.pk)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        found = workflow._LOCKED.get(consortium.pk)
        with CaptureQueriesContext(connection) as related:
            lead = fields(found.lead_unit)
    assert [fields(found), lead] == [fields(expected), fields(expected.lead_unit)]
    assert len(related) == 0 and len(queries) == 1
    assert ("FOR UPDATE" in queries[0]["sql"]) is connection.features.has_select_for_update  # locked on PostgreSQL
    with transaction.atomic(), pytest.raises(Consortium.DoesNotExist):
        workflow._LOCKED.get(consortium.pk + 1000)


def test_the_scope_asked_of_one_consortium_is_the_orms_for_every_kind_of_user():
    draft, submitted = cast_at(Status.DRAFT), cast_at(Status.SUBMITTED)
    users = [submitted.city, submitted.district, factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")),
             submitted.applicant, draft.applicant,
             factories.user(Role.APPLICANT, unit=None), factories.user(Role.EXPERT), factories.user(Role.SYSTEM_ADMIN), AnonymousUser()]
    answers = []
    for user in users:
        for consortium in (draft.consortium, submitted.consortium):
            expected = user.is_authenticated and Consortium.objects.visible_to(user).filter(pk=consortium.pk).exists()
            assert workflow.in_scope(user, consortium.pk) is expected, (user.role if user.is_authenticated else "anonymous", consortium.status)
            answers.append(expected)
    assert answers.count(True) == 4  # the city and the district see the submitted one; each applicant its own
