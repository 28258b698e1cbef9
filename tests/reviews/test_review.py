import io
import re
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Notification
from accounts.roles import Role
from applications import bans, snapshot, workflow
from applications.choices import RegistrationStatus, Status
from applications.models import Application, Consortium, Unit, UnitBan
from operations import clock
from reviews import selectors as review_selectors
from reviews import services
from reviews.models import Criterion, DocumentNumberSequence, ExpertAssignment, RoundEntry
from tests import factories
from tests.lifecycle import cast_at, score

pytestmark = pytest.mark.django_db


def scores(value):
    return {c.pk: Decimal(value) for c in Criterion.objects.filter(is_active=True)}


# --- District 初审 ----------------------------------------------------------------------------


def test_the_district_queue_holds_only_its_own_districts_submitted_applications(client):
    mine = cast_at(Status.SUBMITTED)
    other = cast_at(Status.SUBMITTED, applicant=factories.user(Role.APPLICANT, unit=factories.unit(bureau=factories.district("丹阳市"))))
    client.force_login(mine.district)
    page = client.get(reverse("reviews:district_queue")).content.decode()
    assert mine.consortium.name in page
    assert other.consortium.lead_unit.name not in page
    assert client.get(reverse("reviews:review", args=[other.consortium.pk])).status_code == 404


def test_each_row_of_the_district_queue_offers_a_box_to_tick_only_while_submitted_and_a_refused_batch_keeps_the_ticks(client):
    waiting = cast_at(Status.SUBMITTED)
    passed = cast_at(Status.DISTRICT_PASSED, applicant=factories.user(Role.APPLICANT, unit=factories.unit(bureau=waiting.district.bureau)))
    client.force_login(waiting.district)
    url = reverse("reviews:district_queue")
    page = client.get(url, {"status": ""}).content.decode()
    lead = waiting.consortium.lead_unit
    submitted_at = waiting.consortium.application.versions.get().submitted_at
    assert f'name="selected" value="{waiting.consortium.pk}"' in page
    assert f'name="selected" value="{passed.consortium.pk}"' not in page
    assert f'<a href="{reverse("reviews:review", args=[passed.consortium.pk])}">{passed.consortium.name}</a>' in page
    assert f"<td>{lead.name}</td>" in page and f'<td class="font-monospace small">{lead.credit_code}</td>' in page
    assert "初审通过" in page and clock.localtime(submitted_at).strftime("%Y-%m-%d %H:%M") in page
    refused = client.post(url, {"selected": [waiting.consortium.pk], "opinion": ""}).content.decode()  # no opinion
    assert "请填写意见。" in refused
    assert f'value="{waiting.consortium.pk}" id="sel-{waiting.consortium.pk}" checked' in refused


def test_the_district_queue_as_it_opens_reads_the_rows_its_filter_reads_for_submitted_ones(client):
    """Opened without a query (prepared: reviews.views._SUBMITTED_*), the queue lists what status=submitted lists."""
    mine = [cast_at(Status.SUBMITTED) for _ in range(3)]
    cast_at(Status.DISTRICT_PASSED, applicant=factories.user(Role.APPLICANT, unit=factories.unit(bureau=mine[0].district.bureau)))
    client.force_login(mine[0].district)
    url = reverse("reviews:district_queue")
    opened, asked = client.get(url), client.get(url, {"status": "submitted"})
    assert opened.context["page"].paginator.count == asked.context["page"].paginator.count == 3  # not the one passed
    assert list(opened.context["page"].object_list) == list(asked.context["page"].object_list)
    assert opened.context["queue"].rows == asked.context["queue"].rows


def test_the_city_queue_counts_each_waiting_consortium_once_however_often_it_was_submitted(client):
    """The pager counts the consortia waiting (reviews.selectors.counted), not the latest submission's join through
    every version: a consortium returned and submitted again is one row and one in the count."""
    again = cast_at(Status.SUBMITTED)
    again.take("district_return")
    again.take("resubmit")
    again.take("district_pass")
    once = cast_at(Status.DISTRICT_PASSED, applicant=factories.user(Role.APPLICANT, unit=factories.unit(bureau=factories.district("丹阳市"))))
    cast_at(Status.SUBMITTED)
    assert again.application.versions.count() == 2
    client.force_login(again.city)
    page = client.get(reverse("reviews:city_queue"))
    assert page.context["page"].paginator.count == 2
    assert [row["pk"] for row in page.context["page"].object_list] == [again.consortium.pk, once.consortium.pk]
    assert "初审通过、待组织综合论证的申请（2 个）" in page.content.decode()


