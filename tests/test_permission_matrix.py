"""Every URL of the portal × everyone who might ask: the answer each gets, and that a wrong party's post changes nothing.

The matrix below names every URL pattern; a pattern missing from it fails the first test, so a new page
cannot be added without saying who may open it. Expected answers: "login" (sent to the login page),
"ok" (200, or a file), "redirect" (302 elsewhere: the page's own next step), 403 (a role with no business
there), 404 (a role that could, but not this object: no hint that it exists), 405 (a POST-only address).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Notification
from accounts.roles import Role
from applications.choices import Status
from applications.dossier import jobs
from applications.models import Attachment
from reviews.models import ExpertAssignment, RoundEntry
from tests import factories
from tests.lifecycle import cast_at, score
from tests.test_fuzz import fingerprint

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "owner", "other_applicant", "district", "other_district", "city", "expert", "other_expert",
       "system_admin", "audit_admin"]


def expect(default, **answers):
    return {who: answers.get(who, default) for who in WHO}


# Who may open a consortium's pages: its lead's accounts, its district once submitted, the city once submitted.
CONSORTIUM_PAGE = expect(403, anonymous="login", owner="ok", other_applicant=404, district="ok", other_district=404, city="ok")
APPLICANT_ONLY = expect(403, anonymous="login", owner="ok", other_applicant=404)
REVIEWERS_ONLY = expect(403, anonymous="login", district="ok", other_district=404, city="ok")
CITY_ONLY = expect(403, anonymous="login", city="ok")
DISTRICT_ONLY = expect(403, anonymous="login", district="ok", other_district="ok")
SIGNED_IN = expect("ok", anonymous="login")
PUBLIC = expect("ok")
POST_ONLY = expect(405)

# url name: (kwargs from the world, answers to GET)
MATRIX = {
    "accounts:login": (lambda w: {}, expect("redirect", anonymous="ok")),
    "accounts:logout": (lambda w: {}, POST_ONLY),
    "accounts:password_change": (lambda w: {}, SIGNED_IN),
    "accounts:password_change_done": (lambda w: {}, SIGNED_IN),
    "accounts:password_reset": (lambda w: {}, PUBLIC),
    "accounts:password_reset_done": (lambda w: {}, PUBLIC),
    "accounts:password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "set-password"}, PUBLIC),  # an invalid link: a page saying so
    "accounts:password_reset_complete": (lambda w: {}, PUBLIC),
    "accounts:lockouts": (lambda w: {}, expect(403, anonymous="login", system_admin="ok")),
    "accounts:audit_log": (lambda w: {}, expect(403, anonymous="login", audit_admin="ok")),
    "accounts:audit_log_export": (lambda w: {}, expect(403, anonymous="login", audit_admin="ok")),
    "accounts:messages": (lambda w: {}, SIGNED_IN),
    "accounts:message_read": (lambda w: {"pk": w["message"].pk}, expect(405, anonymous="login")),
    "accounts:message_read_all": (lambda w: {}, expect(405, anonymous="login")),
    "applications:register": (lambda w: {}, expect("redirect", anonymous="ok")),
    "applications:registration_resubmit": (lambda w: {}, expect(403, anonymous="login", owner="redirect", other_applicant="redirect")),
    "applications:registration_queue": (lambda w: {}, DISTRICT_ONLY),
    "applications:registration_decide": (lambda w: {"pk": w["registration"].pk}, POST_ONLY),
    "applications:start": (lambda w: {}, expect(403, anonymous="login", owner="ok", other_applicant="ok")),
    "applications:detail": (lambda w: {"pk": w["pk"]}, CONSORTIUM_PAGE),
    "applications:attachments": (lambda w: {"pk": w["pk"]}, APPLICANT_ONLY),
    "applications:remove_attachment": (lambda w: {"pk": w["pk"], "attachment_id": w["attachment"].pk}, POST_ONLY),
    "applications:edit": (lambda w: {"pk": w["pk"], "part": "basic"}, APPLICANT_ONLY),
    "applications:readiness": (lambda w: {"pk": w["pk"]}, APPLICANT_ONLY),
    "applications:statement": (lambda w: {"pk": w["pk"]}, POST_ONLY),
    "applications:submit": (lambda w: {"pk": w["pk"]}, POST_ONLY),
    "applications:versions": (lambda w: {"pk": w["pk"]}, CONSORTIUM_PAGE),
    "applications:version_attachment": (lambda w: {"pk": w["pk"], "number": 1, "attachment_id": w["attachment"].pk}, CONSORTIUM_PAGE),
    "applications:attachment": (lambda w: {"attachment_id": w["attachment"].pk}, CONSORTIUM_PAGE),
    "dossier:request": (lambda w: {"pk": w["pk"]}, POST_ONLY),
    "dossier:progress": (lambda w: {"pk": w["pk"], "render_id": w["render"].pk},
                         expect(404, anonymous="login", owner="ok", district="ok", city="ok")),
    "dossier:download": (lambda w: {"pk": w["pk"], "render_id": w["render"].pk},
                         expect(404, anonymous="login", owner="ok", district="ok", city="ok")),
    "dossier:verify_form": (lambda w: {}, PUBLIC),
    "dossier:verify": (lambda w: {"code": w["code"]}, PUBLIC),
    "reviews:district_queue": (lambda w: {}, DISTRICT_ONLY),
    "reviews:city_queue": (lambda w: {}, CITY_ONLY),
    "reviews:criteria": (lambda w: {}, CITY_ONLY),
    "reviews:add_expert": (lambda w: {"entry_id": w["entry"].pk}, POST_ONLY),
    "reviews:assignment": (lambda w: {"pk": w["assignment"].pk}, expect(403, anonymous="login", expert="ok", other_expert=404)),
    "reviews:assignment_attachment": (lambda w: {"pk": w["assignment"].pk, "attachment_id": w["attachment"].pk},
                                      expect(403, anonymous="login", expert="ok", other_expert=404)),
    "reviews:review": (lambda w: {"pk": w["pk"]}, REVIEWERS_ONLY),
    "reviews:filing_notice": (lambda w: {"pk": w["filed_pk"]},
                              expect(403, anonymous="login", owner=404, other_applicant=404, district="ok", other_district=404,
                                     city="ok")),  # the filed consortium's: its district (京口区 too) and the city
    "reviews:appraisal_opinion": (lambda w: {"pk": w["pk"], "entry_id": w["entry"].pk}, CITY_ONLY),
    "dashboards:home": (lambda w: {}, expect("redirect", anonymous="ok")),
    "dashboards:applicant": (lambda w: {}, expect(403, anonymous="login", owner="ok", other_applicant="ok")),
    "dashboards:district": (lambda w: {}, DISTRICT_ONLY),
    "dashboards:municipal": (lambda w: {}, CITY_ONLY),
    "dashboards:expert": (lambda w: {}, expect(403, anonymous="login", expert="ok", other_expert="ok")),
    "dashboards:system_admin": (lambda w: {}, expect(403, anonymous="login", system_admin="ok")),
    "dashboards:audit": (lambda w: {}, expect(403, anonymous="login", audit_admin="ok")),
    ":healthz": (lambda w: {}, expect("any")),  # the load balancer's; its answer depends on the worker, never on who asks
    # The Django admin: only the system administrator gets in; everyone else goes to the portal's login.
    "admin:index": (lambda w: {}, expect("login", system_admin="ok")),
}


def url_names():
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    names.add("admin:index")
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace or ''}:{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_url_pattern_is_in_the_matrix():
    assert url_names() - set(MATRIX) == set()
    assert set(MATRIX) - url_names() == set()


@pytest.fixture
def world():
    """A consortium under 综合论证 (submitted version 1, attachments, an assigned expert, a printed dossier)
    led from 京口区, a filed one, a pending registration, and everyone who might ask."""
    cast = cast_at(Status.UNDER_APPRAISAL)
    filed = cast_at(Status.FILED)
    entry = RoundEntry.objects.get(consortium=cast.consortium)
    render = jobs.request(cast.application, cast.city, copies=1, site_url="https://kjj.example.gov.cn")
    people = {
        "anonymous": None,
        "owner": cast.applicant,
        "other_applicant": factories.user(Role.APPLICANT),
        "district": cast.district,
        "other_district": factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")),
        "city": cast.city,
        "expert": cast.expert,
        "other_expert": factories.user(Role.EXPERT),
        "system_admin": factories.user(Role.SYSTEM_ADMIN),
        "audit_admin": factories.user(Role.AUDIT_ADMIN),
        "filed_owner": filed.applicant,
    }
    return {
        "people": people,
        "pk": cast.consortium.pk,
        "filed_pk": filed.consortium.pk,
        "attachment": Attachment.objects.filter(consortium=cast.consortium).first(),
        "entry": entry,
        "assignment": ExpertAssignment.objects.get(entry=entry, expert=cast.expert),
        "render": render,
        "code": cast.application.versions.get().sha256[:16],
        "registration": factories.registration(bureau=cast.district.bureau),
        "message": Notification.objects.create(recipient=cast.applicant, title="测试消息", body="正文"),
        "cast": cast,
    }


def answer(response):
    if response.status_code in (301, 302):
        return "login" if response["Location"].startswith(("/accounts/login/", "/admin/login/")) else "redirect"
    if response.status_code == 200:
        return "ok"
    return response.status_code


def test_every_url_answers_everyone_as_the_matrix_says(client, world):
    wrong = []
    for name, (kwargs_of, answers) in MATRIX.items():
        url = reverse(name.lstrip(":"), kwargs=kwargs_of(world))
        for who in WHO:
            if answers[who] == "any":
                continue
            client.logout()
            if world["people"][who] is not None:
                client.force_login(world["people"][who])
            got = answer(client.get(url))
            if got != answers[who]:
                wrong.append((name, who, answers[who], got))
    # the filed consortium's notice: its own lead downloads it
    client.force_login(world["people"]["filed_owner"])
    assert answer(client.get(reverse("reviews:filing_notice", kwargs={"pk": world["filed_pk"]}))) == "ok"
    assert wrong == []


# Posts that change something, and who alone may make them; everyone else is refused and nothing changes.
POSTS = {
    "applications:edit": (lambda w: {"pk": w["pk"], "part": "basic"}, {"governance": "改写"}, set()),  # submitted: nobody edits
    "applications:statement": (lambda w: {"pk": w["pk"]}, {"shortfall_statement": "说明"}, set()),
    "applications:submit": (lambda w: {"pk": w["pk"]}, {}, set()),
    "applications:remove_attachment": (lambda w: {"pk": w["pk"], "attachment_id": w["attachment"].pk}, {}, set()),
    "applications:attachments": (lambda w: {"pk": w["pk"]}, {"kind": "license"}, set()),
    "applications:registration_decide": (lambda w: {"pk": w["registration"].pk}, {"decision": "approve"}, {"district"}),
    "reviews:review": (lambda w: {"pk": w["pk"]}, {"action": "city_return", "opinion": "退回"}, {"city"}),
    "reviews:add_expert": (lambda w: {"entry_id": w["entry"].pk}, {"expert": "other_expert"}, {"city"}),
    "reviews:assignment": (lambda w: {"pk": w["assignment"].pk}, {"declare_conflict": "1", "reason": "回避"}, {"expert"}),
    "reviews:criteria": (lambda w: {}, {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}, {"city"}),
    "dossier:request": (lambda w: {"pk": w["pk"]}, {"copies": "3"}, {"owner", "district", "city"}),
    "accounts:message_read": (lambda w: {"pk": w["message"].pk}, {}, {"owner"}),
}


def test_a_wrong_partys_post_changes_nothing(client, world):
    changed = []
    for name, (kwargs_of, data, allowed) in POSTS.items():
        url = reverse(name, kwargs=kwargs_of(world))
        if data.get("expert") == "other_expert":
            data = {**data, "expert": world["people"]["other_expert"].pk}
        for who in WHO:
            if who in allowed:
                continue
            client.logout()
            if world["people"][who] is not None:
                client.force_login(world["people"][who])
            before = fingerprint()
            response = client.post(url, data)
            assert response.status_code < 500, (name, who)
            if fingerprint() != before:
                changed.append((name, who, response.status_code))
    assert changed == []


def test_the_owners_own_post_does_change_what_the_matrix_lets_it(client, world):
    """The other side of the refusals above: the allowed party's same post goes through."""
    client.force_login(world["people"]["owner"])
    message = world["message"]
    client.post(reverse("accounts:message_read", kwargs={"pk": message.pk}))
    message.refresh_from_db()
    assert message.read_at is not None
    client.force_login(world["people"]["expert"])
    score(world["assignment"])
    world["assignment"].refresh_from_db()
    assert world["assignment"].submitted_at is not None
