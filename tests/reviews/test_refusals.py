"""A staff step the workflow refuses for a reason is in the audit log, with success=False (issue 19)."""

import pytest
from django.urls import reverse

from accounts import audit_actions as accounts_actions
from accounts.models import AuditEvent
from accounts.roles import Role
from applications import audit_actions as applications_actions
from applications.choices import Status
from reviews import services
from reviews.models import ExpertAssignment, RoundEntry
from tests import factories
from tests.lifecycle import cast_at, score

pytestmark = pytest.mark.django_db


def status_events(consortium):
    return list(AuditEvent.objects.filter(action=applications_actions.STATUS_CHANGE, target=f"创新联合体 {consortium.pk} {consortium.name}")
                .order_by("id").values_list("username", "success", "detail"))


def test_a_decision_refused_for_a_missing_score_is_audited_as_refused(client):
    cast = cast_at(Status.UNDER_APPRAISAL)
    second = factories.user(Role.EXPERT, full_name="吴研究员", employer="南京工业大学")
    services.assign_expert(RoundEntry.objects.get(consortium=cast.consortium).pk, second, cast.city)
    score(ExpertAssignment.objects.get(entry__consortium=cast.consortium, expert=cast.expert), 86)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    client.force_login(cast.city)
    response = client.post(reverse("reviews:review", args=[cast.consortium.pk]),
                           {"action": "not_file", "opinion": "不予备案"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["不能“不予备案”：以下专家尚未提交评分：吴研究员。"]
    refused = AuditEvent.objects.filter(pk__gt=before, action=applications_actions.STATUS_CHANGE).get()
    assert (refused.username, refused.role, refused.success, refused.ip) == (cast.city.username, Role.MUNICIPAL_STAFF, False, "127.0.0.1")
    assert refused.target == f"创新联合体 {cast.consortium.pk} {cast.consortium.name}"
    assert refused.detail == "未办理：不能“不予备案”：以下专家尚未提交评分：吴研究员。"

    # The other way: once every expert scored, the same step is taken and audited as done, not refused.
    score(ExpertAssignment.objects.get(entry__consortium=cast.consortium, expert=second), 70)
    client.post(reverse("reviews:review", args=[cast.consortium.pk]), {"action": "not_file", "opinion": "不予备案"})
    assert [success for _, success, _ in status_events(cast.consortium)][-2:] == [False, True]
    assert not AuditEvent.objects.filter(action=accounts_actions.ACCESS_DENIED).exists()


def test_a_batch_pass_audits_each_item_it_could_not_pass(client):
    waiting, already = cast_at(Status.SUBMITTED), cast_at(Status.SUBMITTED)
    services.district_review(already.consortium.pk, already.district, "district_pass", "同意")
    client.force_login(waiting.district)
    client.post(reverse("reviews:district_queue"), {"selected": [waiting.consortium.pk, already.consortium.pk], "opinion": "同意"})
    assert status_events(waiting.consortium)[-1][1:] == (True, "初审通过：待初审 → 初审通过；意见：同意")
    username, success, detail = status_events(already.consortium)[-1]
    assert (username, success) == (waiting.district.username, False)
    assert detail.startswith("未办理：该申请当前状态为“初审通过”，无法执行“初审通过”")
