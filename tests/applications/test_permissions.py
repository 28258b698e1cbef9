"""One scope rule: every list, per-object check and audience agrees with Consortium.objects.visible_to."""

import pytest

from accounts.roles import Role
from applications import permissions, workflow
from applications.choices import Status
from applications.models import Consortium, users_who_see
from reviews import services as review_services
from reviews.models import ExpertAssignment, RoundEntry
from tests import factories
from tests.lifecycle import cast_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_status():
    """One consortium in each status of the table, all led from 京口区, and everyone who might look at them."""
    casts = {status: cast_at(status) for status in Status}
    people = {
        "own applicant": [cast.applicant for cast in casts.values()],
        "other applicant": [factories.user(Role.APPLICANT)],
        "own district": [cast.district for cast in casts.values()],
        "other district": [factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))],
        "city": [factories.user(Role.MUNICIPAL_STAFF)],
        "expert": [factories.user(Role.EXPERT)],
        "system admin": [factories.user(Role.SYSTEM_ADMIN)],
        "audit admin": [factories.user(Role.AUDIT_ADMIN)],
    }
    return casts, people


def test_the_list_the_per_object_check_and_the_audience_agree_for_every_role_and_status(every_status):
    casts, people = every_status
    for who, users in people.items():
        for user in users:
            listed = set(Consortium.objects.visible_to(user).values_list("pk", flat=True))
            for status, cast in casts.items():
                assert (cast.consortium.pk in listed) == workflow.in_scope(user, cast.consortium.pk) == \
                    permissions.can_see(user, cast.consortium.pk), (who, status)
    # the audience of a notice is the scope read backwards
    for status, cast in casts.items():
        for role in Role:
            audience = set(users_who_see(cast.consortium, role))
            everyone = {user for users in people.values() for user in users if user.role == role}
            assert audience & everyone == {u for u in everyone if workflow.in_scope(u, cast.consortium.pk)}, (status, role)
    # who sees what, spelled out
    city, other_district = people["city"][0], people["other district"][0]
    assert not permissions.can_see(casts[Status.DRAFT].district, casts[Status.DRAFT].consortium.pk)
    assert not permissions.can_see(city, casts[Status.DRAFT].consortium.pk)
    assert permissions.can_see(city, casts[Status.SUBMITTED].consortium.pk)
    assert not any(permissions.can_see(other_district, cast.consortium.pk) for cast in casts.values())
    assert not any(permissions.can_see(people["expert"][0], cast.consortium.pk) for cast in casts.values())
    # the actions offered are the ones the engine accepts
    cast = casts[Status.SUBMITTED]
    assert permissions.can_take(cast.district, cast.consortium, "district_pass") == (True, "")
    assert permissions.can_take(cast.applicant, cast.consortium, "district_pass") == (False, "当前状态下您不能执行“初审通过”。")
    filed = casts[Status.FILED]
    assert permissions.can_take(filed.city, filed.consortium, "revoke") == (
        False, "只有连续 2 次评价为“不合格”（按评价年度相邻的两次评价）的创新联合体才能取消资格。")


def test_expert_scopes_agree_on_an_assignment_whose_expert_recused():
    cast = cast_at(Status.UNDER_APPRAISAL)
    assignment = ExpertAssignment.objects.get(expert=cast.expert)
    assert list(RoundEntry.objects.visible_to(cast.expert)) == [assignment.entry]
    review_services.declare_conflict(assignment.pk, cast.expert, "曾任顾问")
    assert list(ExpertAssignment.objects.visible_to(cast.expert)) == []
    assert list(RoundEntry.objects.visible_to(cast.expert)) == []
    assert list(ExpertAssignment.objects.visible_to(cast.city).filter(entry__consortium=cast.consortium)) == [assignment]
