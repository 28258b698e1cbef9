import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEvent
from accounts.roles import Role
from applications import workflow
from applications.choices import Status
from applications.models import StatusChange
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return factories.user(Role.APPLICANT)


@pytest.fixture
def consortium(applicant):
    return factories.consortium(lead=applicant.unit)


def test_every_step_of_the_table_leads_to_its_target():
    sources = {step.source for step in workflow.STEPS}
    assert Status.DRAFT in sources
    # every status the lifecycle knows is reachable from draft
    reachable, frontier = {Status.DRAFT}, [Status.DRAFT]
    while frontier:
        state = frontier.pop()
        for step in workflow.STEPS:
            if step.source == state and step.target not in reachable:
                reachable.add(step.target)
                frontier.append(step.target)
    assert reachable == set(Status)


def test_submit_then_pass_writes_the_decision_and_the_audit_event(applicant, consortium):
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
    workflow.transition(consortium.pk, "submit", applicant)
    changed = workflow.transition(consortium.pk, "district_pass", reviewer, opinion="同意推荐")
    assert changed.status == Status.DISTRICT_PASSED
    last = StatusChange.objects.filter(consortium=consortium).last()
    assert (last.from_status, last.to_status, last.actor, last.opinion) == (
        Status.SUBMITTED, Status.DISTRICT_PASSED, reviewer, "同意推荐"
    )
    event = AuditEvent.objects.filter(action=AuditEvent.Action.STATUS_CHANGE).first()
    assert event.detail == "初审通过：待初审 → 初审通过；意见：同意推荐"


def test_wrong_state_is_refused_with_the_current_state_named(applicant, consortium):
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
    with pytest.raises(workflow.TransitionError) as error:
        workflow.transition(consortium.pk, "district_pass", reviewer, opinion="同意")
    assert str(error.value).startswith("该申请当前状态为“草稿”，无法执行“初审通过”")


def test_wrong_role_is_refused(applicant, consortium):
    workflow.transition(consortium.pk, "submit", applicant)
    with pytest.raises(PermissionDenied):
        workflow.transition(consortium.pk, "district_pass", factories.user(Role.MUNICIPAL_STAFF), opinion="同意")


def test_a_reviewer_of_another_district_is_refused(applicant, consortium):
    workflow.transition(consortium.pk, "submit", applicant)
    other = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))
    with pytest.raises(PermissionDenied):
        workflow.transition(consortium.pk, "district_pass", other, opinion="同意")
    consortium.refresh_from_db()
    assert consortium.status == Status.SUBMITTED


def test_an_applicant_of_another_unit_cannot_submit(consortium):
    with pytest.raises(PermissionDenied):
        workflow.transition(consortium.pk, "submit", factories.user(Role.APPLICANT))


def test_return_needs_an_opinion(applicant, consortium):
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
    workflow.transition(consortium.pk, "submit", applicant)
    with pytest.raises(workflow.TransitionError) as error:
        workflow.transition(consortium.pk, "district_return", reviewer, opinion="  ")
    assert str(error.value) == "“退回修改”须填写意见。"


def test_a_city_return_comes_back_to_the_city(applicant, consortium):
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
    staff = factories.user(Role.MUNICIPAL_STAFF)
    workflow.transition(consortium.pk, "submit", applicant)
    workflow.transition(consortium.pk, "district_pass", reviewer, opinion="同意")
    workflow.transition(consortium.pk, "start_appraisal", staff)
    workflow.transition(consortium.pk, "city_return", staff, opinion="补充量化指标")
    assert workflow.transition(consortium.pk, "resubmit", applicant).status == Status.DISTRICT_PASSED
