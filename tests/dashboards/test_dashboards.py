import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

DASHBOARDS = {
    Role.APPLICANT: "dashboards:applicant",
    Role.DISTRICT_REVIEWER: "dashboards:district",
    Role.MUNICIPAL_STAFF: "dashboards:municipal",
    Role.EXPERT: "dashboards:expert",
    Role.SYSTEM_ADMIN: "dashboards:system_admin",
    Role.AUDIT_ADMIN: "dashboards:audit",
}
TITLES = {
    Role.APPLICANT: "申报单位工作台",
    Role.DISTRICT_REVIEWER: "初审工作台",
    Role.MUNICIPAL_STAFF: "市科技局工作台",
    Role.EXPERT: "评审专家工作台",
    Role.SYSTEM_ADMIN: "系统管理员工作台",
    Role.AUDIT_ADMIN: "安全审计员工作台",
}


@pytest.mark.parametrize("role", list(DASHBOARDS))
def test_each_dashboard_answers_its_role_and_refuses_the_others(client, role):
    url = reverse(DASHBOARDS[role])
    for other in Role:
        client.force_login(factories.user(other))
        response = client.get(url)
        if other == role:
            assert response.status_code == 200
            assert TITLES[role] in response.content.decode()
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("role", list(DASHBOARDS))
def test_anonymous_users_are_sent_to_login(client, role):
    url = reverse(DASHBOARDS[role])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("role", list(DASHBOARDS))
def test_home_sends_each_role_to_its_dashboard(client, role):
    client.force_login(factories.user(role))
    assert client.get("/")["Location"] == reverse(DASHBOARDS[role])


def test_district_dashboard_lists_only_its_own_districts_work(client):
    mine = factories.registration(name="京口待审企业")
    factories.registration(name="丹阳待审企业", bureau=factories.district("丹阳市"))
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    page = client.get(reverse("dashboards:district")).content.decode()
    assert mine.name in page
    assert "丹阳待审企业" not in page


# The session with the user (1: accounts/signed_in.py); the registrations waiting, with how many (1: a window count); the
# count of each status (1: the table's count too); the first consortia awaiting 初审 (1) and their flags (2); the 培育库 by
# status (1); the open follow-ups, with how many (1). 11 before: the registrations, the table and the follow-ups each
# counted apart.
DISTRICT_QUERIES = 8


def test_the_district_workbench_runs_the_same_queries_for_a_few_or_many_rows(client, django_assert_num_queries):
    # Imported here: the bulk helpers and the liaison's records are only for the workbench tests in this module.
    from applications.choices import Status
    from evaluations.liaison import services as liaison_services
    from tests.dashboards import bulk

    reviewer = factories.user(Role.DISTRICT_REVIEWER)
    client.force_login(reviewer)
    today = timezone.localdate()
    total = 0
    for count in (2, 12):
        total += count
        bulk.consortia(count, status=Status.SUBMITTED, name="京口待审")
        for n in range(count):
            factories.registration(name=f"待审企业{count}-{n}")
        for filed in bulk.consortia(count, status=Status.FILED):
            liaison_services.record_work(filed.pk, reviewer, {"kind": "visit", "happened_on": today, "participants": "王审核",
                                                              "agreed": "走访"}, [{"task": "报送中试计划", "due_on": today}])
        with django_assert_num_queries(DISTRICT_QUERIES):
            response = client.get(reverse("dashboards:district"))
        html = response.content.decode()
        shown = min(count, 5)
        assert html.count("京口待审") == shown and html.count("报送中试计划") == shown
        assert (f"待初审的备案申请（{total} 个）" in html, f"待审核的单位注册（{total} 个）" in html,
                f"本辖区创新联合体未完成的跟进事项（{total} 项）" in html) == (True, True, True)


