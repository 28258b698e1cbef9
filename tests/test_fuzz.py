"""Hostile values posted into every form of the portal: never a server error, never a partial write.

The forms are found, not listed: each role's pages are fetched and every ``<form method="post">`` on them is
posted to with its own field names, the values drawn by Hypothesis from all Unicode planes (NUL included),
long strings, negative and huge numbers, markup and broken formset management data. A response that shows the
form again (not a redirect) must leave every domain table as it was: what was typed may be kept for 暂存
(DraftInput), and the audit log, messages and login records may grow, nothing else.
"""

import functools
import re
from html import unescape

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from applications.choices import Status
from applications.models import UnitBan
from candidates import services as candidate_services
from evaluations.grading import services as grading_services
from evaluations.models import PanelAssignment
from evaluations.reports import services as reports_services
from tests import factories
from tests.lifecycle import cast_at, file_earlier, submit_report

pytestmark = pytest.mark.django_db

# Tables a refused form may still write: what was typed (暂存), the audit log, messages, login records, sessions.
MAY_CHANGE = {
    "applications.draftinput", "accounts.auditevent", "accounts.notification", "accounts.outgoingemail",
    "accounts.loginfailure", "sessions.session", "admin.logentry",
}
# …and the columns where a report being written keeps what was typed but did not validate (its 暂存).
# (and an account's last sign-in, which the tests' own logins move).
MAY_CHANGE_COLUMNS = {"evaluations.annualreport": {"pending_input", "updated_at", "updated_by"}, "accounts.user": {"last_login"}}
DOMAIN_APPS = ("accounts", "applications", "candidates", "reviews", "evaluations")

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"', re.I)

HOSTILE_TEXT = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=40),  # every plane, NUL and controls included
    st.sampled_from([
        "\x00", "a\x00b", "<script>alert(1)</script>", "' OR 1=1 --", "\u202e\u0645\u0631\u062d\u0628\u0627", "𠮷𠮷𠮷",
        "-1", "-0.01", "0", "1e309", "NaN", "Infinity", "99999999999999999999999999", "12.345", "9" * 40,
        "2026-02-30", "0000-00-00", "../../etc/passwd", " ", "\r\n", "null", "[]", "{}",
    ]),
)
MANAGEMENT = st.sampled_from(["-1", "0", "1", "2", "1000000", "abc", "\x00", "", "1.5"])


def forms_on(html, page_url):
    """[(action, {field name: sample value})] of the POST forms on a page."""
    found = []
    for attributes, body in FORM.findall(html):
        attrs = dict(ATTRIBUTE.findall(attributes))
        if attrs.get("method", "get").lower() != "post":
            continue
        names = {}
        for _, field in FIELD.findall(body):
            field_attrs = dict(ATTRIBUTE.findall(field))
            if field_attrs.get("name") and field_attrs.get("name") != "csrfmiddlewaretoken":
                names[unescape(field_attrs["name"])] = unescape(field_attrs.get("value", ""))
        found.append((unescape(attrs.get("action") or page_url), names))
    return found


@functools.cache
def _table_reads(vendor):
    """(table, SQL, params) reading every row of every domain table but those a refused form may write, as the
    database stores them: written once (a fingerprint is taken after every post, hundreds of times a test)."""
    reads = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in DOMAIN_APPS and label not in MAY_CHANGE:
            skipped = MAY_CHANGE_COLUMNS.get(label, set())
            columns = [field.attname for field in model._meta.concrete_fields if field.name not in skipped]
            reads.append((label, *model._base_manager.order_by("pk").values_list(*columns).query.sql_with_params()))
    return reads


def fingerprint():
    """Every row of every domain table but those a refused form may write."""
    with connection.cursor() as cursor:
        rows = {}
        for label, sql, params in _table_reads(connection.vendor):
            cursor.execute(sql, params)
            rows[label] = cursor.fetchall()
    return rows


@st.composite
def hostile(draw, names):
    data = {}
    for name, sample in names.items():
        if draw(st.integers(0, 9)) == 0:
            continue  # a field left out altogether
        if name.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")):
            data[name] = draw(st.one_of(st.just(sample), MANAGEMENT))
        else:
            data[name] = draw(st.one_of(HOSTILE_TEXT, st.just(sample)))
    return data


