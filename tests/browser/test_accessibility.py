"""Every kind of page, as each role sees it, with axe-core: no serious or critical WCAG 2.1 AA violation."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from applications.choices import Status
from candidates import services as candidate_services
from evaluations.liaison import services as liaison_services
from evaluations.reports import services as reports_services
from tests import factories
from tests.browser.accessibility import load_axe, serious_violations
from tests.lifecycle import cast_at, file_earlier, submit_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pages_of_every_role_have_no_serious_accessibility_violation(new_page, live_server):
    cast = cast_at(Status.UNDER_APPRAISAL)
    consortium = cast.consortium
    draft = cast_at(Status.DRAFT, members=3)  # short of the 原则上 four: the 情况说明 form shows
    filed = cast_at(Status.FILED)
    year = timezone.localdate().year
    file_earlier(filed.consortium, year - 2)  # the report of year - 2 never came: overdue, graded on that ground
    submit_report(filed.consortium, filed.applicant, year - 1)
    reports_services.start_report(filed.consortium.pk, filed.applicant, year)
    fk = filed.consortium.pk
    liaison = factories.user(Role.MUNICIPAL_STAFF)
    liaison_services.assign_liaison(fk, filed.city, liaison)
    liaison_services.record_work(fk, liaison, {"kind": "visit", "happened_on": timezone.localdate(), "participants": "王联络",
                                               "agreed": "走访"}, [{"task": "报送中试计划", "due_on": timezone.localdate()}])
    candidate = candidate_services.add_candidate(cast.district, {
        "name": "镇江恒顺新材料有限公司", "credit_code": factories.credit_code(), "bureau": cast.district.bureau,
        "industry_field": factories.industry_field(), "contact_name": "王经理", "contact_phone": "13800000001",
        "contact_email": "wang@example.com", "reason": "行业龙头"})
    found = {}

    def check(page, path):
        page.goto(path)
        page.wait_for_load_state()
        violations = serious_violations(page)
        if violations:
            found[path] = violations

    def opened(user=None):
        """A new browser with axe in each page; signed in as ``user`` through the login view itself (the test client
        posts the form and its cookies — the session, the sign-in and the device — go to the browser; the login page
        itself is checked above), not by loading the login page and the home page once more in the browser."""
        page = new_page()
        load_axe(page.context)
        if user is not None:
            client = Client()
            assert client.post("/accounts/login/", {"username": user.username, "password": factories.PASSWORD}).status_code == 302
            host = urlsplit(live_server.url).hostname
            page.context.add_cookies([{"name": name, "value": cookie.value, "domain": host, "path": cookie["path"] or "/",
                                       "httpOnly": bool(cookie["httponly"])} for name, cookie in client.cookies.items()])
        return page

    anonymous = opened()
    for path in ("/", "/accounts/login/", "/register/", "/verify/", "/accounts/password/reset/", "/public/"):
        check(anonymous, path)

    pages = {
        draft.applicant: ["/workbench/applicant/", f"/applications/{draft.consortium.pk}/"]
        + [f"/applications/{draft.consortium.pk}/edit/{part}/" for part in ("basic", "members", "foundation", "plan", "organization", "intros", "charter")]
        + [f"/applications/{draft.consortium.pk}/edit/attachments/", f"/applications/{draft.consortium.pk}/check/", "/accounts/messages/"],
        cast.district: ["/workbench/district/", "/reviews/district/", "/registrations/", "/candidates/", "/candidates/new/",
                        f"/candidates/{candidate.pk}/", f"/candidates/{candidate.pk}/edit/"],
        liaison: ["/evaluations/liaison/", f"/evaluations/{fk}/", f"/evaluations/{fk}/work/new/"],
        cast.city: ["/workbench/municipal/", "/reviews/city/", f"/reviews/{consortium.pk}/", "/reviews/criteria/",
                    "/overview/consortia/", "/overview/members/?sort=-consortium__name", "/overview/statistics/",
                    "/overview/appraisals/", "/evaluations/", "/evaluations/recommended/", "/evaluations/bans/", "/evaluations/criteria/",
                    f"/evaluations/{fk}/", f"/evaluations/{fk}/reports/{year - 1}/grade/", f"/evaluations/{fk}/reports/{year - 2}/grade/", f"/evaluations/{fk}/projects/new/",
                    f"/evaluations/units/{filed.consortium.lead_unit.pk}/"],
        filed.applicant: [f"/evaluations/{fk}/", f"/evaluations/{fk}/reports/{year}/", f"/evaluations/{fk}/member-changes/new/",
                          f"/evaluations/{fk}/dissolution/"],
        cast.expert: ["/workbench/expert/"],
        factories.user(Role.SYSTEM_ADMIN): ["/workbench/system/", "/admin/"],
        factories.user(Role.AUDIT_ADMIN): ["/workbench/audit/", "/accounts/audit/"],
    }
    for user, paths in pages.items():
        page = opened(user)
        for path in paths:
            check(page, path)
    for path, violations in found.items():
        print("VIOLATION", path, violations)
    assert found == {}
