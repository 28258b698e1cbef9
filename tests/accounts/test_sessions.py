"""Sessions (issue 22 point 1): the 30-minute idle timeout without a write on every request, and what every
signed-in page pays before its own work (session, user, navbar) in queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts import signed_in as signed_in_module
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


def test_a_signed_in_page_reads_session_and_user_in_one_query_and_writes_nothing(client, django_assert_num_queries):
    user = factories.user(Role.DISTRICT_REVIEWER)
    signed_in(client, user)
    Notification.objects.create(recipient=user, title="通知", body="内容")
    with django_assert_num_queries(1):  # the session with the user, its bureau, unit and unread count
        response = client.get(reverse("accounts:password_change"))  # a page of no queries of its own
    assert response.status_code == 200
    assert response.context["unread_message_count"] == 1
    assert "sessionid" not in response.cookies  # not saved, so not re-sent


def test_the_request_carries_its_user_itself_read_once_and_anonymous_when_signed_out(client, django_assert_num_queries):
    user = factories.user(Role.MUNICIPAL_STAFF)
    signed_in(client, user)
    with django_assert_num_queries(1):  # the session with the user: read once, however often the page asks for it
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


def test_a_session_this_process_has_not_seen_is_read_before_its_user_and_then_with_it(client, django_assert_num_queries):
    """The first request of a session the process did not write (another server wrote it) reads the session, then
    its user; from then on one statement reads both."""
    user = factories.user(Role.MUNICIPAL_STAFF)
    client.force_login(user)
    signed_in_module.forget()
    page = reverse("accounts:password_change")
    with django_assert_num_queries(2):
        assert client.get(page).wsgi_request.user.pk == user.pk
    with django_assert_num_queries(1):
        assert client.get(page).wsgi_request.user.pk == user.pk


def test_the_user_read_with_a_session_is_taken_only_if_the_session_names_that_user(client, django_assert_num_queries):
    """The process's note of whose a session is only chooses the row read with it: a note that no longer holds (the
    session someone else's) gives the session's own user, by the second statement, and is put right."""
    user, other = factories.user(Role.DISTRICT_REVIEWER), factories.user(Role.MUNICIPAL_STAFF)
    client.force_login(user)
    signed_in_module.remember(client.session.session_key, other.pk)
    page = reverse("accounts:password_change")
    with django_assert_num_queries(2):
        response = client.get(page)
    assert (response.wsgi_request.user.pk, response.wsgi_request.user.role) == (user.pk, Role.DISTRICT_REVIEWER)
    assert signed_in_module.whose(client.session.session_key) == user.pk
    with django_assert_num_queries(1):
        assert client.get(page).wsgi_request.user.pk == user.pk


def test_a_user_read_with_the_session_is_still_refused_when_deactivated_or_its_password_changed(client):
    user = factories.user(Role.EXPERT)
    client.force_login(user)
    page = reverse("accounts:password_change")
    assert client.get(page).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(page).status_code == 302  # to the sign-in page: the user read with the session is refused
    User.objects.filter(pk=user.pk).update(is_active=True)
    client.force_login(user)
    assert client.get(page).status_code == 200
    user.set_password("另一个密码-123")
    User.objects.filter(pk=user.pk).update(password=user.password)
    response = client.get(page)
    assert response.status_code == 302 and type(response.wsgi_request.user) is AnonymousUser


@pytest.mark.parametrize("role", [Role.DISTRICT_REVIEWER, Role.APPLICANT, Role.EXPERT])
def test_the_user_read_with_the_session_is_the_one_the_orm_gives(client, role):
    user = factories.user(role)
    Notification.objects.create(recipient=user, title="通知", body="内容")
    client.force_login(user)
    key = client.session.session_key
    data, found = signed_in_module.with_session(User, Session, key, timezone.now(), user.pk)
    expected = AccountBackend().user_queryset().get(pk=user.pk)

    def columns(instance):
        return instance and [(f.attname, getattr(instance, f.attname)) for f in instance._meta.concrete_fields]

    assert data == Session.objects.get(session_key=key).session_data
    assert columns(found) == columns(expected) and found.unread_notification_count == 1
    assert (columns(found.bureau), columns(found.unit)) == (columns(expected.bureau), columns(expected.unit))
    assert signed_in_module.with_session(User, Session, key, timezone.now(), user.pk + 1000) == (data, None)
    assert signed_in_module.with_session(User, Session, "no-such-session", timezone.now(), user.pk) == (None, None)
    later = timezone.now() + timedelta(days=1)  # past the session's expiry: no session
    assert signed_in_module.with_session(User, Session, key, later, user.pk) == (None, None)
