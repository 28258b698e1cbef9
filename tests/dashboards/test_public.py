import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from applications.choices import Status
from tests import factories
from tests.dashboards import bulk
from tests.lifecycle import cast_at

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_filed_and_revoked_consortia_and_nothing_else(client):
    shown = {status: bulk.consortia(1, status=status, name=f"公示{status}")[0] for status in Status.values}
    html = client.get(reverse("dashboards:public")).content.decode()
    for status, consortium in shown.items():
        assert (consortium.name in html) == (status in (Status.FILED, Status.REVOKED)), status
    filed, revoked = shown[Status.FILED], shown[Status.REVOKED]
    for value in (filed.record_number, filed.lead_unit.name, filed.industry_field.name, filed.filed_on.isoformat()):
        assert value in html
    assert html.count("已取消") == 1 + html.count("被取消资格的，标注“已取消”")
    assert revoked.record_number in html
    assert filed.lead_unit.credit_code not in html  # only name, field, lead unit, record number, date and state


def test_the_public_page_needs_no_login_sets_no_cookie_and_may_be_cached(client):
    response = client.get(reverse("dashboards:public"))
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Vary" not in response or "Cookie" not in response["Vary"]
    assert response["Cache-Control"] == "public, max-age=60"
    assert "退出" not in response.content.decode()


def test_a_signed_in_visitor_gets_the_same_cacheable_page_without_their_cookie(client):
    """Issue 19: the session cookie was re-set on the public response, which a shared cache would hand to others."""
    login = client.post(reverse("accounts:login"), {"username": factories.user(Role.EXPERT).username,
                                                   "password": factories.PASSWORD})
    assert settings.SESSION_COOKIE_NAME in login.cookies  # the other way: a page that is not public does set it
    response = client.get(reverse("dashboards:public"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")
    assert "退出" not in response.content.decode()
    assert client.get(reverse("dashboards:home"))["Location"] == "/workbench/expert/"  # still signed in


def test_a_crowd_costs_no_query_and_a_new_filing_appears_at_once(client, django_assert_num_queries,
                                                                  django_capture_on_commit_callbacks):
    bulk.consortia(3)
    url = reverse("dashboards:public")
    client.get(url)
    with django_assert_num_queries(0):
        for _ in range(5):
            assert client.get(url).status_code == 200
    cast = cast_at(Status.UNDER_APPRAISAL)
    with django_capture_on_commit_callbacks(execute=True):
        cast.take("file")
    cast.consortium.refresh_from_db()
    html = client.get(url).content.decode()
    assert cast.consortium.name in html and cast.consortium.record_number in html


@pytest.mark.parametrize(("page", "shown"), [
    ("2", 2), ("abc", 1), ("\x00", 1), ("9" * 30, 1), ("-1", 1),
    # Digits to str.isdigit() that int() refuses (issue 19: "²" answered 500), others int() reads, a number past
    # int()'s 4,300-digit limit.
    ("²", 1), ("①", 1), ("٢", 1), ("0" * 5000 + "2", 1), ("２", 1),
])
def test_odd_page_numbers_show_a_page(client, page, shown):
    bulk.consortia(60)
    response = client.get(reverse("dashboards:public"), {"page": page})
    assert response.status_code == 200
    assert f"第 {shown} / 2 页" in response.content.decode()


def test_the_public_page_costs_the_same_queries_for_10_or_200_filed_consortia(client, django_assert_num_queries):
    from django.core.cache import cache  # here: each count starts from an empty cache

    bulk.consortia(10)
    cache.clear()
    with django_assert_num_queries(2):  # the count and one page of rows
        client.get(reverse("dashboards:public"))
    bulk.consortia(190)
    cache.clear()
    with django_assert_num_queries(2):
        client.get(reverse("dashboards:public"))
