"""Bans recorded and lifted by hand (audited, the unit told), and the 科技联络员 and their dashboard."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from applications import services as application_services
from applications.models import UnitBan
from evaluations import audit_actions as evaluations_actions
from evaluations.liaison import services as liaison_services
from evaluations.models import LiaisonAssignment
from evaluations.sanctions import services as sanctions_services
from tests import factories
from tests.evaluations.helpers import filed, this_year
from tests.lifecycle import submit_report

pytestmark = pytest.mark.django_db


def test_staff_record_a_ban_by_hand_and_lift_it_only_with_a_reason(client, django_capture_on_commit_callbacks):
    city = factories.user(Role.MUNICIPAL_STAFF)
    applicant = factories.user(Role.APPLICANT)
    unit = applicant.unit
    client.force_login(city)
    form = {"credit_code": unit.credit_code, "unit_name": "随便写的名称", "unit_kind": "enterprise",
            "reason": "承担市级项目存在严重失信行为", "starts_on": "2026-01-05", "ends_on": "2099-01-05"}
    # A ban recorded by hand lasts at most the 3 years of §六（二）.
    too_long = client.post(reverse("evaluations:ban_new"), form)
    assert too_long.status_code == 200 and not UnitBan.objects.exists()
    assert "限制期最长 3 年（《工作方案》六（二））：截止日期最晚为2029年1月5日。" in too_long.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluations:ban_new"), {**form, "ends_on": "2029-01-05"})
    assert response.status_code == 302
    ban = UnitBan.objects.get()
    unit.refresh_from_db()
    assert (ban.unit, ban.recorded_by, unit.name) == (unit, city, unit.name)  # the registry row is not renamed
    event = AuditEvent.objects.get(action=evaluations_actions.BAN_RECORDED)
    assert event.actor == city and event.detail == f"{unit.name}因承担市级项目存在严重失信行为，自2026年1月5日起、2029年1月5日前不得牵头或参与创新联合体。"
    assert Notification.objects.filter(recipient=applicant, title="限制牵头或参与创新联合体").exists()
    reason = f"{unit.name}因承担市级项目存在严重失信行为，2029年1月5日前不得牵头或参与创新联合体。"
    assert application_services.may_start_application(applicant) == (False, reason)
    # Lifting asks for a reason, then frees the unit from today; the record stays.
    lift = reverse("evaluations:ban_lift", args=[ban.pk])
    assert "解除限制须填写理由。" in client.post(lift, {"reason": ""}).content.decode()
    client.post(lift, {"reason": "经复核，失信行为已纠正。"})
    ban.refresh_from_db()
    assert (ban.lift_proposed_by, ban.lifted_on) == (city, None)  # four-eyes: in force until a second officer confirms
    assert application_services.may_start_application(applicant) == (False, reason)
    second = factories.user(Role.MUNICIPAL_STAFF)
    client.force_login(second)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(lift, {"confirm": "1"})
    ban.refresh_from_db()
    assert ban.lifted_by == second and ban.lift_reason == "经复核，失信行为已纠正。"
    assert application_services.may_start_application(applicant) == (True, "")
    assert AuditEvent.objects.get(action=evaluations_actions.BAN_LIFTED).detail.endswith("理由：经复核，失信行为已纠正。")
    assert Notification.objects.filter(recipient=applicant, title="解除限制牵头或参与创新联合体").exists()
    page = client.get(reverse("evaluations:unit", args=[unit.pk])).content.decode()
    assert "已解除" in page and "经复核，失信行为已纠正。" in page


def test_a_ban_ends_before_it_starts_is_refused_beside_the_field(client):
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    page = client.post(reverse("evaluations:ban_new"), {
        "credit_code": factories.credit_code(), "unit_name": "某企业", "unit_kind": "enterprise", "reason": "原因",
        "starts_on": "2026-05-01", "ends_on": "2026-04-01"}).content.decode()
    assert "截止日期须晚于起始日期。" in page and 'value="某企业"' in page
    assert not UnitBan.objects.exists()


def test_only_staff_record_or_lift_bans():
    applicant = factories.user(Role.APPLICANT)
    with pytest.raises(Exception) as refused:
        sanctions_services.record_ban(applicant, credit_code=applicant.unit.credit_code, unit_name="x", unit_kind="enterprise",
                            reason="r", starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1))
    assert str(refused.value) == "只有市科技局可以记录限制牵头/参与。"


def test_a_liaison_officer_is_assigned_through_the_workflow_and_sees_their_consortia(client, django_capture_on_commit_callbacks):
    year = this_year()
    cast = filed(filed_in=year - 1)
    officer = factories.user(Role.MUNICIPAL_STAFF, full_name="王联络", phone="0511-80000000")
    client.force_login(cast.city)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evaluations:assign_liaison", args=[cast.consortium.pk]), {"officer": officer.pk, "note": ""})
    assert LiaisonAssignment.objects.current().get().officer == officer
    last = cast.consortium.status_changes.last()
    assert (last.action, last.detail) == ("assign_liaison", "科技联络员：王联络（0511-80000000）")
    assert Notification.objects.filter(recipient=officer, title=f"选派为科技联络员：{cast.consortium.name}").exists()
    assert Notification.objects.filter(recipient=cast.applicant, title=f"科技联络员：{cast.consortium.name}").exists()
    # The officer's dashboard: the consortium, its overdue and next due report, last grade, open requests.
    submit_report(cast.consortium, cast.applicant, year - 1)
    cast.take("evaluate", year=year - 1, grade="excellent")
    cast.take("request_member_change")
    client.force_login(officer)
    page = client.get(reverse("evaluations:liaison")).content.decode()
    assert f'data-consortium="{cast.consortium.pk}"' in page
    assert f"{year} 年度未填报（12-31 前报送）" in page and 'data-grade="excellent"' in page and "成员变更" in page
    # Another officer replaces them: the history is kept, the first one no longer lists it.
    other = factories.user(Role.MUNICIPAL_STAFF, full_name="赵联络")
    liaison_services.assign_liaison(cast.consortium.pk, cast.city, other)
    assert LiaisonAssignment.objects.count() == 2 and LiaisonAssignment.objects.current().get().officer == other
    assert f'data-consortium="{cast.consortium.pk}"' not in client.get(reverse("evaluations:liaison")).content.decode()


def test_the_liaison_must_be_municipal_staff():
    cast = filed()
    with pytest.raises(Exception) as refused:
        liaison_services.assign_liaison(cast.consortium.pk, cast.city, cast.district)
    assert refused.value.reasons == ["科技联络员须为市科技局业务处室在职人员。"]
