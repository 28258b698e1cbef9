"""What after filing is audited besides the decisions (an annual report opened by the bureaus, a refused step), and
an expert recused when opening a task after their employer joined the consortium."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from applications import audit_actions as applications_actions
from evaluations.grading import services as grading_services
from evaluations.models import PanelAssignment
from tests import factories
from tests.evaluations.helpers import filed, this_year
from tests.lifecycle import submit_report

pytestmark = pytest.mark.django_db


def test_staff_or_a_district_opening_a_submitted_report_is_audited_the_lead_is_not(client):
    year = this_year()
    cast = filed()
    submit_report(cast.consortium, cast.applicant, year)
    url = reverse("evaluations:report", args=[cast.consortium.pk, year])
    for reader in (cast.applicant, cast.city, cast.district):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    opened = AuditEvent.objects.filter(action="report_opened").order_by("id")
    assert [(event.username, event.target) for event in opened] == [
        (reader.username, f"创新联合体 {cast.consortium.pk} {year} 年度报告") for reader in (cast.city, cast.district)]


def test_a_refused_revocation_is_audited_as_refused(client):
    cast = filed()
    client.force_login(cast.city)
    client.post(reverse("evaluations:revoke", args=[cast.consortium.pk]), {"opinion": "取消资格"})
    refused = AuditEvent.objects.filter(action=applications_actions.STATUS_CHANGE, success=False).get()
    assert (refused.username, refused.target) == (cast.city.username, f"创新联合体 {cast.consortium.pk} {cast.consortium.name}")
    assert refused.detail.startswith("未办理：不能“取消资格”：")


def test_an_expert_opening_a_panel_task_after_their_employer_joined_is_recused(client):
    cast = filed()
    submit_report(cast.consortium, cast.applicant, this_year())
    grading_services.open_panel(cast.consortium.pk, this_year(), [cast.expert], cast.city)
    factories.member(cast.consortium, factories.unit(name=cast.expert.employer, kind="university", bureau=None,
                                                     registration_status="unregistered"))
    task = PanelAssignment.objects.get(expert=cast.expert)
    client.force_login(cast.expert)
    response = client.get(reverse("evaluations:assignment", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.conflict_declared is True
    assert factories.user(Role.EXPERT) != cast.expert
