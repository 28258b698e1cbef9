"""The 3-year ban of §六（二） held by the engine (DESIGN.md rule 6): the guard "no_banned_unit" stands on every step
that moves a consortium toward 备案, so a unit banned after its consortium was submitted stops it at the next step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications import workflow
from applications.choices import Status
from applications.models import UnitBan
from reviews import services as review_services
from tests.lifecycle import cast_at

pytestmark = pytest.mark.django_db


def ban_a_member(cast):
    """Ban one of the consortium's members from today, as a revocation elsewhere would; returns (name, refusal)."""
    member = cast.consortium.memberships.filter(role="member").select_related("unit").first()
    today = timezone.localdate()
    ban = UnitBan.objects.create(unit=member.unit, starts_on=today, ends_on=today + timedelta(days=3 * 365),
                                 reason="牵头的“某创新联合体”连续 2 次评价为“不合格”被取消资格")
    until = f"{ban.ends_on.year}年{ban.ends_on.month}月{ban.ends_on.day}日"
    return member.unit_name, f"{member.unit_name}因{ban.reason}，{until}前不得牵头或参与创新联合体。"


@pytest.mark.parametrize("status, action", [
    (Status.DRAFT, "submit"),
    (Status.RETURNED, "resubmit"),
    (Status.SUBMITTED, "district_pass"),
    (Status.UNDER_APPRAISAL, "file"),
])
def test_every_step_toward_filing_is_refused_naming_the_banned_unit_and_the_day_it_is_free(status, action):
    cast = cast_at(status)
    name, refusal = ban_a_member(cast)
    with pytest.raises(workflow.TransitionError) as refused:
        cast.take(action)
    assert refused.value.message == f"不能“{workflow.label(action)}”："
    assert refusal in refused.value.reasons and name in refusal
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == status


def test_a_round_of_appraisal_does_not_start_for_an_application_listing_a_banned_unit():
    cast = cast_at(Status.DISTRICT_PASSED)
    name, refusal = ban_a_member(cast)
    appraisal_round, outcomes = review_services.create_round("第一批", [cast.consortium.pk], [cast.expert], cast.city)
    assert appraisal_round is None and [outcome.ok for outcome in outcomes] == [False]
    assert outcomes[0].message == f"不能“启动综合论证”：\n{refusal}"
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.DISTRICT_PASSED


def test_steps_away_from_filing_are_not_held_by_a_ban():
    """A banned member does not stop the district or the city from returning or refusing the application."""
    cast = cast_at(Status.SUBMITTED)
    ban_a_member(cast)
    assert review_services.district_review(cast.consortium.pk, cast.district, "district_reject", "成员单位受限制，不予通过。").status == Status.REJECTED


def test_without_a_ban_in_force_the_steps_go_through():
    cast = cast_at(Status.SUBMITTED)
    member = cast.consortium.memberships.filter(role="member").first()
    today = timezone.localdate()
    UnitBan.objects.create(unit=member.unit, starts_on=today - timedelta(days=1100), ends_on=today, reason="已期满的限制")  # free today
    assert review_services.district_review(cast.consortium.pk, cast.district, "district_pass", "同意推荐").status == Status.DISTRICT_PASSED
