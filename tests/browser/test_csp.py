"""The Content-Security-Policy blocks nothing the portal itself needs: pages with scripts, the
editor, a confirmation dialog and the Django admin run in a real browser without one violation."""

import pytest

from accounts.roles import Role
from applications.models import Attachment
from tests import factories
from tests.lifecycle import complete_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + location.pathname);
});
"""


def login(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def violations(page):
    return page.evaluate("window.__csp")


def test_the_portal_and_the_admin_run_under_the_policy(new_page):
    applicant, application = complete_application()
    consortium = application.consortium
    page = new_page()
    page.add_init_script(REPORT_VIOLATIONS)
    found = []
    login(page, applicant.username, factories.PASSWORD)
    for path in (f"/applications/{consortium.pk}/edit/members/", f"/applications/{consortium.pk}/edit/attachments/",
                 f"/applications/{consortium.pk}/check/"):
        page.goto(path)
        found += violations(page)
    page.goto(f"/applications/{consortium.pk}/edit/members/")
    page.click("[data-add-row=members]")  # the editor's script adds a row
    assert page.locator("[data-rows=members] [data-row]").count() == 5  # the four members and the new row
    found += violations(page)

    page.goto(f"/applications/{consortium.pk}/edit/attachments/")
    attachments = Attachment.objects.filter(consortium=consortium).count()
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    page.locator("form[data-confirm] button").first.click()  # asks first (the fixture accepts), then deletes
    page.wait_for_load_state()
    assert dialogs == ["确定删除该附件？"]
    assert Attachment.objects.filter(consortium=consortium).count() == attachments - 1
    found += violations(page)

    admin = new_page()
    admin.add_init_script(REPORT_VIOLATIONS)
    sysadmin = factories.user(Role.SYSTEM_ADMIN)
    login(admin, sysadmin.username, factories.PASSWORD)
    for path in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{applicant.pk}/change/",
                 "/admin/accounts/user/add/", "/accounts/lockouts/"):
        admin.goto(path)
        found += violations(admin)
    assert found == []
