"""Sessions (issue 22 point 1): the 30-minute idle timeout without a write on every request, and what every
signed-in page pays before its own work (session, user, navbar) in queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts.backends import AccountBackend
from accounts.models import Notification, User
from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
HOME = "/accounts/messages/"  # a signed-in page showing the navbar's unread count


def signed_in(client, user):
    client.post(reverse("accounts:login"), {"username": user.username, "password": factories.PASSWORD})
    assert client.get(HOME).status_code == 200


def still_signed_in(client):
    return client.get(HOME).status_code == 200


def test_a_session_idle_for_thirty_one_minutes_is_signed_out(client):
    user = factories.user(Role.MUNICIPAL_STAFF)
    start = timezone.now()
    with freeze_time(start) as clock:
        signed_in(client, user)
        clock.tick(timedelta(minutes=29, seconds=30))
        assert still_signed_in(client)  # renewed here: 30 minutes from now
        clock.tick(timedelta(minutes=31))
        response = client.get(HOME)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={HOME}")


def test_a_session_active_every_fifty_seconds_stays_signed_in_for_two_hours(client):
    user = factories.user(Role.MUNICIPAL_STAFF)
    with freeze_time(timezone.now()) as clock:
        signed_in(client, user)
        for _ in range(2 * 60 * 60 // 50):
            clock.tick(timedelta(seconds=50))
            assert still_signed_in(client)


def test_the_session_row_is_written_at_most_once_a_minute(client):
    user = factories.user(Role.MUNICIPAL_STAFF)
    with freeze_time(timezone.now()) as clock:
        signed_in(client, user)
        expiries = []
        for _ in range(12):  # two minutes, every ten seconds
            clock.tick(timedelta(seconds=10))
            client.get(HOME)
            expiries.append(Session.objects.get().expire_date)
    # The login's expiry for the first minute, renewed at one minute and at two: twice in twelve requests.
    first = expiries[0]
    assert [round((e - first).total_seconds()) for e in expiries] == [0] * 5 + [60] * 6 + [120]


def test_a_signed_in_page_reads_session_and_user_in_two_queries_and_writes_nothing(client, django_assert_num_queries):
    user = factories.user(Role.DISTRICT_REVIEWER)
    signed_in(client, user)
    Notification.objects.create(recipient=user, title="通知", body="内容")
    with django_assert_num_queries(2):  # the session; the user with its bureau, unit and unread count
        response = client.get(reverse("accounts:password_change"))  # a page of no queries of its own
    assert response.status_code == 200
    assert response.context["unread_message_count"] == 1
    assert "sessionid" not in response.cookies  # not saved, so not re-sent


def test_the_request_carries_its_user_itself_read_once_and_anonymous_when_signed_out(client, django_assert_num_queries):
    user = factories.user(Role.MUNICIPAL_STAFF)
    signed_in(client, user)
    with django_assert_num_queries(2):  # the session and the user: read once, however often the page asks for it
        response = client.get(reverse("accounts:password_change"))  # a page of no queries of its own
    assert (type(response.wsgi_request.user), response.wsgi_request.user.pk) == (User, user.pk)  # no lazy object
    client.post(reverse("accounts:logout"))
    response = client.get(reverse("accounts:login"))
    assert type(response.wsgi_request.user) is AnonymousUser


def test_a_new_message_shows_in_the_navbar_at_once_and_reading_it_takes_it_off(client):
    user = factories.user(Role.APPLICANT)
    signed_in(client, user)
    assert "条未读" not in client.get(HOME).content.decode()
    message = Notification.objects.create(recipient=user, title="补正通知", body="请补正材料")
    assert "1<span class=\"visually-hidden\"> 条未读</span>" in client.get(HOME).content.decode()
    Notification.objects.create(recipient=user, title="第二条", body="内容")
    assert "2<span class=\"visually-hidden\"> 条未读</span>" in client.get(HOME).content.decode()
    client.post(reverse("accounts:message_read", args=[message.pk]))
    assert "1<span class=\"visually-hidden\"> 条未读</span>" in client.get(HOME).content.decode()
    client.post(reverse("accounts:message_read_all"))
    assert "条未读" not in client.get(HOME).content.decode()


def test_someone_elses_message_does_not_count(client):
    user = factories.user(Role.APPLICANT)
    signed_in(client, user)
    Notification.objects.create(recipient=factories.user(Role.EXPERT), title="别人的", body="内容")
    assert "条未读" not in client.get(HOME).content.decode()


@pytest.mark.parametrize("role", [Role.DISTRICT_REVIEWER, Role.APPLICANT, Role.EXPERT])
def test_the_signed_in_user_is_the_one_the_orm_gives_with_bureau_unit_and_count(role, django_assert_num_queries):
    user = factories.user(role)
    Notification.objects.create(recipient=user, title="通知", body="内容")
    backend = AccountBackend()
    with django_assert_num_queries(1):
        found = backend.get_user(user.pk)
        shown = (found.bureau and found.bureau.name, found.unit and found.unit.name, found.unread_notification_count)
    expected = backend.user_queryset().get(pk=user.pk)

    def columns(instance):
        return instance and [(f.attname, getattr(instance, f.attname)) for f in instance._meta.concrete_fields]

    assert columns(found) == columns(expected)
    assert (columns(found.bureau), columns(found.unit)) == (columns(expected.bureau), columns(expected.unit))
    assert not found._state.adding and found._state.db == expected._state.db
    assert shown == (user.bureau and user.bureau.name, user.unit and user.unit.name, 1)
    user.is_active = False
    user.save()
    assert (backend.get_user(user.pk), backend.get_user(user.pk + 1000), backend.get_user("x")) == (None, None, None)
