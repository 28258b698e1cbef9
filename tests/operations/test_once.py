"""Idempotent posts (issue 19.5): a form that creates a record carries a one-time token; sending it twice (a double
click, a reload of the result, two tabs) creates one record, and the second answer shows the first one's result."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts.roles import Role
from applications import services as application_services
from applications.models import Registration, UnitBan
from evaluations.models import SupportProject, SupportRecord
from operations import once
from operations.models import SubmittedForm
from tests import factories
from tests.evaluations.helpers import filed
from tests.evaluations.test_projects_and_dissolution import project_post
from tests.evaluations.test_support_records import post as support_post

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'<input type="hidden" name="once_token" value="([^"]+)">')


def token_in(page):
    """The token of the page's form, as a browser would send it."""
    found = TOKEN.findall(page.content.decode())
    assert found, "该页面的表单没有一次性提交凭证"
    return found[-1]


def test_a_support_project_sent_twice_is_recorded_once_and_the_second_answer_shows_the_first(client):
    cast = filed()
    client.force_login(cast.city)
    url = reverse("evaluations:project_new", args=[cast.consortium.pk])
    body = {**project_post(), "once_token": token_in(client.get(url))}
    first = client.post(url, body)
    second = client.post(url, body)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == reverse("evaluations:consortium", args=[cast.consortium.pk])
    assert SupportProject.objects.count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "该表单已经提交过，未重复记录。以下是第一次提交的结果。" in page and "关键部件联合攻关" in page


def test_a_support_record_sent_twice_is_recorded_once(client):
    cast = filed()
    client.force_login(cast.city)
    url = reverse("evaluations:support_new", args=[cast.consortium.pk])
    body = {**support_post(kind_level="other/municipal", amount="30"), "once_token": token_in(client.get(url))}
    first, second = client.post(url, body), client.post(url, body, follow=True)
    assert first.status_code == 302 and second.redirect_chain[0] == (first["Location"], 302)
    assert SupportRecord.objects.count() == 1
    assert "该表单已经提交过，未重复记录。" in second.content.decode()


def test_a_ban_sent_twice_is_recorded_once(client):
    city = factories.user(Role.MUNICIPAL_STAFF)
    unit = factories.user(Role.APPLICANT).unit
    client.force_login(city)
    url = reverse("evaluations:ban_new")
    today = timezone.localdate()
    body = {"credit_code": unit.credit_code, "unit_name": unit.name, "unit_kind": "enterprise", "reason": "严重失信",
            "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=365)).isoformat(),
            "once_token": token_in(client.get(url))}
    first, second = client.post(url, body), client.post(url, body, follow=True)
    assert first.status_code == 302 and second.redirect_chain[0] == (first["Location"], 302)
    assert UnitBan.objects.count() == 1
    assert "该表单已经提交过，未重复记录。" in second.content.decode()


def test_a_registration_sent_twice_by_an_anonymous_visitor_is_one_request(client):
    url = reverse("applications:register")
    token = token_in(client.get(url))
    assert token.split(":")[0].endswith(".-")  # drawn for nobody: anyone may register
    assert SubmittedForm.objects.count() == 0
    body = {"once_token": token, "username": "x"}  # refused beside its fields: nothing created, the token kept for the fix
    assert client.post(url, body).status_code == 200
    assert not Registration.objects.exists() and SubmittedForm.objects.count() == 0


def test_a_form_shown_again_with_its_errors_keeps_its_token_for_the_corrected_one(client):
    cast = filed()
    client.force_login(cast.city)
    url = reverse("evaluations:project_new", args=[cast.consortium.pk])
    token = token_in(client.get(url))
    over = client.post(url, {**project_post(amount="200.01"), "once_token": token})
    assert over.status_code == 200 and "经费支持最高 200 万元" in over.content.decode()
    assert client.post(url, {**project_post(), "once_token": token}).status_code == 302
    assert SupportProject.objects.count() == 1


