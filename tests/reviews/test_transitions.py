import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from applications import workflow
from applications.choices import Status
from tests import factories
from tests.lifecycle import cast_at

pytestmark = pytest.mark.django_db
STEPS = [pytest.param(step, id=f"{step.source}-{step.action}") for step in workflow.STEPS]


@pytest.mark.parametrize("step", STEPS)
def test_every_allowed_transition_reaches_its_state(step):
    cast = cast_at(step.source)
    cast.take(step.action)  # through the service each page uses
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == step.target
    last = cast.consortium.status_changes.last()
    assert (last.action, last.from_status, last.to_status) == (step.action, step.source, step.target)


@pytest.mark.parametrize("step", STEPS)
def test_every_other_role_is_refused(step):
    cast = cast_at(step.source)
    for role in Role:
        if role in step.roles:
            continue
        with pytest.raises(PermissionDenied):
            workflow.transition(cast.consortium.pk, step.action, factories.user(role), opinion="意见")
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == step.source


@pytest.mark.parametrize("step", STEPS)
def test_every_action_is_refused_from_a_state_it_does_not_start_from(step):
    sources = {s.source for s in workflow.STEPS if s.action == step.action}
    wrong = next(status for status in [Status.DRAFT, Status.SUBMITTED, Status.FILED, Status.REJECTED] if status not in sources)
    cast = cast_at(wrong)
    with pytest.raises(workflow.TransitionError) as error:
        workflow.transition(cast.consortium.pk, step.action, cast.actor(step.action), opinion="意见")
    assert f"该申请当前状态为“{Status(wrong).label}”" in str(error.value)


@pytest.mark.parametrize("action", ["district_pass", "district_return", "district_reject"])
def test_a_reviewer_of_another_district_is_refused(action):
    cast = cast_at(Status.SUBMITTED)
    outsider = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("句容市"))
    with pytest.raises(PermissionDenied):
        workflow.transition(cast.consortium.pk, action, outsider, opinion="意见")


def test_a_returned_application_comes_back_to_the_same_district():
    cast = cast_at(Status.RETURNED)
    cast.take("resubmit")
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.SUBMITTED
    assert cast.application.versions.count() == 2
