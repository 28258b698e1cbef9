import pytest
from django.urls import reverse

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


def test_dashboard_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    reviewer = factories.user(Role.DISTRICT_REVIEWER)
    client.force_login(reviewer)
    for _ in range(3):
        factories.registration()
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("dashboards:district"))
    for _ in range(15):
        factories.registration()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("dashboards:district"))
