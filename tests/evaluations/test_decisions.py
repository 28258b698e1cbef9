"""Every decision after 备案 goes through the one transition engine: a timeline entry, an audit event and a
notice to the lead, written after the decision commits."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from applications import audit_actions as applications_actions
from applications import workflow
from applications.choices import Status
from evaluations.sanctions import services as sanctions_services
from tests.evaluations.helpers import filed, this_year

pytestmark = pytest.mark.django_db

AFTER_FILING = [s for s in workflow.STEPS if s.source == Status.FILED] + [
    s for flow in workflow.flows() if flow.model is not None for s in flow.steps]


def flow_of(action):
    return next(flow for flow in workflow.flows() if action in flow.labels)


def test_every_decision_after_filing_is_in_the_timeline_the_audit_log_and_the_leads_messages(client, django_capture_on_commit_callbacks):
    cast = filed(filed_in=this_year() - 1)
    filed_at = cast.consortium.status_changes.count()
    year = this_year()
    with django_capture_on_commit_callbacks(execute=True):
        for action in ("assign_liaison", "return_member_change", "file_member_change", "return_dissolution"):
            cast.take(action, opinion=f"{action}的意见")  # each after the steps it needs (tests/lifecycle.PREREQUISITES)
        cast.take("evaluate", year=year - 1, grade="unqualified")
        cast.take("evaluate", year=year, grade="qualified")
        cast.take("correct_grade", grade="unqualified", opinion="核实后目标完成率不足，更正为不合格。")  # makes the revocation due
        sanctions_services.revoke(cast.consortium.pk, cast.city, "revoke的意见")
    taken = list(cast.consortium.status_changes.order_by("pk").values_list("action", flat=True))[filed_at:]
    assert taken == ["assign_liaison", "request_member_change", "return_member_change", "request_member_change", "file_member_change",
                     "request_dissolution", "return_dissolution", "evaluate", "evaluate", "correct_grade", "revoke"]
    assert {step.action for step in AFTER_FILING} - set(taken) == {"dissolve"}  # dissolving ends it: tested on its own
    events = list(AuditEvent.objects.filter(action=applications_actions.STATUS_CHANGE).order_by("pk").values_list("detail", flat=True))
    assert [detail.split("：")[0] for detail in events[-len(taken):]] == [workflow.label(action) for action in taken]
    assert "意见：revoke的意见" in events[-1] and "意见：return_member_change的意见" in events[-9]
    # The lead heard of each; the city of what the lead asked.
    titles = set(Notification.objects.filter(recipient=cast.applicant).values_list("title", flat=True))
    name = cast.consortium.name
    assert {f"绩效评价结果：{name}", f"科技联络员：{name}", f"成员变更已提交：{name}", f"成员变更被退回：{name}",
            f"成员变更已备案：{name}", f"解散申请已提交：{name}", f"解散申请被退回：{name}", f"绩效评价结果复核更正：{name}",
            f"取消资格：{name}"} <= titles
    city_titles = set(Notification.objects.filter(recipient=cast.city).values_list("title", flat=True))
    assert {f"待备案：{name}成员变更", f"待办理：{name}解散申请"} <= city_titles
    # The timeline on the consortium page shows each with what it decided.
    client.force_login(cast.applicant)
    page = client.get(reverse("applications:detail", args=[cast.consortium.pk])).content.decode()
    for action in taken:
        assert workflow.label(action) in page
    assert (f"{year} 年度评价结果经复核由“合格”更正为“不合格”（{year - 1}、{year} 年度连续 2 次“不合格”，应依规取消资格）") in page
    assert f"{year - 1}、{year} 年度连续 2 次评价为“不合格”；牵头单位" in page


def test_the_lead_cannot_take_the_citys_decisions_and_the_city_cannot_ask_for_the_lead(client):
    cast = filed()
    cast.take("request_member_change")
    for action, actor in [("file_member_change", cast.applicant), ("assign_liaison", cast.applicant), ("dissolve", cast.applicant),
                          ("request_dissolution", cast.city), ("evaluate", cast.district), ("correct_grade", cast.applicant)]:
        with pytest.raises(workflow.PermissionDenied):
            flow_of(action).transition(cast.consortium.pk, action, actor, opinion="意见")
    client.force_login(cast.applicant)
    assert client.get(reverse("evaluations:grade", args=[cast.consortium.pk, this_year()])).status_code == 403
    assert client.get(reverse("evaluations:revoke", args=[cast.consortium.pk])).status_code == 403
