"""Support projects (§五) with their caps, and dissolution (§六（三））: never while a 市级以上 project is 在研."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from applications import services as application_services
from applications import workflow
from applications.choices import Status
from applications.models import UnitBan
from evaluations import audit_actions as evaluations_actions
from evaluations.dissolution import services as dissolution_services
from evaluations.models import SupportProject
from evaluations.support import services as support_services
from tests.evaluations.helpers import filed

pytestmark = pytest.mark.django_db


def project_post(**fields):
    today = timezone.localdate()
    body = {"name": "关键部件联合攻关", "kind_level": "key_project/municipal", "amount": "200.00",
            "starts_on": today.replace(month=1, day=1).isoformat(), "ends_on": today.replace(year=today.year + 2).isoformat(),
            "status": "ongoing"}
    body.update(fields)
    if "kind" in fields or "level" in fields:
        body["kind_level"] = f"{body.pop('kind', 'key_project')}/{body.pop('level', 'municipal')}"
    return body


def project_data(**fields):
    """What the service takes: the kind and level apart."""
    body = {"name": "关键部件联合攻关", "level": "municipal", "kind": "key_project", "status": "ongoing"}
    body.update(fields)
    return body


@pytest.mark.parametrize("kind, amount, cap", [("key_project", "200", 200), ("open_competition", "100", 100)])
def test_the_caps_hold_in_the_form_and_in_the_database(client, kind, amount, cap):
    cast = filed()
    client.force_login(cast.city)
    url = reverse("evaluations:project_new", args=[cast.consortium.pk])
    over = client.post(url, project_post(kind=kind, amount=f"{amount}.01"))
    assert over.status_code == 200
    assert f"经费支持最高 {cap} 万元，当前填写 {amount}.01 万元。" in over.content.decode()
    assert 'value="' + amount + '.01"' in over.content.decode()  # kept as typed
    assert not SupportProject.objects.exists()
    assert client.post(url, project_post(kind=kind, amount=f"{amount}.00")).status_code == 302
    assert SupportProject.objects.get().amount == Decimal(f"{amount}.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportProject.objects.filter(kind=kind).update(amount=Decimal(f"{amount}.01"))
    assert AuditEvent.objects.filter(action=evaluations_actions.PROJECT_RECORDED).count() == 1


def test_the_lead_sees_its_projects_and_cannot_record_them(client):
    cast = filed()
    support_services.record_project(cast.consortium.pk, cast.city, {**project_data(), "amount": Decimal("150.00"),
                                                           "starts_on": timezone.localdate(), "ends_on": timezone.localdate()})
    client.force_login(cast.applicant)
    page = client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).content.decode()
    assert "关键部件联合攻关" in page and "150.00" in page and "登记项目" not in page
    assert client.get(reverse("evaluations:project_new", args=[cast.consortium.pk])).status_code == 403


def test_dissolution_is_refused_while_a_municipal_project_runs_and_allowed_once_it_is_concluded(client):
    cast = filed()
    project = support_services.record_project(cast.consortium.pk, cast.city, {
        **project_data(), "amount": Decimal("120.00"), "starts_on": timezone.localdate(), "ends_on": timezone.localdate()})
    # The lead's request is refused, naming the project.
    client.force_login(cast.applicant)
    page = client.get(reverse("evaluations:dissolution", args=[cast.consortium.pk])).content.decode()
    reason = "创新联合体承担的市级以上科技计划项目尚在研，不得解散：“关键部件联合攻关”（市级，在研）。"
    assert reason in page and "提交解散申请" not in page
    with pytest.raises(workflow.TransitionError) as refused:
        dissolution_services.request_dissolution(cast.consortium.pk, cast.applicant, "业务调整")
    assert refused.value.reasons == [reason]
    # Concluded: the lead asks, the city records it.
    support_services.change_project(project.pk, cast.city, {**{f: getattr(project, f) for f in support_services.PROJECT_FIELDS}, "status": "concluded"})
    client.post(reverse("evaluations:dissolution", args=[cast.consortium.pk]), {"reason": "主要任务已完成，经全体成员同意申请解散。"})
    client.force_login(cast.city)
    client.post(reverse("evaluations:dissolution", args=[cast.consortium.pk]), {"action": "dissolve", "opinion": "同意解散。"})
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.DISSOLVED
    assert list(cast.consortium.status_changes.values_list("action", flat=True))[-2:] == ["request_dissolution", "dissolve"]
    assert cast.consortium.dissolution_requests.get().status == "filed"
    # No ban: its lead may lead again.
    assert not UnitBan.objects.exists()
    assert application_services.may_start_application(cast.applicant) == (True, "")


def test_a_request_pending_when_a_project_starts_cannot_be_recorded_until_it_ends(client):
    cast = filed()
    dissolution_services.request_dissolution(cast.consortium.pk, cast.applicant, "业务调整")
    support_services.record_project(cast.consortium.pk, cast.city, {
        **project_data(level="provincial", kind="provincial_plan", name="省级重点研发计划项目"), "amount": Decimal("300.00"),
        "starts_on": timezone.localdate(), "ends_on": timezone.localdate()})
    client.force_login(cast.city)
    page = client.post(reverse("evaluations:dissolution", args=[cast.consortium.pk]), {"action": "dissolve", "opinion": "同意"},
                       follow=True).content.decode()
    assert "“省级重点研发计划项目”（省级，在研）" in page
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.FILED
    # The city may return it with an opinion instead.
    client.post(reverse("evaluations:dissolution", args=[cast.consortium.pk]), {"action": "return_dissolution", "opinion": "项目在研，暂不能解散。"})
    assert cast.consortium.dissolution_requests.get().status == "returned"


def test_an_amount_too_large_for_its_column_is_refused_beside_the_field(client):
    cast = filed()
    client.force_login(cast.city)
    page = client.post(reverse("evaluations:project_new", args=[cast.consortium.pk]),
                       project_post(kind="provincial_plan", level="provincial", amount="99999999999.00"))
    assert page.status_code == 200 and "金额过大，请核对单位是否为万元。" in page.content.decode()
    assert not SupportProject.objects.exists()