def test_the_queue_filters_by_search_field_and_state(client):
    cast = cast_at(Status.SUBMITTED)
    client.force_login(cast.district)
    url = reverse("reviews:district_queue")
    code = cast.consortium.lead_unit.credit_code

    def listed(query):
        return [row["pk"] for row in client.get(url, query).context["page"].object_list]

    assert listed({"q": code.lower()}) == [cast.consortium.pk]
    assert listed({"q": "没有这个名字"}) == []
    assert listed({"status": "filed"}) == []
    field = cast.consortium.industry_field
    assert listed({"industry_field": field.pk, "submitted_from": "2000-01-01"}) == [cast.consortium.pk]


def test_returning_needs_an_opinion_and_the_applicant_sees_it(client):
    cast = cast_at(Status.SUBMITTED)
    client.force_login(cast.district)
    url = reverse("reviews:review", args=[cast.consortium.pk])
    response = client.post(url, {"action": "district_return", "opinion": ""})
    assert response.context["form"].errors["opinion"] == ["请填写意见。"]
    client.post(url, {"action": "district_return", "opinion": "请补充各成员单位的研发投入"})
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.RETURNED
    client.force_login(cast.applicant)
    page = client.get(reverse("applications:detail", args=[cast.consortium.pk])).content.decode()
    assert "请补充各成员单位的研发投入" in page


def test_batch_pass_reports_each_item(client):
    first, second = cast_at(Status.SUBMITTED), None
    second_applicant = factories.user(Role.APPLICANT, unit=factories.unit(bureau=first.applicant.unit.bureau))
    second = cast_at(Status.SUBMITTED, applicant=second_applicant)
    client.force_login(first.district)
    workflow.transition(second.consortium.pk, "district_reject", first.district, opinion="不符合条件")  # meanwhile
    outcomes = services.batch_district_pass([first.consortium.pk, second.consortium.pk], first.district, "同意")
    assert [(o.consortium.pk, o.ok) for o in outcomes] == [(first.consortium.pk, True), (second.consortium.pk, False)]
    assert outcomes[1].message.startswith("该申请当前状态为“初审未通过”")


def test_the_second_of_two_reviewers_sees_that_the_state_changed(client):
    cast = cast_at(Status.SUBMITTED)
    colleague = factories.user(Role.DISTRICT_REVIEWER, bureau=cast.district.bureau)
    url = reverse("reviews:review", args=[cast.consortium.pk])
    client.force_login(cast.district)
    other = type(client)()
    other.force_login(colleague)
    other.get(url)  # both have the page open
    client.post(url, {"action": "district_pass", "opinion": "同意"})
    response = other.post(url, {"action": "district_reject", "opinion": "不同意"}, follow=True)
    assert "该申请当前状态为“初审通过”，无法执行“初审不予通过”，可能已被他人处理，请刷新页面查看最新状态。" in response.content.decode()
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.DISTRICT_PASSED


# --- 综合论证 ---------------------------------------------------------------------------------


def test_an_expert_employed_by_a_member_unit_is_not_assigned():
    cast = cast_at(Status.DISTRICT_PASSED)
    member = cast.consortium.memberships.filter(role="member").first().unit
    insider = factories.user(Role.EXPERT, employer=member.name, full_name="内部专家")
    _, outcomes = services.create_round("第一批", [cast.consortium.pk], [cast.expert, insider], cast.city)
    assert outcomes[0].ok
    assert outcomes[0].message == f"已启动综合论证，分配专家 1 名（内部专家任职于成员单位“{member.name}”，应当回避。）"
    assert list(ExpertAssignment.objects.values_list("expert__full_name", flat=True)) == [cast.expert.full_name]


