"""The navbar's menu and the overview's tabs are drawn in Python (dashboards/templatetags/navigation.py, signed_in_menu and
overview_tabs): each must be the HTML of the template it replaced (kept in tests/dashboards/reference/ as the reference)
for every kind of user, with and without unread messages and a CSRF token, and for every tab that can be this page's."""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, engines
from django.test.html import parse_html

from accounts.roles import Role
from dashboards.navigation import navigation
from dashboards.overview_views import overview_nav
from dashboards.templatetags.navigation import overview_tabs, signed_in_menu
from tests import factories

pytestmark = pytest.mark.django_db

REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "signed_in_menu.html").read_text())


def test_the_menu_is_the_html_of_the_template_it_replaced_for_every_kind_of_user():
    users = [factories.user(Role.APPLICANT, full_name="王<经理>"), factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")),
             factories.user(Role.MUNICIPAL_STAFF), factories.user(Role.EXPERT), factories.user(Role.SYSTEM_ADMIN), AnonymousUser()]
    drawn = 0
    for user in users:
        for unread, token in ((0, "abc123"), (3, "NOTPROVIDED"), (12, None)):
            values = {"user": user, "unread_message_count": unread, "csrf_token": token,
                      "navigation": navigation(user.role if user.is_authenticated else None)}
            theirs = REFERENCE.render(values)
            ours = signed_in_menu(Context(values), values["navigation"])
            assert parse_html(ours) == parse_html(theirs), (user, unread, token)
            drawn += bool(ours)
    assert drawn == 15  # the five signed-in users, three ways each; nothing for the visitor
    applicant = signed_in_menu(Context({"user": users[0], "unread_message_count": 3, "csrf_token": "abc123",
                                        "navigation": navigation(Role.APPLICANT)}), navigation(Role.APPLICANT))
    assert "王&lt;经理&gt;" in applicant and "3<span class=\"visually-hidden\"> 条未读</span>" in applicant
    assert 'name="csrfmiddlewaretoken" value="abc123"' in applicant and users[0].unit.name in applicant


TABS_REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "overview_tabs.html").read_text())


@pytest.mark.parametrize("role", [Role.MUNICIPAL_STAFF, Role.DISTRICT_REVIEWER, Role.APPLICANT, Role.EXPERT])
def test_the_overview_tabs_are_the_html_of_the_template_they_replaced(role):
    user = factories.user(role)
    for active in (None, "consortia", "statistics", "units"):
        tabs = overview_nav(user, active)
        assert overview_tabs(tabs) == TABS_REFERENCE.render({"tabs": tabs}), (role, active)
    odd = [('统计 & <"表">', "/overview/?a=1&b=<2>", True), ("名单", "/overview/consortia/", False)]
    assert overview_tabs(odd) == TABS_REFERENCE.render({"tabs": odd})
    assert 'aria-current="page" href="/overview/?a=1&amp;b=&lt;2&gt;">统计 &amp; &lt;&quot;表&quot;&gt;</a>' in overview_tabs(odd)
    assert overview_tabs([]) == "\n" == TABS_REFERENCE.render({"tabs": []})
