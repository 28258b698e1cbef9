"""Lifting a ban takes two officers (三员, issue 19): the first proposes with a reason, a different one confirms;
both are audited, and the ban stays in force until the confirmation."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from applications import services as application_services
from applications.models import UnitBan
from evaluations import audit_actions as evaluations_actions
from evaluations.sanctions import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ban():
    applicant = factories.user(Role.APPLICANT)
    today = timezone.localdate()
    found = UnitBan.objects.create(unit=applicant.unit, starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=700),
                                   reason="承担市级项目存在严重失信行为")
    found.applicant = applicant
    return found


def officers():
    return factories.user(Role.MUNICIPAL_STAFF, full_name="李处长"), factories.user(Role.MUNICIPAL_STAFF, full_name="王联络")


def test_a_second_officer_confirms_a_lift_and_only_then_the_unit_is_free(client, ban, django_capture_on_commit_callbacks):
    first, second = officers()
    url = reverse("evaluations:ban_lift", args=[ban.pk])
    client.force_login(first)
    assert "解除限制须填写理由。" in client.post(url, {"reason": ""}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        proposed = client.post(url, {"reason": "经复核，失信行为已纠正。"}, follow=True)
    assert "已提出解除" in proposed.content.decode()
    ban.refresh_from_db()
    assert (ban.lifted_on, ban.lift_proposed_by, ban.lift_proposed_reason) == (None, first, "经复核，失信行为已纠正。")
    assert ban.in_force()  # still in force
    assert application_services.may_start_application(ban.applicant)[0] is False
    event = AuditEvent.objects.get(action=evaluations_actions.BAN_LIFT_PROPOSED)
    assert (event.actor, event.detail) == (first, "提出解除“承担市级项目存在严重失信行为”的限制，须另一名工作人员确认后生效；理由：经复核，失信行为已纠正。")
    assert Notification.objects.get(recipient=second).title == f"待确认：解除{ban.unit.name}的限制"
    assert not Notification.objects.filter(recipient=first).exists()

    # The proposer cannot confirm their own proposal: the page offers no button, a forged post is refused.
    page = client.get(url).content.decode()
    assert "您是提出人，须由另一名工作人员确认。" in page and 'name="confirm"' not in page
    refused = client.post(url, {"confirm": "1"}, follow=True)
    assert [str(m) for m in refused.context["messages"]] == ["解除限制须由另一名工作人员确认，提出人不能自己确认。"]
    ban.refresh_from_db()
    assert ban.lifted_on is None and not AuditEvent.objects.filter(action=evaluations_actions.BAN_LIFTED).exists()

    client.force_login(second)
    assert 'name="confirm"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "1"})
    ban.refresh_from_db()
    assert (ban.lifted_on, ban.lifted_by, ban.lift_reason) == (timezone.localdate(), second, "经复核，失信行为已纠正。")
    assert application_services.may_start_application(ban.applicant) == (True, "")
    lifted = AuditEvent.objects.get(action=evaluations_actions.BAN_LIFTED)
    assert lifted.actor == second
    assert lifted.detail.endswith("；李处长提出，王联络确认；理由：经复核，失信行为已纠正。")
    assert Notification.objects.filter(recipient=ban.applicant, title="解除限制牵头或参与创新联合体").exists()


def test_a_proposal_can_be_withdrawn_and_the_ban_holds(client, ban):
    first, second = officers()
    services.lift_ban(ban.pk, first, "误操作")
    client.force_login(second)
    client.post(reverse("evaluations:ban_lift", args=[ban.pk]), {"withdraw": "1"})
    ban.refresh_from_db()
    assert (ban.lift_proposed_by, ban.lifted_on, ban.in_force()) == (None, None, True)
    assert AuditEvent.objects.get(action=evaluations_actions.BAN_LIFT_WITHDRAWN).detail == "撤回李处长提出的解除申请，限制继续有效。"
    with pytest.raises(ValidationError) as refused:
        services.confirm_lift(ban.pk, second)
    assert refused.value.messages == ["该限制没有待确认的解除申请。"]


def test_a_second_proposal_waits_for_the_first(ban):
    first, second = officers()
    services.lift_ban(ban.pk, first, "理由一")
    with pytest.raises(ValidationError) as refused:
        services.lift_ban(ban.pk, second, "理由二")
    assert refused.value.messages == ["李处长已提出解除该限制，等待另一名工作人员确认。"]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.DISTRICT_REVIEWER, Role.EXPERT, Role.SYSTEM_ADMIN])
def test_only_municipal_officers_propose_or_confirm(ban, role):
    outsider = factories.user(role)
    with pytest.raises(PermissionDenied):
        services.lift_ban(ban.pk, outsider, "理由")
    first, _ = officers()
    services.lift_ban(ban.pk, first, "理由")
    with pytest.raises(PermissionDenied) as refused:
        services.confirm_lift(ban.pk, outsider)
    assert str(refused.value) == "只有市科技局可以确认解除限制。"
    ban.refresh_from_db()
    assert ban.lifted_on is None