def pages_by_role():
    """Each role's pages with forms, on data in the states where those forms show."""
    draft = cast_at(Status.DRAFT, members=3)
    submitted = cast_at(Status.SUBMITTED)
    appraisal = cast_at(Status.UNDER_APPRAISAL)
    factories.registration(bureau=submitted.district.bureau)
    pk = draft.consortium.pk
    # After 备案: this year's report being written, last year's submitted and scored by an expert, a ban to lift.
    filed = cast_at(Status.FILED)
    year = timezone.localdate().year
    file_earlier(filed.consortium, year - 1)
    reports_services.start_report(filed.consortium.pk, filed.applicant, year)
    submitted_report = submit_report(filed.consortium, filed.applicant, year - 1)
    panel_expert = factories.user(Role.EXPERT, employer="南京大学")
    grading_services.open_panel(submitted_report.consortium_id, submitted_report.year, [panel_expert], filed.city)
    revoked = cast_at(Status.REVOKED)
    fk = filed.consortium.pk
    candidate = candidate_services.add_candidate(submitted.district, {
        "name": "镇江恒顺新材料有限公司", "credit_code": factories.credit_code(), "bureau": submitted.district.bureau,
        "industry_field": factories.industry_field(), "contact_name": "王经理", "contact_phone": "13800000001",
        "contact_email": "wang@example.com", "reason": "行业龙头"})
    return [
        (None, ["/accounts/login/", "/register/", "/accounts/password/reset/"]),
        (draft.applicant, [f"/applications/{pk}/edit/{part}/" for part in ("basic", "members", "foundation", "plan", "organization", "intros", "charter")]
         + [f"/applications/{pk}/edit/attachments/", f"/applications/{pk}/check/", "/accounts/password/change/"]),
        (factories.user(Role.APPLICANT), ["/applications/new/"]),
        (submitted.district, [f"/reviews/{submitted.consortium.pk}/", "/reviews/district/", "/registrations/", "/candidates/new/",
                              f"/candidates/{candidate.pk}/", f"/candidates/{candidate.pk}/edit/", f"/evaluations/{fk}/work/new/"]),
        # the experts before the city: a decision the city's fuzzing happens to take closes an expert's page
        (appraisal.expert, [f"/reviews/assignments/{appraisal.consortium.appraisal_entries.get().assignments.get().pk}/"]),
        (panel_expert, [f"/evaluations/assignments/{PanelAssignment.objects.get(expert=panel_expert).pk}/"]),
        (filed.applicant, [f"/evaluations/{fk}/reports/{year}/", f"/evaluations/{fk}/member-changes/new/", f"/evaluations/{fk}/dissolution/"]),
        (filed.city, [f"/evaluations/{fk}/", f"/evaluations/{fk}/reports/{year - 1}/grade/", f"/evaluations/{fk}/projects/new/",
                      "/evaluations/bans/new/", f"/evaluations/bans/{UnitBan.objects.get(unit=revoked.consortium.lead_unit).pk}/lift/",
                      "/evaluations/criteria/", f"/evaluations/{fk}/revoke/"]),
        (appraisal.city, [f"/reviews/{appraisal.consortium.pk}/", "/reviews/criteria/", "/reviews/city/"]),
        (factories.user(Role.SYSTEM_ADMIN), ["/admin/accounts/user/add/", "/admin/accounts/bureau/add/",
                                             "/admin/applications/industryfield/add/", "/admin/reviews/expertprofile/add/"]),
    ]