def test_experts_see_only_their_assignments_and_others_scores_only_after_their_own(client):
    cast = cast_at(Status.DISTRICT_PASSED)
    second = factories.user(Role.EXPERT, employer="南京大学")
    services.create_round("第一批", [cast.consortium.pk], [cast.expert, second], cast.city)
    mine = ExpertAssignment.objects.get(expert=cast.expert)
    theirs = ExpertAssignment.objects.get(expert=second)
    services.submit_scores(theirs.pk, second, scores("90"), "很好")
    client.force_login(cast.expert)
    page = client.get(reverse("reviews:assignment", args=[mine.pk]))
    assert page.context["others"] == []
    assert "提交本人评分后才能查看其他专家的评分。" in page.content.decode()
    assert client.get(reverse("reviews:assignment", args=[theirs.pk])).status_code == 404
    stranger = factories.user(Role.EXPERT)
    client.force_login(stranger)
    assert client.get(reverse("reviews:assignment", args=[mine.pk])).status_code == 404
    client.force_login(cast.expert)
    form = {f"c{pk}": "80" for pk in scores("0")}
    client.post(reverse("reviews:assignment", args=[mine.pk]), {**form, "comment": "可以"})
    page = client.get(reverse("reviews:assignment", args=[mine.pk]))
    assert [a.pk for a in page.context["others"]] == [theirs.pk]
    assert "90.0" in page.content.decode()


def test_scores_are_weighted_and_staff_see_each_expert(client):
    cast = cast_at(Status.DISTRICT_PASSED)
    services.create_round("第一批", [cast.consortium.pk], [cast.expert], cast.city)
    criteria = list(Criterion.objects.filter(is_active=True))
    values = {c.pk: Decimal(100 if i == 0 else 50) for i, c in enumerate(criteria)}  # first criterion weighs 20%
    assignment = services.submit_scores(ExpertAssignment.objects.get().pk, cast.expert, values, "建议备案")
    assert assignment.weighted_total == Decimal("60.0")
    client.force_login(cast.city)
    page = client.get(reverse("reviews:review", args=[cast.consortium.pk])).content.decode()
    assert cast.expert.full_name in page and "加权得分 <strong>60.0</strong>" in page and "建议备案" in page


def test_an_expert_can_declare_a_conflict_and_then_cannot_score(client):
    cast = cast_at(Status.DISTRICT_PASSED)
    services.create_round("第一批", [cast.consortium.pk], [cast.expert], cast.city)
    assignment = ExpertAssignment.objects.get()
    client.force_login(cast.expert)
    response = client.post(reverse("reviews:assignment", args=[assignment.pk]), {"declare_conflict": "1", "reason": ""})
    assert response.context["conflict_form"].errors["reason"] == ["请说明回避理由。"]
    client.post(reverse("reviews:assignment", args=[assignment.pk]), {"declare_conflict": "1", "reason": "曾参与该项目"})
    assignment.refresh_from_db()
    assert (assignment.conflict_declared, assignment.conflict_reason) == (True, "曾参与该项目")
    assert client.get(reverse("reviews:assignment", args=[assignment.pk])).status_code == 404


