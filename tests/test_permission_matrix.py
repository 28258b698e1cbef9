"""Every URL of the portal × everyone who might ask: the answer each gets, and that a wrong party's post changes nothing.

The matrix below names every URL pattern; a pattern missing from it fails the first test, so a new page
cannot be added without saying who may open it. Expected answers: "login" (sent to the login page),
"ok" (200, or a file), "redirect" (302 elsewhere: the page's own next step), 403 (a role with no business
there), 404 (a role that could, but not this object: no hint that it exists), 405 (a POST-only address).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.roles import Role
from applications.choices import Status
from applications.dossier import jobs
from applications.models import Attachment, UnitBan
from candidates import services as candidate_services
from evaluations.grading import services as grading_services
from evaluations.legacy import services as legacy_services
from evaluations.legacy import workbook as legacy_workbook
from evaluations.liaison import services as liaison_services
from evaluations.models import Evaluation, MemberChange, PanelAssignment
from evaluations.support import services as support_services
from reviews import recommendations
from reviews.models import ExpertAssignment, RecommendationOpinion, RoundEntry
from tests import factories
from tests.lifecycle import cast_at, submit_report
from tests.test_fuzz import fingerprint

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "owner", "other_applicant", "district", "other_district", "city", "expert", "other_expert",
       "system_admin", "audit_admin", "filed_owner", "panel_expert", "liaison"]
# The lead of the filed consortium (the after-filing pages' own) and the expert of its 绩效评价: on the
# application's pages they are just another applicant and another expert. The filed consortium's 科技联络员 is city
# staff like any other, but for the bureaus' work records of that consortium.
SAME_AS = {"filed_owner": "other_applicant", "panel_expert": "other_expert", "liaison": "city"}


def expect(default, **answers):
    table = {who: answers.get(who, default) for who in WHO if who not in SAME_AS}
    return {**table, **{who: answers.get(who, table[like]) for who, like in SAME_AS.items()}}


def after_filing(default, **answers):
    """An after-filing page of the filed consortium: "owner" there is its own lead (filed_owner)."""
    answers.setdefault("owner", answers.get("other_applicant", default))
    return expect(default, **answers)


# Who may open a consortium's pages: its lead's accounts, its district once submitted, the city once submitted.
CONSORTIUM_PAGE = expect(403, anonymous="login", owner="ok", other_applicant=404, district="ok", other_district=404, city="ok")
APPLICANT_ONLY = expect(403, anonymous="login", owner="ok", other_applicant=404)
REVIEWERS_ONLY = expect(403, anonymous="login", district="ok", other_district=404, city="ok")
CITY_ONLY = expect(403, anonymous="login", city="ok")
DISTRICT_ONLY = expect(403, anonymous="login", district="ok", other_district="ok")
SIGNED_IN = expect("ok", anonymous="login")
LIST_ROLES = expect(403, anonymous="login", district="ok", other_district="ok", city="ok")
AFTER_FILING_PAGE = after_filing(403, anonymous="login", other_applicant=404, filed_owner="ok", district="ok", other_district=404,
                                 city="ok")
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
                                     city="ok", filed_owner="ok")),  # the filed consortium's: its lead, its district, the city
    "reviews:appraisal_opinion": (lambda w: {"pk": w["pk"], "entry_id": w["entry"].pk}, CITY_ONLY),  # running: 未定稿
    "reviews:draft_printing": (lambda w: {"pk": w["pk"], "entry_id": w["entry"].pk}, POST_ONLY),
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
    # The overview: lists (each scoped by visible_to: tests/dashboards) and their exports, statistics, the public list.
    **{f"dashboards:{slug}{suffix}": (lambda w: {}, LIST_ROLES) for slug in ("members", "units", "registrations", "evaluations",
                                                                            "support-projects", "support-records", "support-totals")
       for suffix in ("", "_export")},
    **{f"dashboards:consortia{suffix}": (lambda w: {}, expect(403, anonymous="login", owner="ok", other_applicant="ok",
                                                              district="ok", other_district="ok", city="ok"))
       for suffix in ("", "_export")},
    "dashboards:appraisals": (lambda w: {}, CITY_ONLY),
    "dashboards:appraisals_export": (lambda w: {}, CITY_ONLY),
    "dashboards:statistics": (lambda w: {}, LIST_ROLES),
    "dashboards:public": (lambda w: {}, PUBLIC),
    "accounts:audit_log_xlsx": (lambda w: {}, expect(403, anonymous="login", audit_admin="ok")),
    # After 备案, of the filed consortium (its lead is filed_owner; 京口区 is its district too).
    "evaluations:index": (lambda w: {}, expect(403, anonymous="login", district="ok", other_district="ok", city="ok")),
    "evaluations:liaison": (lambda w: {}, CITY_ONLY),
    "evaluations:recommended": (lambda w: {}, expect(403, anonymous="login", district="ok", other_district="ok", city="ok")),
    "evaluations:criteria": (lambda w: {}, CITY_ONLY),
    "evaluations:consortium": (lambda w: {"pk": w["filed_pk"]}, AFTER_FILING_PAGE),
    "evaluations:assign_liaison": (lambda w: {"pk": w["filed_pk"]}, POST_ONLY),
    "evaluations:report": (lambda w: {"pk": w["filed_pk"], "year": w["year"]}, AFTER_FILING_PAGE),
    "evaluations:report_start": (lambda w: {"pk": w["filed_pk"], "year": w["year"]}, POST_ONLY),
    "evaluations:report_submit": (lambda w: {"pk": w["filed_pk"], "year": w["year"]}, POST_ONLY),
    "evaluations:report_pdf": (lambda w: {"pk": w["filed_pk"], "year": w["year"]}, AFTER_FILING_PAGE),
    "evaluations:grade": (lambda w: {"pk": w["filed_pk"], "year": w["year"]}, CITY_ONLY),
    "evaluations:open_panel": (lambda w: {"pk": w["filed_pk"], "year": w["year"]}, POST_ONLY),
    "evaluations:add_panel_expert": (lambda w: {"pk": w["filed_pk"], "year": w["year"]}, POST_ONLY),
    "evaluations:grading_notice": (lambda w: {"pk": w["filed_pk"], "evaluation_id": w["evaluation"].pk}, AFTER_FILING_PAGE),
    "evaluations:third_party_report": (lambda w: {"pk": w["filed_pk"], "evaluation_id": w["evaluation"].pk}, AFTER_FILING_PAGE),
    "evaluations:correct_grade": (lambda w: {"pk": w["filed_pk"], "evaluation_id": w["evaluation"].pk}, CITY_ONLY),
    "evaluations:correction_notice": (lambda w: {"pk": w["filed_pk"], "correction_id": w["correction"].pk}, AFTER_FILING_PAGE),
    "evaluations:recommend": (lambda w: {"pk": w["filed_pk"]}, CITY_ONLY),
    "evaluations:revoke": (lambda w: {"pk": w["filed_pk"]}, CITY_ONLY),
    "evaluations:revocation_notice": (lambda w: {"pk": w["revoked_pk"]},  # another lead's: to filed_owner a stranger's
                                      expect(403, anonymous="login", owner=404, other_applicant=404, district="ok",
                                             other_district=404, city="ok")),
    "evaluations:member_change_new": (lambda w: {"pk": w["filed_pk"]}, after_filing(403, anonymous="login", other_applicant=404, filed_owner="ok")),
    "evaluations:member_change": (lambda w: {"change_id": w["member_change"].pk}, AFTER_FILING_PAGE),
    "evaluations:project_new": (lambda w: {"pk": w["filed_pk"]}, CITY_ONLY),
    "evaluations:project_edit": (lambda w: {"pk": w["filed_pk"], "project_id": w["project"].pk}, CITY_ONLY),
    # support: the city any kind, the consortium's district its own 市区资助 (another district: not found)
    "evaluations:support_new": (lambda w: {"pk": w["filed_pk"]}, expect(403, anonymous="login", district="ok", other_district=404, city="ok")),
    "evaluations:support_edit": (lambda w: {"pk": w["filed_pk"], "record_id": w["district_support"].pk},
                                 expect(403, anonymous="login", district="ok", other_district=404, city="ok")),
    "evaluations:dissolution": (lambda w: {"pk": w["filed_pk"]}, AFTER_FILING_PAGE),
    # the consortia filed before the portal: the system administrator's import
    "evaluations:filed_import": (lambda w: {}, expect(403, anonymous="login", system_admin="ok")),
    "evaluations:filed_import_template": (lambda w: {}, expect(403, anonymous="login", system_admin="ok")),
    "evaluations:filed_import_batch": (lambda w: {"pk": w["filed_import"].pk}, expect(403, anonymous="login", system_admin="ok")),
    "evaluations:assignment": (lambda w: {"pk": w["panel_assignment"].pk},
                               expect(403, anonymous="login", expert=404, other_expert=404, panel_expert="ok")),
    "evaluations:unit": (lambda w: {"pk": w["filed_unit"].pk}, AFTER_FILING_PAGE),
    "evaluations:bans": (lambda w: {}, CITY_ONLY),
    "evaluations:ban_new": (lambda w: {}, CITY_ONLY),
    "evaluations:ban_lift": (lambda w: {"ban_id": w["ban"].pk}, CITY_ONLY),
    # The bureaus' work records on the filed consortium: its district and its 科技联络员 record; other city staff read.
    "evaluations:work_new": (lambda w: {"pk": w["filed_pk"]}, expect(403, anonymous="login", district="ok", other_district=404, liaison="ok")),
    "evaluations:follow_up": (lambda w: {"follow_up_id": w["follow_up"].pk}, POST_ONLY),
    "evaluations:liaison_opinion": (lambda w: {"pk": w["filed_pk"]}, POST_ONLY),
    # The 培育库: a district its own (京口区's candidate), the city all; nobody else.
    "candidates:list": (lambda w: {}, LIST_ROLES),
    "candidates:new": (lambda w: {}, LIST_ROLES),
    "candidates:detail": (lambda w: {"pk": w["candidate"].pk}, REVIEWERS_ONLY),
    "candidates:edit": (lambda w: {"pk": w["candidate"].pk}, REVIEWERS_ONLY),
    **{f"candidates:{name}": (lambda w: {"pk": w["candidate"].pk}, POST_ONLY) for name in ("invite", "drop", "resume", "city_led")},
    # The district's 推荐意见, printed when its 初审 passed: the district and the city (not the applicant).
    "reviews:recommendation": (lambda w: {"pk": w["pk"]}, REVIEWERS_ONLY),
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
    # after filing: last year graded, this year's report with experts scoring it, a member change, a project
    year = timezone.localdate().year
    filed.take("evaluate", years_ago=2, grade="qualified")
    correction = grading_services.correct_grade(filed.consortium.pk, filed.city, filed.consortium.evaluations.get().pk, "excellent",
                                                "复核后更正为优秀。")
    filed.take("evaluate", years_ago=1, grade="excellent")
    report = submit_report(filed.consortium, filed.applicant, year)
    panel_expert = factories.user(Role.EXPERT, employer="南京大学")
    grading_services.open_panel(report.consortium_id, report.year, [panel_expert], filed.city)
    filed.take("request_member_change")
    project = support_services.record_project(filed.consortium.pk, filed.city, {
        "name": "智能电网关键装备", "level": "municipal", "kind": "key_project", "amount": Decimal("150.00"),
        "starts_on": date(year, 1, 1), "ends_on": date(year + 2, 12, 31), "status": "ongoing"})
    district_support = support_services.record_support(filed.consortium.pk, filed.district, {
        "kind": "district_funding", "level": "district", "amount": Decimal("30.00"), "year": year,
        "granting_body": filed.district.bureau.name, "unit": None, "project": None, "note": ""})
    filed_import, _ = legacy_services.dry_run(legacy_workbook.template(), "模板.xlsx", None)
    revoked = cast_at(Status.REVOKED)
    recommendations.run(RecommendationOpinion.objects.get(consortium=cast.consortium).pk)  # its task, queued after commit
    liaison = factories.user(Role.MUNICIPAL_STAFF)
    liaison_services.assign_liaison(filed.consortium.pk, filed.city, liaison)
    record = liaison_services.record_work(filed.consortium.pk, filed.district, {
        "kind": "visit", "happened_on": timezone.localdate(), "participants": "京口区科技局", "agreed": "走访"},
        [{"task": "报送中试计划", "due_on": timezone.localdate()}])
    candidate = candidate_services.add_candidate(cast.district, {
        "name": "镇江恒顺新材料有限公司", "credit_code": factories.credit_code(), "bureau": cast.district.bureau,
        "industry_field": factories.industry_field(), "contact_name": "王经理", "contact_phone": "13800000001",
        "contact_email": "wang@example.com", "reason": "行业龙头"})
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
        "panel_expert": panel_expert,
        "liaison": liaison,
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
        "year": year,
        "evaluation": Evaluation.objects.get(consortium=filed.consortium, year=year - 1),
        "panel_assignment": PanelAssignment.objects.get(expert=panel_expert),
        "member_change": MemberChange.objects.get(consortium=filed.consortium),
        "project": project,
        "district_support": district_support,
        "filed_import": filed_import,
        "revoked_pk": revoked.consortium.pk,
        "ban": UnitBan.objects.get(unit=revoked.consortium.lead_unit),
        "filed_unit": filed.consortium.lead_unit,
        "correction": correction,
        "follow_up": record.follow_ups.get(),
        "candidate": candidate,
    }


def answer(response):
    if response.status_code in (301, 302):
        return "login" if response["Location"].startswith(("/accounts/login/", "/admin/login/")) else "redirect"
    if response.status_code == 200:
        return "ok"
    return response.status_code


def test_every_url_answers_everyone_as_the_matrix_says_and_a_wrong_partys_post_changes_nothing(client, world):
    """One world for both halves: building it is most of the time this takes."""
    assert answers_that_differ(client, world) == []
    assert posts_that_changed_something(client, world) == []
    # and the other side of the refusals: the allowed party's post goes through
    client.force_login(world["people"]["owner"])
    message = world["message"]
    client.post(reverse("accounts:message_read", kwargs={"pk": message.pk}))
    message.refresh_from_db()
    assert message.read_at is not None


def answers_that_differ(client, world):
    wrong = []
    urls = {name: reverse(name.lstrip(":"), kwargs=kwargs_of(world)) for name, (kwargs_of, _) in MATRIX.items()}
    for who in WHO:
        sign_in_as(client, world["people"][who])
        for name, (_, answers) in MATRIX.items():
            if answers[who] == "any":
                continue
            got = answer(client.get(urls[name]))
            if got != answers[who]:
                wrong.append((name, who, answers[who], got))
    return wrong


def sign_in_as(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)


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
    "reviews:draft_printing": (lambda w: {"pk": w["pk"], "entry_id": w["entry"].pk}, {"printing": "none"}, {"city"}),
    "reviews:assignment": (lambda w: {"pk": w["assignment"].pk}, {"declare_conflict": "1", "reason": "回避"}, {"expert"}),
    "reviews:criteria": (lambda w: {}, {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}, {"city"}),
    "dossier:request": (lambda w: {"pk": w["pk"]}, {"copies": "3"}, {"owner", "district", "city"}),
    "accounts:message_read": (lambda w: {"pk": w["message"].pk}, {}, {"owner"}),
    "evaluations:assign_liaison": (lambda w: {"pk": w["filed_pk"]}, {"officer": "city"}, {"city"}),
    "evaluations:report_submit": (lambda w: {"pk": w["filed_pk"], "year": w["year"] - 1}, {}, set()),  # graded: nobody
    "evaluations:open_panel": (lambda w: {"pk": w["filed_pk"], "year": w["year"]}, {"experts": "other_expert"}, {"city"}),
    "evaluations:add_panel_expert": (lambda w: {"pk": w["filed_pk"], "year": w["year"]}, {"expert": "other_expert"}, {"city"}),
    "evaluations:grade": (lambda w: {"pk": w["filed_pk"], "year": w["year"]},
                          {"grade": "unqualified", "basis": "experts", "opinion": "不合格"}, {"city"}),
    "evaluations:revoke": (lambda w: {"pk": w["filed_pk"]}, {"opinion": "取消"}, set()),  # not due: nobody
    "evaluations:correct_grade": (lambda w: {"pk": w["filed_pk"], "evaluation_id": w["evaluation"].pk},
                                  {"grade": "qualified", "opinion": "更正"}, {"city"}),
    "evaluations:recommend": (lambda w: {"pk": w["filed_pk"]}, {"eligible": "yes", "note": "符合条件", "decided_on": "2026-01-01"}, {"city"}),
    "evaluations:project_new": (lambda w: {"pk": w["filed_pk"]}, {"name": "项目", "kind_level": "other/municipal",
                                                                  "amount": "10", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
                                                                  "status": "ongoing"}, {"city"}),
    "evaluations:support_new": (lambda w: {"pk": w["filed_pk"]}, {"kind_level": "district_funding/district", "amount": "10",
                                                                  "year": "2025", "granting_body": "某局"}, {"city", "district"}),
    "evaluations:support_edit": (lambda w: {"pk": w["filed_pk"], "record_id": w["district_support"].pk},
                                 {"kind_level": "district_funding/district", "amount": "11", "year": "2025", "granting_body": "某局"},
                                 {"city", "district"}),
    "evaluations:member_change": (lambda w: {"change_id": w["member_change"].pk}, {"decision": "return", "opinion": "退回"}, {"city"}),
    "evaluations:filed_import_batch": (lambda w: {"pk": w["filed_import"].pk}, {}, {"system_admin"}),
    "evaluations:dissolution": (lambda w: {"pk": w["filed_pk"]}, {"reason": "解散"}, {"filed_owner", "city"}),
    "evaluations:ban_lift": (lambda w: {"ban_id": w["ban"].pk}, {"reason": "解除"}, {"city"}),
    "evaluations:ban_new": (lambda w: {}, {"credit_code": "x", "unit_name": "某", "unit_kind": "enterprise", "reason": "r"}, {"city"}),
    "evaluations:work_new": (lambda w: {"pk": w["filed_pk"]}, {
        "kind": "meeting", "happened_on": "2026-01-05", "participants": "某", "agreed": "某", "follow-TOTAL_FORMS": "0",
        "follow-INITIAL_FORMS": "0"}, {"district", "liaison"}),
    "evaluations:follow_up": (lambda w: {"follow_up_id": w["follow_up"].pk}, {"done": "1"}, {"district", "liaison"}),
    "evaluations:liaison_opinion": (lambda w: {"pk": w["filed_pk"]}, {"about": "evaluation", "subject_id": "2026", "text": "意见"},
                                    {"liaison"}),
    "candidates:new": (lambda w: {}, {"name": "某企业", "credit_code": "91321100MA1XXXXXXX", "bureau": "1", "industry_field": "1",
                                      "contact_name": "某", "contact_phone": "13800000002", "contact_email": "a@example.com",
                                      "reason": "某"}, {"district", "city"}),
    "candidates:edit": (lambda w: {"pk": w["candidate"].pk}, {"name": "改名", "credit_code": "x"}, set()),  # an invalid form: nobody
    "candidates:invite": (lambda w: {"pk": w["candidate"].pk}, {}, {"district", "city"}),
    "candidates:drop": (lambda w: {"pk": w["candidate"].pk}, {"reason": "不再跟进"}, {"district", "city"}),
    "candidates:resume": (lambda w: {"pk": w["candidate"].pk}, {}, {"district", "city"}),
    "candidates:city_led": (lambda w: {"pk": w["candidate"].pk}, {}, {"city"}),
}


def posts_that_changed_something(client, world):
    changed = []
    before = fingerprint()
    for who in WHO:
        sign_in_as(client, world["people"][who])
        for name, (kwargs_of, data, allowed) in POSTS.items():
            if who in allowed or (who == "liaison" and "city" in allowed):  # city staff like any other
                continue
            url = reverse(name, kwargs=kwargs_of(world))
            data = {key: world["people"][value].pk if key in ("expert", "experts", "officer") else value
                    for key, value in data.items()}
            response = client.post(url, data)
            assert response.status_code < 500, (name, who)
            now = fingerprint()
            if now != before:
                changed.append((name, who, response.status_code))
                before = now
    return changed