def fuzz(client, user, key, names, posted):
    path, action, _ = key
    state = [fingerprint()]

    @settings(max_examples=6, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(hostile(names))
    def post(data):
        response = client.post(action, data)
        assert response.status_code < 500, (path, action, data)
        now = fingerprint()
        if response.status_code not in (301, 302, 303):
            assert now == state[0], (path, action, data)
        state[0] = now  # a redirect may have saved something: the next post is compared with that
        posted[key] += 1
        if user is not None and "_auth_user_id" not in client.session:
            client.force_login(user)  # a form that ended the session (a password change): sign in again

    post()


def test_every_form_refuses_hostile_input_without_a_server_error_or_a_partial_write(client):
    posted = {}
    for user, paths in pages_by_role():
        client.logout()
        if user is not None:
            client.force_login(user)
        for path in paths:
            page = client.get(path)
            assert page.status_code == 200, path
            for action, names in forms_on(page.content.decode(), path):
                if action in ("/accounts/logout/", "/admin/logout/"):
                    continue
                key = (path, action, tuple(sorted(names)))
                posted[key] = 0
                fuzz(client, user, key, names, posted)
    print("FUZZED", len(posted), "forms,", sum(posted.values()), "posts:", sorted((p, a) for p, a, _ in posted))
    assert len(posted) >= 45  # every form the pages offer, not a sample
    assert all(count >= 1 for count in posted.values())


GET_FORM_PAGES = {
    Role.MUNICIPAL_STAFF: ["/overview/consortia/", "/overview/members/", "/overview/units/", "/overview/registrations/",
                           "/overview/appraisals/", "/overview/evaluations/", "/overview/support-projects/", "/overview/statistics/",
                           "/evaluations/", "/reviews/city/"],
    Role.DISTRICT_REVIEWER: ["/reviews/district/", "/overview/consortia/", "/candidates/"],
    Role.AUDIT_ADMIN: ["/accounts/audit/"],
}


def test_every_filter_and_search_refuses_hostile_values_without_a_server_error(client):
    """The lists' GET forms (search, filters, sorting, dates, page numbers) with the same hostile values."""
    cast_at(Status.FILED)
    searched = 0
    for role, paths in GET_FORM_PAGES.items():
        client.force_login(factories.user(role))
        for path in paths:
            page = client.get(path)
            assert page.status_code == 200, path
            names = set()
            for attributes, body in FORM.findall(page.content.decode()):
                if dict(ATTRIBUTE.findall(attributes)).get("method", "get").lower() == "get":
                    names |= {unescape(dict(ATTRIBUTE.findall(field)).get("name", "")) for _, field in FIELD.findall(body)} - {""}
            names |= {"page", "sort"}
            searched += search(client, path, names)
    assert searched >= 13 * 8


def search(client, path, names):
    done = []

    @settings(max_examples=8, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(hostile(dict.fromkeys(sorted(names), "")))
    def get(query):
        response = client.get(path, query)
        assert response.status_code < 500, (path, query)
        done.append(query)

    get()
    return len(done)


def test_the_fingerprint_sees_a_changed_column_and_overlooks_only_what_a_refused_form_may_write():
    unit = factories.unit()
    user = factories.user(Role.APPLICANT)
    before = fingerprint()
    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now())  # the tests' own logins move it
    assert fingerprint() == before
    type(unit).objects.filter(pk=unit.pk).update(name=unit.name + "（改）")
    assert fingerprint() != before


def test_a_megabyte_in_any_text_field_is_refused_beside_it_not_a_server_error(client):
    cast = cast_at(Status.DRAFT)
    client.force_login(cast.applicant)
    megabyte = "长" * (300 * 1024)  # a megabyte of UTF-8, three of it as posted
    for part, field in (("basic", "governance"), ("plan", "plan_foundation"), ("charter", "charter_text")):
        response = client.post(f"/applications/{cast.consortium.pk}/edit/{part}/", {"lock_version": "1", field: megabyte})
        assert response.status_code == 200
        assert "最多" in response.content.decode()
    client.logout()
    response = client.post("/register/", {"name": megabyte, "username": "mega"})
    assert response.status_code == 200 and response.context["form"].errors["name"]


def test_a_post_too_large_for_any_form_is_a_plain_refusal_that_changes_nothing(client):
    cast = cast_at(Status.DRAFT)
    client.force_login(cast.applicant)
    before = fingerprint()
    response = client.post(f"/applications/{cast.consortium.pk}/edit/basic/", {"lock_version": "1", "governance": "长" * (4 * 1024 * 1024)})
    assert response.status_code == 400
    assert "提交的内容过大或格式有误" in response.content.decode()
    assert fingerprint() == before
