"""The read side of the applications app (applications.selectors): every lookup starts from a scope."""

from datetime import timedelta

import pytest

from accounts.roles import Role
from applications import selectors, services, snapshot
from applications.choices import Status
from applications.models import Consortium, Membership
from operations import clock
from tests import factories
from tests.applications.intake_helpers import member_post, member_row
from tests.evaluations.helpers import fixed_today
from tests.lifecycle import cast_at

pytestmark = pytest.mark.django_db


def test_a_district_sees_the_pending_registrations_of_its_own_district_oldest_first():
    jingkou, danyang = factories.district("京口区"), factories.district("丹阳市")
    first = factories.registration(bureau=jingkou)
    factories.registration(bureau=danyang)
    second = factories.registration(bureau=jingkou)
    decided = factories.registration(bureau=jingkou, status="rejected")
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=jingkou)
    assert list(selectors.pending_registrations(reviewer)) == [first, second]
    assert decided not in selectors.pending_registrations(reviewer)
    assert selectors.pending_registrations(factories.user(Role.MUNICIPAL_STAFF)).count() == 3  # the city sees every district
    assert list(selectors.pending_registrations(factories.user(Role.EXPERT))) == []


def test_declarations_of_a_code_list_the_consortia_and_what_each_lead_typed(client):
    code = factories.credit_code("121000")
    for lead_name, typed in (("甲", "X大学"), ("乙", "X 大学（旧称）")):
        applicant = factories.user(Role.APPLICANT)
        consortium = services.start_application(applicant, name=f"{lead_name}联合体", industry_field=factories.industry_field())
        client.force_login(applicant)
        client.post(f"/applications/{consortium.pk}/edit/members/", member_post([member_row(typed, code, "university")], 1))
        Consortium.objects.filter(pk=consortium.pk).update(status=Status.SUBMITTED)
    found = selectors.declarations_of(factories.user(Role.MUNICIPAL_STAFF), [code])
    assert [(m.consortium.name, m.unit_name) for m in found[code]] == [("乙联合体", "X 大学（旧称）"), ("甲联合体", "X大学")]


def test_declarations_of_a_code_are_only_those_of_consortia_the_reviewer_may_see():
    """Issue 19: a district saw every consortium listing the code, other districts' drafts included."""
    jingkou, danyang = factories.district("京口区"), factories.district("丹阳市")
    listed = factories.unit(registration_status="unregistered", bureau=None)
    named = {}
    for district, status in ((jingkou, Status.SUBMITTED), (jingkou, Status.DRAFT), (danyang, Status.SUBMITTED), (danyang, Status.DRAFT)):
        consortium = factories.consortium(lead=factories.unit(bureau=district), status=status, name=f"{district.district}{status}联合体")
        factories.member(consortium, listed)
        named[district.district, status] = consortium.name

    def seen(user):
        return [m.consortium.name for m in selectors.declarations_of(user, [listed.credit_code]).get(listed.credit_code, [])]

    assert seen(factories.user(Role.DISTRICT_REVIEWER, bureau=jingkou)) == [named["京口区", Status.SUBMITTED]]
    assert seen(factories.user(Role.DISTRICT_REVIEWER, bureau=danyang)) == [named["丹阳市", Status.SUBMITTED]]
    assert sorted(seen(factories.user(Role.MUNICIPAL_STAFF))) == sorted([named["京口区", Status.SUBMITTED], named["丹阳市", Status.SUBMITTED]])
    assert seen(factories.user(Role.EXPERT)) == []


def test_an_application_out_of_scope_is_not_found():
    cast = cast_at(Status.SUBMITTED)
    assert selectors.application_for(cast.district, cast.consortium.pk).consortium == cast.consortium
    with pytest.raises(selectors.NotFound):
        selectors.application_for(factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("句容市")), cast.consortium.pk)
    attachment = cast.consortium.attachments.first()
    assert selectors.attachment_for(cast.city, attachment.pk) == attachment
    assert selectors.attachment_for(factories.user(Role.APPLICANT), attachment.pk) is None


def test_status_counts_are_those_the_user_sees():
    cast_at(Status.SUBMITTED)
    cast_at(Status.DRAFT)
    counts = {status: n for status, _, n in selectors.status_counts(factories.user(Role.MUNICIPAL_STAFF))}
    assert (counts[Status.SUBMITTED], counts[Status.DRAFT], counts[Status.FILED]) == (1, 0, 0)


def test_the_申请书_is_read_with_the_members_of_the_day_it_is_read_not_of_the_day_the_server_started(monkeypatch, client):
    """A server started yesterday still reads today's members: a member whose last day was yesterday is not in the
    申请书, the editor or its printed copy (the members' day was fixed when the process loaded, before)."""
    cast = cast_at(Status.DRAFT, members=4)
    consortium = cast.consortium
    leaving = consortium.memberships.order_by("-position").first()
    tomorrow = clock.today() + timedelta(days=1)
    Membership.objects.filter(pk=leaving.pk).update(left_on=tomorrow)
    assert leaving.unit_name in [m["unit"]["name"] for m in snapshot.build(snapshot.load(consortium.application.pk))["members"]]
    fixed_today(monkeypatch, tomorrow)
    for read in (snapshot.load(consortium.application.pk),
                 snapshot.read_whole(selectors.application_for(cast.applicant, consortium.pk, whole=False))):
        names = [m["unit"]["name"] for m in snapshot.build(read)["members"]]
        assert leaving.unit_name not in names
        assert len(names) == 4  # the lead and three members
    client.force_login(cast.applicant)
    assert leaving.unit_name not in client.get(f"/applications/{consortium.pk}/edit/members/").content.decode()