@pytest.mark.parametrize("token, message", [
    ("", "提交未完成：表单缺少一次性提交凭证（页面可能是系统升级前打开的）。"),
    ("abc.1:1wXyZ1:forged-signature", "提交未完成：表单的一次性提交凭证无效，或属于其他用户。"),
    ("someone-else", "提交未完成：表单的一次性提交凭证无效，或属于其他用户。"),
    ("three-days-old", "提交未完成：表单打开已超过 3 天，提交凭证已过期。"),
])
def test_a_form_without_a_valid_token_is_refused_with_a_chinese_page_and_creates_nothing(client, token, message):
    cast = filed()
    client.force_login(cast.city)
    url = reverse("evaluations:project_new", args=[cast.consortium.pk])
    if token == "someone-else":
        token = once.new_token(factories.user(Role.MUNICIPAL_STAFF))
    elif token == "three-days-old":
        with freeze_time(timezone.now() - once.MAX_AGE - timedelta(minutes=1)):
            token = once.new_token(cast.city)
    refused = client.post(url, {**project_post(), "once_token": token})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert message in page and "本次提交未记录任何内容" in page and f'href="{url}"' in page
    assert not SupportProject.objects.exists()
    # What was typed is kept: sent again from this page (with its fresh token), it is recorded once.
    assert '<input type="hidden" name="name" value="关键部件联合攻关">' in page
    kept = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    assert client.post(url, kept).status_code == 302
    assert SupportProject.objects.get().name == "关键部件联合攻关"


@pytest.mark.django_db(transaction=True)  # each thread its own connection, seeing what the test committed
def test_a_double_click_sends_one_token_twice_at_once_and_records_one_project():
    cast = filed()
    url = reverse("evaluations:project_new", args=[cast.consortium.pk])
    body = {**project_post(), "once_token": once.new_token(cast.city)}
    barrier, answers, errors = threading.Barrier(4), [], []

    def click():
        try:
            browser = Client()
            browser.force_login(cast.city)
            barrier.wait()
            answers.append(browser.post(url, body))
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [a.status_code for a in answers] == [302] * 4
    assert {a["Location"] for a in answers} == {reverse("evaluations:consortium", args=[cast.consortium.pk])}
    assert SupportProject.objects.count() == 1


def test_every_form_that_creates_a_record_carries_a_token(client):
    """The pages whose forms go to a view taking a token (operations.once_per_token) render one."""
    cast = filed()
    pages = {
        cast.city: [reverse("evaluations:project_new", args=[cast.consortium.pk]), reverse("evaluations:ban_new"),
                    reverse("reviews:city_queue"), reverse("evaluations:support_new", args=[cast.consortium.pk])],
        cast.district: [reverse("candidates:new"), reverse("evaluations:work_new", args=[cast.consortium.pk])],
        cast.applicant: [reverse("evaluations:member_change_new", args=[cast.consortium.pk]),
                         reverse("evaluations:dissolution", args=[cast.consortium.pk]),
                         reverse("evaluations:report", args=[cast.consortium.pk, timezone.localdate().year])],
        factories.user(Role.APPLICANT): [reverse("applications:start")],
    }
    drafting = factories.user(Role.APPLICANT)
    pages[drafting] = [reverse("applications:attachments", args=[application_services.start_application(
        drafting, name="测试", industry_field=factories.industry_field()).pk])]
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            assert token_in(client.get(url)), url


def test_a_refusal_said_with_an_error_and_a_redirect_keeps_the_token_for_the_next_try(rf):
    """A view that refuses says why (messages.error) and may send the user back to the form's page: nothing was
    recorded, so the same form sent again (the back button) is tried again, not answered "已经提交过"."""
    from django.contrib import messages  # here: only this test's stand-in views use it
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.shortcuts import redirect

    user = factories.user(Role.MUNICIPAL_STAFF)
    answers = iter([("error", "/form/"), ("success", "/done/")])

    @once.once_per_token
    def view(request):
        level, address = next(answers)
        getattr(messages, level)(request, "不能办理：条件未满足。" if level == "error" else "已办理。")
        return redirect(address)

    def post(token):
        request = rf.post("/form/", {"once_token": token})
        request.user, request.session = user, SessionStore()
        request._messages = FallbackStorage(request)
        return view(request)

    token = once.new_token(user)
    assert post(token)["Location"] == "/form/" and SubmittedForm.objects.count() == 0
    assert post(token)["Location"] == "/done/"
    assert list(SubmittedForm.objects.values_list("result_url", flat=True)) == ["/done/"]