def test_the_municipal_workbench_counts_each_state_and_shows_the_first_five_rows(client):
    # Imported here: the bulk helpers are only for these workbench tests in this module.
    from applications.choices import Status
    from tests.dashboards import bulk

    bulk.consortia(7, status=Status.DISTRICT_PASSED, name="待论证")
    bulk.consortia(2, status=Status.UNDER_APPRAISAL, name="论证中")
    bulk.consortia(4, status=Status.FILED)
    bulk.consortia(3, status=Status.DRAFT)
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    response = client.get(reverse("dashboards:municipal"))
    counts = {label: n for label, n, _ in response.context["counts"]}
    assert (counts["初审通过"], counts["综合论证中"], counts["已备案"], counts["待初审"]) == (7, 2, 4, 0)
    assert "草稿" not in counts
    waiting = response.context["awaiting_appraisal"]
    assert (waiting["count"], len(waiting["table"].rows)) == (7, 5)
    html = response.content.decode()
    assert "初审通过、待组织综合论证（7 个）" in html
    assert html.count("待论证") == 5
    assert f'href="{reverse("dashboards:consortia")}?status=district_passed"' in html


# The session with the user (1: accounts/signed_in.py); the count of each status (1: the two tables' counts too); the
# first rows of both tables (2) and their flags, asked once for both (2); four after-filing counts, and the first
# reports awaiting a grade and revocations due with their counts (6). 19 before: each table counted again and flagged
# on its own, each list counted apart; 13 before the session and the user were read together.
MUNICIPAL_QUERIES = 12


def test_the_municipal_workbench_runs_the_same_queries_for_a_few_or_many_consortia(client, django_assert_num_queries):
    # Imported here: the bulk helpers are only for these workbench tests in this module.
    from applications.choices import Status
    from tests.dashboards import bulk

    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    for count in (2, 12):
        for status in (Status.DISTRICT_PASSED, Status.UNDER_APPRAISAL, Status.FILED):
            bulk.consortia(count, status=status)
        with django_assert_num_queries(MUNICIPAL_QUERIES):
            assert client.get(reverse("dashboards:municipal")).status_code == 200


def test_the_district_workbench_counts_its_own_district_only(client):
    # Imported here: the bulk helpers are only for these workbench tests in this module.
    from applications.choices import Status
    from tests.dashboards import bulk

    bulk.consortia(6, status=Status.SUBMITTED, name="京口待审")
    bulk.consortia(9, status=Status.SUBMITTED, district="丹阳市", name="丹阳待审")
    for _ in range(7):
        factories.registration()
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    response = client.get(reverse("dashboards:district"))
    assert {label: n for label, n, _ in response.context["counts"]}["待初审"] == 6
    assert response.context["registration_count"] == 7
    assert len(response.context["registrations"]) == 5
    html = response.content.decode()
    assert html.count("京口待审") == 5 and "丹阳待审" not in html
    assert "待初审的备案申请（6 个）" in html and "待审核的单位注册（7 个）" in html


def test_the_expert_sees_tasks_still_to_score_first_fifty_a_page(client):
    # Imported here: building 综合论证 rounds is only needed by this test.
    from django.utils import timezone

    from applications.choices import Status
    from reviews.models import AppraisalRound, ExpertAssignment, RoundEntry
    from tests.dashboards import bulk

    expert = factories.user(Role.EXPERT)
    entries = RoundEntry.objects.bulk_create([
        RoundEntry(round=AppraisalRound.objects.create(title="第一批"), consortium=c, version_number=1)
        for c in bulk.consortia(55, status=Status.UNDER_APPRAISAL)
    ])
    ExpertAssignment.objects.bulk_create([
        ExpertAssignment(entry=entry, expert=expert, submitted_at=timezone.now() if n % 2 else None) for n, entry in enumerate(entries)
    ])
    client.force_login(expert)
    response = client.get(reverse("dashboards:expert"))
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list)) == (55, 50)
    assert [row["submitted_at"] is None for row in page.object_list[:28]] == [True] * 28
    assert page.object_list[28]["submitted_at"] is not None
    html = response.content.decode()
    assert (html.count("待评分"), html.count("已评分")) == (28, 22)
    assert f'href="{reverse("reviews:assignment", args=[page.object_list[0]["pk"]])}"' in html
