"""The navbar (dashboards/navigation.py): each role's links, reversed once per process, under any script prefix."""

import re

import pytest
from django.template import loader
from django.urls import set_script_prefix

from accounts.roles import Role
from dashboards.navigation import navigation
from dashboards.overview_views import overview_nav
from tests import factories

pytestmark = pytest.mark.django_db

NAVBAR = re.compile(r'<li class="nav-item"><a class="nav-link" href="([^"]+)">([^<]+)</a></li>')
MESSAGES = "/accounts/messages/"


def navbar(client, user):
    client.force_login(user)
    page = client.get(MESSAGES).content.decode()
    start = page.index('<ul class="navbar-nav me-auto">')
    return NAVBAR.findall(page[start:page.index("</ul>", start)])


def test_each_role_sees_its_own_links_with_their_addresses(client):
    assert navbar(client, factories.user(Role.DISTRICT_REVIEWER)) == [
        ("/", "工作台"), ("/reviews/district/", "初审"), ("/registrations/", "注册审核"), ("/candidates/", "培育库"),
        ("/evaluations/", "运行管理"), ("/overview/consortia/", "名单"), ("/overview/statistics/", "统计"),
    ]
    assert navbar(client, factories.user(Role.MUNICIPAL_STAFF)) == [
        ("/", "工作台"), ("/reviews/city/", "综合论证"), ("/reviews/criteria/", "评分项"), ("/candidates/", "培育库"),
        ("/evaluations/", "运行管理"), ("/overview/consortia/", "名单"), ("/overview/statistics/", "统计"),
    ]
    assert navbar(client, factories.user(Role.APPLICANT)) == [("/", "工作台")]
    assert navbar(client, factories.user(Role.AUDIT_ADMIN)) == [("/", "工作台"), ("/accounts/audit/", "审计日志")]


def test_the_addresses_follow_the_prefix_the_portal_is_served_under():
    set_script_prefix("/portal/")
    try:
        served_under_a_prefix = navigation(Role.APPLICANT)
    finally:
        set_script_prefix("/")
    assert (served_under_a_prefix.password_change, served_under_a_prefix.links) == ("/portal/accounts/password/change/", [("工作台", "/portal/")])
    assert (navigation(Role.APPLICANT).password_change, navigation(Role.APPLICANT).links) == ("/accounts/password/change/", [("工作台", "/")])


def test_the_overviews_tabs_are_each_roles_own_with_the_page_marked_under_any_prefix():
    district, applicant = factories.user(Role.DISTRICT_REVIEWER), factories.user(Role.APPLICANT)
    assert overview_nav(applicant, "consortia") == [("创新联合体名单", "/overview/consortia/", True)]
    set_script_prefix("/portal/")
    try:
        under_a_prefix = overview_nav(district, "statistics")
    finally:
        set_script_prefix("/")
    assert under_a_prefix[0] == ("创新联合体名单", "/portal/overview/consortia/", False)
    assert under_a_prefix[-1] == ("统计", "/portal/overview/statistics/", True)
    assert overview_nav(district)[-1] == ("统计", "/overview/statistics/", False)
    assert [title for title, _, _ in overview_nav(district)] == [
        "创新联合体名单", "成员单位名单", "单位名录", "单位注册记录", "绩效评价结果", "承担科技项目", "支持记录", "各创新联合体获得支持", "统计"]


def test_a_page_rendered_without_a_request_still_links_home_and_to_the_public_list():
    page = loader.get_template("400.html").render()  # as Django's handler400 renders it: no request, no user
    assert '<a class="navbar-brand" href="/">' in page and 'href="/public/"' in page
    assert NAVBAR.findall(page) == []