def test_criteria_weights_must_add_up_to_100(client):
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    page = client.get(reverse("reviews:criteria"))
    formset = page.context["formset"]
    data = {"form-TOTAL_FORMS": str(len(formset.forms)), "form-INITIAL_FORMS": str(len(formset.initial_forms)),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for i, form in enumerate(formset.initial_forms):
        c = form.instance
        data.update({f"form-{i}-id": c.pk, f"form-{i}-name": c.name, f"form-{i}-description": c.description,
                     f"form-{i}-weight": c.weight, f"form-{i}-sort_order": c.sort_order, f"form-{i}-is_active": "on",
                     f"form-{i}-evidence": c.evidence})
    blank = len(formset.initial_forms)  # the blank row, as the browser sends it
    data.update({f"form-{blank}-name": "", f"form-{blank}-description": "", f"form-{blank}-weight": "",
                 f"form-{blank}-sort_order": "0", f"form-{blank}-is_active": "on"})
    data["form-0-weight"] = "30"
    response = client.post(reverse("reviews:criteria"), data)
    assert response.context["formset"].non_form_errors() == ["启用评分项的权重合计应为 100%，当前为 110%。"]
    data["form-1-weight"] = "10"
    assert client.post(reverse("reviews:criteria"), data).status_code == 302
    assert Criterion.objects.get(pk=data["form-0-id"]).weight == 30


# --- 备案 ----------------------------------------------------------------------------------------


def test_filing_names_the_consortium_and_numbers_it(client):
    cast = cast_at(Status.UNDER_APPRAISAL)
    client.force_login(cast.city)
    url = reverse("reviews:review", args=[cast.consortium.pk])
    suggested = client.get(url).context["decision_form"].initial["name"]
    assert suggested == f"镇江测试（{cast.consortium.industry_field.name}）创新联合体"
    response = client.post(url, {"action": "file", "name": "", "opinion": "同意备案"})
    assert response.context["decision_form"].errors["name"] == ["予以备案须填写备案名称。"]
    score(ExpertAssignment.objects.get(expert=cast.expert))
    client.post(url, {"action": "file", "name": suggested, "opinion": "同意备案"})
    cast.consortium.refresh_from_db()
    year = cast.consortium.filed_on.year
    assert (cast.consortium.status, cast.consortium.name, cast.consortium.record_number) == (
        Status.FILED, suggested, f"镇创联备〔{year}〕001号")
    assert RoundEntry.objects.get().decision == "file"
    client.force_login(cast.applicant)
    page = client.get(reverse("applications:detail", args=[cast.consortium.pk])).content.decode()
    assert f"镇创联备〔{year}〕001号" in page
    assert cast.expert.full_name not in page and "加权" not in page  # no expert identities or scores


def test_a_refused_filing_does_not_use_up_a_number():
    cast = cast_at(Status.UNDER_APPRAISAL)
    score(ExpertAssignment.objects.get(expert=cast.expert))
    name = services.suggested_name(cast.consortium)
    with pytest.raises(workflow.TransitionError):
        services.decide(cast.consortium.pk, cast.city, "file", "同意", name=name)  # fine
        services.decide(cast.consortium.pk, cast.city, "file", "同意", name=name)  # already filed
    assert DocumentNumberSequence.objects.get(kind="filing").last == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_filings_get_unique_gapless_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("并发备案编号测试需要 PostgreSQL 的行锁（CI 在 PostgreSQL 上运行）")
    casts = [cast_at(Status.UNDER_APPRAISAL) for _ in range(20)]
    for cast in casts:
        score(ExpertAssignment.objects.get(entry__consortium=cast.consortium))
    barrier = threading.Barrier(20)
    errors = []

    def file(cast):
        try:
            barrier.wait()
            services.decide(cast.consortium.pk, cast.city, "file", "同意", name=services.suggested_name(cast.consortium))
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=file, args=(cast,)) for cast in casts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Consortium.objects.values_list("record_number", flat=True))
    year = Consortium.objects.first().filed_on.year
    assert numbers == [f"镇创联备〔{year}〕{n:03d}号" for n in range(1, 21)]


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_exactly_one_succeeds():
    if connection.vendor != "postgresql":
        pytest.skip("并发办理测试需要 PostgreSQL 的行锁（CI 在 PostgreSQL 上运行）")
    cast = cast_at(Status.SUBMITTED)
    colleague = factories.user(Role.DISTRICT_REVIEWER, bureau=cast.district.bureau)
    barrier = threading.Barrier(2)
    results = []

    def act(actor, action):
        try:
            barrier.wait()
            workflow.transition(cast.consortium.pk, action, actor, opinion="意见")
            results.append("ok")
        except workflow.TransitionError as error:
            results.append(str(error))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=act, args=(cast.district, "district_pass")),
               threading.Thread(target=act, args=(colleague, "district_reject"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r == "ok" for r in results) == [False, True]
    assert cast.consortium.status_changes.filter(from_status=Status.SUBMITTED).count() == 1


@pytest.mark.slow  # renders a PDF or starts a process
def test_the_filing_notice_names_the_consortium_and_its_members_and_only_its_own_unit_downloads_it(client):
    cast = cast_at(Status.FILED)
    cast.consortium.refresh_from_db()
    client.force_login(cast.applicant)
    response = client.get(reverse("reviews:filing_notice", args=[cast.consortium.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.getvalue()))
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())
    assert "创新联合体备案通知书" in text
    assert "".join(cast.consortium.record_number.split()) in text
    assert cast.consortium.name in text
    for membership in cast.consortium.memberships.select_related("unit"):
        assert membership.unit.credit_code in text
    client.force_login(factories.user(Role.APPLICANT))
    assert client.get(reverse("reviews:filing_notice", args=[cast.consortium.pk])).status_code == 404
    waiting = cast_at(Status.UNDER_APPRAISAL)
    client.force_login(waiting.applicant)
    assert client.get(reverse("reviews:filing_notice", args=[waiting.consortium.pk])).status_code == 404


def test_a_bad_date_in_the_queue_filter_is_explained_not_a_500(client):
    cast = cast_at(Status.SUBMITTED)
    client.force_login(cast.district)
    response = client.get(reverse("reviews:district_queue"), {"submitted_from": "2026-13-45"})
    assert response.status_code == 200
    assert "请按“年-月-日”填写日期，如 2026-01-31。" in response.content.decode()


def test_assigned_experts_are_told_after_the_round_starts(django_capture_on_commit_callbacks):
    cast = cast_at(Status.DISTRICT_PASSED)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_round("第一批", [cast.consortium.pk], [cast.expert], cast.city)
    notice = Notification.objects.get(recipient=cast.expert)
    assert notice.title == f"新的评审任务：{cast.consortium.name}"
    assert notice.link == reverse("reviews:assignment", args=[ExpertAssignment.objects.get().pk])


# The session with the user (1: accounts/signed_in.py); the application with its consortium, its versions, its
# timeline (3); the lead's other live consortium, the bans in force and the registry's units (3: the 形式审查 and the
# flags); the 推荐意见 (1); and the city's 综合论证 with its experts and their scores (3) and the experts it may add (1).
# The 申请书 is shown from its frozen version: before, the page read every live row of it as well (22 and 26 queries).
# The first reading of a version in a process reads the contents of the latest two versions as well (1,
# applications.frozen); later ones none.
REVIEW_QUERIES = {"district": 8, "city": 12}


def _without_token(response):
    """A page's HTML without its forms' tokens (CSRF and once_token: new in each response)."""
    return re.sub(r'name="(csrfmiddlewaretoken|once_token)" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize("role, status", [("district", Status.SUBMITTED), ("city", Status.UNDER_APPRAISAL)])
def test_the_review_page_runs_the_same_queries_for_one_or_two_versions(client, django_assert_num_queries, role, status):
    cast = cast_at(status)
    client.force_login(getattr(cast, role))
    url = reverse("reviews:review", args=[cast.consortium.pk])
    with django_assert_num_queries(REVIEW_QUERIES[role] + 1):
        first = client.get(url)
    with django_assert_num_queries(REVIEW_QUERIES[role]):
        assert _without_token(client.get(url)) == _without_token(first)  # the same page from what was kept
    cast.take("city_return" if role == "city" else "district_return")
    cast.take("resubmit")
    if role == "city":
        cast.take("start_appraisal")
    with django_assert_num_queries(REVIEW_QUERIES[role] + 1):
        page = client.get(url)
    assert page.status_code == 200
    assert "与第 1 版相比的修改" in page.content.decode()
    with django_assert_num_queries(REVIEW_QUERIES[role]):
        assert _without_token(client.get(url)) == _without_token(page)


def test_a_申请书_submitted_three_times_is_reviewed_from_the_contents_of_its_latest_two_versions_only(client, django_assert_num_queries):
    cast = cast_at(Status.SUBMITTED)
    for contact in ("第二版联系人", "第三版联系人"):
        cast.take("district_return")
        Application.objects.filter(pk=cast.application.pk).update(contact_person=contact)
        cast.take("resubmit")
    client.force_login(cast.district)
    stored = {v.number: v for v in cast.application.versions.all()}
    with django_assert_num_queries(REVIEW_QUERIES["district"] + 1) as queries:
        page = client.get(reverse("reviews:review", args=[cast.consortium.pk])).content.decode()
    assert "与第 2 版相比的修改" in page and "第三版联系人" in page
    assert all(f"第 {number} 版提交于" in page for number in (1, 2, 3))
    # One query read contents: those of versions 3 and 2, not of the first.
    contents = [q["sql"] for q in queries.captured_queries if '"applications_applicationversion"."content"' in q["sql"]]
    assert len(contents) == 1 and contents[0].endswith(f"IN ({stored[3].pk}, {stored[2].pk})")
    versions = review_selectors.review_application(cast.district, cast.consortium.pk).versions.all()
    assert [v.number for v in versions] == [3, 2, 1]
    assert [v.get_deferred_fields() for v in versions] == [{"content"}] * 3
    assert stored[3].content["application"]["contact_person"] == "第三版联系人"


def test_the_review_page_judges_a_kept_version_with_what_the_database_knows_today(client):
    """What the content alone decides is read once; the bans in force and the registry's units are read each time."""
    cast = cast_at(Status.SUBMITTED)
    client.force_login(cast.district)
    url = reverse("reviews:review", args=[cast.consortium.pk])
    member = cast.consortium.memberships.exclude(unit=cast.consortium.lead_unit).order_by("position").first()
    unit = member.unit
    first = client.get(url).content.decode()  # the version read and kept
    today = clock.today()
    UnitBan.objects.create(unit=unit, starts_on=today, ends_on=today.replace(year=today.year + 3), reason="所牵头联合体被撤销备案")
    Unit.objects.filter(pk=unit.pk).update(name="登记名称已变更的单位", registration_status=RegistrationStatus.APPROVED)
    page = client.get(url).content.decode()
    refusal = bans.refusals([(member.unit_name, unit.credit_code)])
    assert refusal and not any(reason in first for reason in refusal) and all(reason in page for reason in refusal)
    assert "登记名称已变更的单位" not in first
    # The unit registered itself under another name: the member's declared name now disagrees with the registry.
    assert f"申报名称“{member.unit_name}”与该代码的注册名称“登记名称已变更的单位”不一致" in page


def test_the_frozen_application_is_drawn_as_its_template_draws_it_and_a_new_version_anew(client):
    cast = cast_at(Status.SUBMITTED)
    client.force_login(cast.district)
    url = reverse("reviews:review", args=[cast.consortium.pk])
    version = cast.application.versions.get()
    links = snapshot.with_attachment_links(version.content, lambda pk: reverse(
        "applications:version_attachment", args=[cast.consortium.pk, version.number, pk]))
    drawn = render_to_string("applications/_content.html", {"content": links})
    assert drawn in client.get(url).content.decode()
    assert drawn in client.get(url).content.decode()  # drawn once, kept
    cast.take("district_return")
    Application.objects.filter(pk=cast.application.pk).update(contact_person="新的联系人")
    cast.take("resubmit")
    page = client.get(url).content.decode()
    assert "新的联系人" in page and drawn not in page


def test_queue_pages_run_the_same_queries_for_2_or_20_rows(client, django_assert_max_num_queries):
    reviewer = factories.user(Role.DISTRICT_REVIEWER)
    city = factories.user(Role.MUNICIPAL_STAFF)

    def add(n, status):
        for _ in range(n):
            Consortium.objects.filter(pk=factories.consortium().pk).update(status=status)

    def counted(user, url):
        client.force_login(user)
        with django_assert_max_num_queries(40) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    add(2, Status.SUBMITTED)
    add(2, Status.DISTRICT_PASSED)
    few = [counted(reviewer, reverse("reviews:district_queue")), counted(city, reverse("reviews:city_queue")),
           counted(reviewer, reverse("dashboards:district")), counted(city, reverse("dashboards:municipal"))]
    add(18, Status.SUBMITTED)
    add(18, Status.DISTRICT_PASSED)
    many = [counted(reviewer, reverse("reviews:district_queue")), counted(city, reverse("reviews:city_queue")),
            counted(reviewer, reverse("dashboards:district")), counted(city, reverse("dashboards:municipal"))]
    assert many == few
