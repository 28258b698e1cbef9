"""§六（一）: the 科技联络员 and the district record visits, meetings and coordination on a filed consortium, with
follow-ups; the consortium page shows them beside the workflow's timeline, applicants never; the liaison's dashboard
lists open follow-ups and consortia not visited for LIAISON_VISIT_INTERVAL_DAYS; the liaison's opinion is asked on
member changes, dissolution and the year's evaluation and shown to the deciding staff."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from evaluations import audit_actions as evaluations_actions
from evaluations.liaison import services as liaison_services
from evaluations.models import FollowUp, LiaisonOpinion, MemberChange, WorkRecord
from tests import factories
from tests.evaluations.helpers import filed, this_year
from tests.lifecycle import submit_report

pytestmark = pytest.mark.django_db


def with_liaison(cast):
    liaison = factories.user(Role.MUNICIPAL_STAFF, full_name="刘联络")
    liaison_services.assign_liaison(cast.consortium.pk, cast.city, liaison)
    return liaison


def visit_post(**overrides):
    today = timezone.localdate()
    data = {"kind": "visit", "happened_on": today.isoformat(), "participants": "市科技局 刘联络；牵头单位 王总",
            "agreed": "中试线 3 月底前投产；联合申报省级项目。",
            "follow-TOTAL_FORMS": "3", "follow-INITIAL_FORMS": "0", "follow-MIN_NUM_FORMS": "0", "follow-MAX_NUM_FORMS": "10",
            "follow-0-task": "协调江苏大学派驻工程师", "follow-0-due_on": (today + timedelta(days=30)).isoformat(),
            "follow-1-task": "", "follow-1-due_on": "", "follow-2-task": "", "follow-2-due_on": ""}
    data.update(overrides)
    return data


def test_the_liaison_records_a_visit_with_a_follow_up_and_the_page_shows_it(client):
    cast = filed()
    liaison = with_liaison(cast)
    client.force_login(liaison)
    response = client.post(reverse("evaluations:work_new", args=[cast.consortium.pk]), visit_post())
    assert response.status_code == 302
    record = WorkRecord.objects.get()
    assert (record.kind, record.recorded_by, record.recorded_as) == ("visit", liaison, "科技联络员")
    assert [(f.task, f.done_on) for f in record.follow_ups.all()] == [("协调江苏大学派驻工程师", None)]
    assert AuditEvent.objects.filter(action=evaluations_actions.WORK_RECORDED, actor=liaison).count() == 1
    page = client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).content.decode()
    assert "走访、会议与协调记录" in page and "中试线 3 月底前投产" in page and "协调江苏大学派驻工程师" in page


def test_the_district_records_too_and_its_bureau_is_named(client):
    cast = filed()
    client.force_login(cast.district)
    client.post(reverse("evaluations:work_new", args=[cast.consortium.pk]), visit_post(kind="meeting"))
    assert WorkRecord.objects.get().recorded_as == "京口区科学技术局"


def test_bad_input_is_said_beside_each_field_and_nothing_typed_is_lost(client):
    cast = filed()
    client.force_login(cast.district)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(reverse("evaluations:work_new", args=[cast.consortium.pk]),
                           visit_post(participants="", **{"follow-0-due_on": "", "follow-1-due_on": tomorrow}))
    assert response.status_code == 200
    assert response.context["form"].errors == {"participants": ["请填写参加人员。"]}
    assert [form.errors for form in response.context["follow_ups"]] == [
        {"due_on": ["请填写该跟进事项的完成期限。"]}, {"task": ["请填写跟进事项，或清空完成期限。"]}, {}]
    assert "中试线 3 月底前投产" in response.content.decode() and "协调江苏大学派驻工程师" in response.content.decode()
    response = client.post(reverse("evaluations:work_new", args=[cast.consortium.pk]), visit_post(happened_on=tomorrow))
    assert response.context["form"].errors == {"happened_on": ["日期不能晚于今天。"]}
    assert WorkRecord.objects.count() == 0


def test_only_the_liaison_and_the_district_record_applicants_never_see_the_notes(client):
    cast = filed()
    with_liaison(cast)
    liaison_services.record_work(cast.consortium.pk, cast.district, {
        "kind": "coordination", "happened_on": timezone.localdate(), "participants": "京口区科技局", "agreed": "协调用地"}, [])
    url = reverse("evaluations:work_new", args=[cast.consortium.pk])
    client.force_login(cast.city)  # city staff, not its liaison: reads, does not record
    assert client.get(url).status_code == 403
    page = client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).content.decode()
    assert "协调用地" in page and url not in page
    client.force_login(cast.applicant)
    assert client.get(url).status_code == 403
    page = client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).content.decode()
    assert "协调用地" not in page and "走访、会议与协调记录" not in page
    client.force_login(factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")))
    assert client.get(url).status_code == 404
    assert WorkRecord.objects.visible_to(cast.applicant).count() == 0


def test_a_follow_up_is_marked_done_and_undone_by_those_who_record(client):
    cast = filed()
    record = liaison_services.record_work(cast.consortium.pk, cast.district, {
        "kind": "visit", "happened_on": timezone.localdate(), "participants": "京口区科技局", "agreed": "走访"},
        [{"task": "报送中试计划", "due_on": timezone.localdate()}])
    item = record.follow_ups.get()
    url = reverse("evaluations:follow_up", args=[item.pk])
    client.force_login(cast.applicant)
    assert client.post(url, {"done": "1"}).status_code == 403
    client.force_login(cast.city)  # not the liaison
    client.post(url, {"done": "1"})
    item.refresh_from_db()
    assert item.done_on is None
    client.force_login(cast.district)
    client.post(url, {"done": "1"})
    item.refresh_from_db()
    assert (item.done_on, item.done_by) == (timezone.localdate(), cast.district)
    client.post(url, {"done": "0"})
    item.refresh_from_db()
    assert item.done_on is None


def test_the_liaison_dashboard_lists_open_follow_ups_and_consortia_not_visited(client, settings):
    settings.LIAISON_VISIT_INTERVAL_DAYS = 30
    visited, forgotten, never = filed(), filed(filed_in=this_year() - 1), filed(filed_in=this_year() - 1)
    liaison = factories.user(Role.MUNICIPAL_STAFF)
    for cast in (visited, forgotten, never):
        liaison_services.assign_liaison(cast.consortium.pk, cast.city, liaison)
    today = timezone.localdate()
    liaison_services.record_work(visited.consortium.pk, liaison, {
        "kind": "visit", "happened_on": today, "participants": "刘联络", "agreed": "走访"},
        [{"task": "逾期的事项", "due_on": today - timedelta(days=3)}, {"task": "未到期的事项", "due_on": today + timedelta(days=3)}])
    liaison_services.record_work(forgotten.consortium.pk, liaison, {
        "kind": "visit", "happened_on": today - timedelta(days=45), "participants": "刘联络", "agreed": "走访"}, [])
    FollowUp.objects.filter(task="未到期的事项").update(done_on=today)
    client.force_login(liaison)
    response = client.get(reverse("evaluations:liaison"))
    page = response.content.decode()
    assert [item.task for item in response.context["follow_ups"]] == ["逾期的事项"]
    assert "逾期" in page
    assert [(row["pk"], row["days"]) for row in response.context["unvisited"]] == [
        (never.consortium.pk, (today - never.consortium.filed_on).days), (forgotten.consortium.pk, 45)]  # never visited first
    assert "超过 30 天未走访（2 个）" in page
    # another liaison's dashboard shows none of them
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    response = client.get(reverse("evaluations:liaison"))
    assert (response.context["follow_ups"], response.context["unvisited"]) == ([], [])


# The session with the user (1); the liaison's consortia counted (1), a page of them (1) and their reports (1); the open
# follow-ups with how many (1: a window count) and the consortia not visited with how many (1). 8 before: both lists
# counted apart.
LIAISON_QUERIES = 6


def test_the_dashboards_queries_do_not_grow_with_the_records(client):
    cast = filed()
    liaison = with_liaison(cast)
    client.force_login(liaison)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("evaluations:liaison"))
    today = timezone.localdate()
    for n in range(5):
        liaison_services.record_work(cast.consortium.pk, liaison, {
            "kind": "visit", "happened_on": today, "participants": "刘联络", "agreed": f"第{n}次"},
            [{"task": f"事项{n}", "due_on": today}])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("evaluations:liaison"))
    assert len(few) == len(many) == LIAISON_QUERIES
    with CaptureQueriesContext(connection) as page_queries:
        client.get(reverse("evaluations:consortium", args=[cast.consortium.pk]))
    liaison_services.record_work(cast.consortium.pk, liaison, {
        "kind": "visit", "happened_on": today, "participants": "刘联络", "agreed": "再一次"}, [{"task": "再一项", "due_on": today}])
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("evaluations:consortium", args=[cast.consortium.pk]))
    assert len(more) == len(page_queries)


def test_the_liaison_is_asked_for_an_opinion_on_a_member_change_and_the_city_reads_it(client, django_capture_on_commit_callbacks):
    cast = filed()
    liaison = with_liaison(cast)
    with django_capture_on_commit_callbacks(execute=True):
        cast.take("request_member_change")
    change = MemberChange.objects.get(consortium=cast.consortium)
    assert Notification.objects.filter(recipient=liaison, title=f"请填写联络员意见：{cast.consortium.name}成员变更申请").exists()
    page_url = reverse("evaluations:member_change", args=[change.pk])
    client.force_login(liaison)
    assert "请科技联络员填写意见（选填）" in client.get(page_url).content.decode()
    client.post(reverse("evaluations:liaison_opinion", args=[cast.consortium.pk]),
                {"about": "member_change", "subject_id": change.pk, "text": "新增单位与攻关方向契合，建议备案。", "next": page_url})
    assert LiaisonOpinion.objects.get().text == "新增单位与攻关方向契合，建议备案。"
    client.force_login(cast.city)
    page = client.get(page_url).content.decode()
    assert "新增单位与攻关方向契合，建议备案。" in page and "请科技联络员填写意见" not in page
    client.force_login(cast.applicant)
    assert "新增单位与攻关方向契合" not in client.get(page_url).content.decode()
    # only the liaison writes one
    client.force_login(cast.city)
    client.post(reverse("evaluations:liaison_opinion", args=[cast.consortium.pk]),
                {"about": "member_change", "subject_id": change.pk, "text": "冒名意见"})
    assert LiaisonOpinion.objects.count() == 1


def test_the_liaison_opinion_on_the_years_evaluation_is_on_the_grading_page(client):
    cast = filed()
    liaison = with_liaison(cast)
    year = this_year()
    submit_report(cast.consortium, cast.applicant, year)
    liaison_services.write_opinion(cast.consortium.pk, liaison, "evaluation", year, "全年走访 4 次，运行良好。")
    client.force_login(cast.city)
    assert "全年走访 4 次，运行良好。" in client.get(reverse("evaluations:grade", args=[cast.consortium.pk, year])).content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"about": "member_change", "subject_id": "9" * 25, "text": "意见"}, "事项编号无效。"),
    ({"about": "nothing", "subject_id": "1", "text": "意见"}, "事项无效。"),
    ({"about": "evaluation", "subject_id": "2026", "text": "  "}, "请填写意见。"),
])
def test_a_bad_opinion_post_is_told_not_a_server_error(client, data, message):
    cast = filed()
    liaison = with_liaison(cast)
    client.force_login(liaison)
    response = client.post(reverse("evaluations:liaison_opinion", args=[cast.consortium.pk]), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert LiaisonOpinion.objects.count() == 0


def test_the_district_workbench_shows_its_candidates_and_its_open_follow_ups(client):
    cast = filed()
    liaison_services.record_work(cast.consortium.pk, cast.district, {
        "kind": "visit", "happened_on": timezone.localdate(), "participants": "京口区科技局", "agreed": "走访"},
        [{"task": "报送中试计划", "due_on": timezone.localdate() - timedelta(days=1)}])
    client.force_login(cast.district)
    page = client.get(reverse("dashboards:district")).content.decode()
    assert "本辖区创新联合体未完成的跟进事项（1 项）" in page and "报送中试计划" in page and "逾期" in page
    assert "牵头单位培育库" in page
    client.force_login(factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")))
    page = client.get(reverse("dashboards:district")).content.decode()
    assert "本辖区创新联合体未完成的跟进事项（0 项）" in page and "报送中试计划" not in page
