import logging
from datetime import timedelta
from io import StringIO
from smtplib import SMTPException

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts import notify
from accounts.context_processors import unread_messages
from accounts.models import Notification, OutgoingEmail
from accounts.roles import Role
from applications import notifications, workflow
from applications.choices import Status
from operations import background
from operations.models import FailedTask
from reviews import services as review_services
from reviews.models import ExpertAssignment
from tests import factories
from tests.lifecycle import complete_application, score

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class FailingSendBackend(BaseEmailBackend):
    """Connects, then refuses every message, as a mail server rejecting the sender would."""

    def send_messages(self, email_messages):
        raise SMTPException("邮件服务器拒绝发送")


class UnreachableBackend(BaseEmailBackend):
    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


def backend_path(backend):
    return f"{__name__}.{backend.__name__}"


@pytest.fixture(autouse=True)
def _mail_server_pause_ends_with_the_test():
    yield
    notify._paused_until = None  # the pause is per process; it must not reach the next test


@pytest.fixture
def consortium(applicant):
    return complete_application(applicant)[1].consortium


@pytest.fixture
def reviewer(applicant):
    return factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)


@pytest.fixture
def staff():
    return factories.user(Role.MUNICIPAL_STAFF)


def recipients():
    """(username, title) of every in-app message, and the addresses mailed, in creation order."""
    messages = list(Notification.objects.order_by("id").values_list("recipient__username", "title"))
    return messages, sorted(address for message in mail.outbox for address in message.to)


def step(consortium_id, action, actor, **kwargs):
    """Take one step as committed (the test's transaction stands for the request's)."""
    return workflow.transition(consortium_id, action, actor, **kwargs)


def under_appraisal(consortium, applicant, reviewer, staff, experts=()):
    step(consortium.pk, "submit", applicant)
    step(consortium.pk, "district_pass", reviewer, opinion="同意推荐")
    review_services.create_round("第一批", [consortium.pk], list(experts), staff)


# --- after commit, and never on rollback ---


def test_a_transition_writes_nothing_until_its_transaction_commits(django_capture_on_commit_callbacks, applicant, consortium, reviewer):
    with django_capture_on_commit_callbacks(execute=True):
        step(consortium.pk, "submit", applicant)
        assert Notification.objects.count() == 0
        assert OutgoingEmail.objects.count() == 0
        assert mail.outbox == []
    assert Notification.objects.count() == 2
    assert list(OutgoingEmail.objects.values_list("to", "state", "attempts")) == [
        (applicant.email, "sent", 1), (reviewer.email, "sent", 1),
    ]
    assert len(mail.outbox) == 2


def test_a_rolled_back_transition_notifies_no_one(django_capture_on_commit_callbacks, applicant, consortium, reviewer):
    # Not a transaction=True test: after one, tests/browser (Playwright's running event loop gives it
    # another connection object) finds the serialized reference data missing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                step(consortium.pk, "submit", applicant)
                raise RuntimeError("the request failed after the transition")
    assert callbacks == []
    consortium.refresh_from_db()
    assert consortium.status == Status.DRAFT
    assert Notification.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        step(consortium.pk, "submit", applicant)
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_notify_inside_an_atomic_block_waits_for_the_outer_commit(django_capture_on_commit_callbacks, applicant):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify.notify([applicant, applicant], "测试通知", "正文")
            assert Notification.objects.count() == 0
    assert list(Notification.objects.values_list("recipient", "title", "body")) == [(applicant.pk, "测试通知", "正文")]
    assert len(mail.outbox) == 1


# --- who is told, and what they read ---


def test_submit_tells_the_lead_units_applicants_and_its_district_reviewers_only(
    django_capture_on_commit_callbacks, applicant, consortium, reviewer, staff
):
    colleague = factories.user(Role.APPLICANT, unit=applicant.unit, email="")
    factories.user(Role.APPLICANT, unit=applicant.unit, is_active=False)
    factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))
    factories.user(Role.EXPERT)
    with django_capture_on_commit_callbacks(execute=True):
        step(consortium.pk, "submit", applicant)
    name = consortium.name
    assert recipients() == (
        [
            (applicant.username, f"申请已提交：{name}"),
            (colleague.username, f"申请已提交：{name}"),
            (reviewer.username, f"待初审：{name}"),
        ],
        sorted([applicant.email, reviewer.email]),  # the colleague has no address: in-app only
    )
    to_reviewer = Notification.objects.get(recipient=reviewer)
    assert to_reviewer.body == f"{applicant.unit.name}牵头的“{name}”备案申请已提交，请及时进行初审。"
    assert to_reviewer.link == f"/applications/{consortium.pk}/"


def test_district_return_tells_the_applicants_with_the_opinion(
    django_capture_on_commit_callbacks, settings, applicant, consortium, reviewer, staff
):
    settings.SITE_URL = "https://kjj.zhenjiang.gov.cn"
    step(consortium.pk, "submit", applicant)  # not committed: notifies no one
    with django_capture_on_commit_callbacks(execute=True):
        step(consortium.pk, "district_return", reviewer, opinion="请补充各成员单位的任务分工。")
    name = consortium.name
    body = f"您单位牵头的“{name}”备案申请被京口区科学技术局退回修改，请按意见修改后重新提交。\n退回意见：请补充各成员单位的任务分工。"
    assert recipients() == ([(applicant.username, f"申请被退回修改：{name}")], [applicant.email])
    assert Notification.objects.get().body == body
    email = mail.outbox[0]
    assert email.subject == f"【镇江市创新联合体平台】申请被退回修改：{name}"
    assert email.body == (
        f"{applicant.full_name}，您好：\n\n{body}\n\n"
        f"查看详情：https://kjj.zhenjiang.gov.cn/applications/{consortium.pk}/\n\n"
        "本邮件由镇江市创新联合体备案与管理平台自动发送，请勿直接回复。\n\n镇江市科学技术局"
    )


def test_district_pass_tells_the_applicants_and_the_municipal_staff(
    django_capture_on_commit_callbacks, applicant, consortium, reviewer, staff
):
    other_staff = factories.user(Role.MUNICIPAL_STAFF)
    step(consortium.pk, "submit", applicant)
    with django_capture_on_commit_callbacks(execute=True):
        step(consortium.pk, "district_pass", reviewer, opinion="材料齐全，同意推荐。")
    name = consortium.name
    assert recipients() == (
        [
            (applicant.username, f"初审通过：{name}"),
            (staff.username, f"待综合论证：{name}"),
            (other_staff.username, f"待综合论证：{name}"),
        ],
        sorted([applicant.email, staff.email, other_staff.email]),
    )
    assert Notification.objects.get(recipient=staff).body == (
        f"京口区科学技术局已初审通过{applicant.unit.name}牵头的“{name}”备案申请并推荐至市科技局，请组织综合论证。"
        "\n初审意见：材料齐全，同意推荐。"
    )


def test_filing_tells_the_applicants_the_name_and_the_record_number(
    django_capture_on_commit_callbacks, applicant, consortium, reviewer, staff
):
    expert = factories.user(Role.EXPERT, full_name="周教授")
    under_appraisal(consortium, applicant, reviewer, staff, [expert])
    score(ExpertAssignment.objects.get(expert=expert))
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.decide(consortium.pk, staff, "file", "组建条件符合要求，予以备案。", name="高端装备（智能电气）创新联合体")
    assert recipients() == ([(applicant.username, "予以备案：高端装备（智能电气）创新联合体")], [applicant.email])
    body = Notification.objects.get().body
    today = timezone.localdate()
    assert body == (
        "您单位牵头的创新联合体经市科技局综合论证，予以备案。\n名称：高端装备（智能电气）创新联合体\n"
        f"备案编号：镇创联备〔{today.year}〕001号\n备案日期：{today.year}年{today.month}月{today.day}日\n"
        "综合论证意见：组建条件符合要求，予以备案。"
    )
    assert expert.full_name not in body and expert.full_name not in mail.outbox[-1].body


def test_a_city_return_sends_the_resubmission_to_the_municipal_staff(
    django_capture_on_commit_callbacks, applicant, consortium, reviewer, staff
):
    under_appraisal(consortium, applicant, reviewer, staff)
    step(consortium.pk, "city_return", staff, opinion="请补充量化目标。")
    with django_capture_on_commit_callbacks(execute=True):
        step(consortium.pk, "resubmit", applicant)
    name = consortium.name
    assert recipients() == (
        [(applicant.username, f"申请已重新提交：{name}"), (staff.username, f"待综合论证（修改后重新提交）：{name}")],
        sorted([applicant.email, staff.email]),
    )


def test_every_step_of_every_state_table_tells_the_applicants():
    """A request's step leaves the consortium in its status (filed): its notices are found under that status."""
    keys = set()
    for flow in workflow.flows():
        for workflow_step in flow.steps:
            key = (workflow_step.action, workflow_step.target if flow.model is None else flow.consortium_status)
            notices = notifications.NOTICES[key]
            assert notifications.APPLICANTS in [notice.audience for notice in notices], workflow_step
            keys.add(key)
    assert set(notifications.NOTICES) == keys


# --- a failed send is logged and retried, never blocks or undoes the action ---


def test_a_failing_mail_server_leaves_the_transition_done_and_the_email_for_a_retry(
    django_capture_on_commit_callbacks, settings, caplog, applicant, consortium, reviewer
):
    step(consortium.pk, "submit", applicant)
    settings.EMAIL_BACKEND = backend_path(FailingSendBackend)
    before = timezone.now()
    with caplog.at_level(logging.WARNING, logger="accounts.notify"):
        with django_capture_on_commit_callbacks(execute=True):
            step(consortium.pk, "district_return", reviewer, opinion="请补充材料。")
    consortium.refresh_from_db()
    assert consortium.status == Status.RETURNED
    assert Notification.objects.filter(recipient=applicant).count() == 1
    email = OutgoingEmail.objects.get()
    assert (email.to, email.state, email.attempts, email.last_error) == (
        applicant.email, "pending", 1, "SMTPException: 邮件服务器拒绝发送",
    )
    assert timedelta(seconds=59) < email.next_attempt_at - before < timedelta(seconds=61)
    assert [(r.levelname, r.getMessage().split(";")[0]) for r in caplog.records] == [
        ("WARNING", f"Email {email.pk} to {applicant.email} failed (attempt 1)"),
    ]
    assert mail.outbox == []

    settings.EMAIL_BACKEND = LOCMEM
    out = StringIO()
    call_command("send_pending_email", stdout=out)
    assert out.getvalue() == "已发送 0 封，发送失败 0 封（稍后重试）。\n"  # not due yet
    OutgoingEmail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    out = StringIO()
    call_command("send_pending_email", stdout=out)
    assert out.getvalue() == "已发送 1 封，发送失败 0 封（稍后重试）。\n"
    email.refresh_from_db()
    assert (email.state, email.attempts, email.last_error, email.sent_at is not None) == ("sent", 2, "", True)
    assert [message.to for message in mail.outbox] == [[applicant.email]]


def test_an_unreachable_mail_server_costs_one_attempt_and_one_log_line(
    django_capture_on_commit_callbacks, settings, caplog, applicant, consortium, reviewer
):
    settings.EMAIL_BACKEND = backend_path(UnreachableBackend)
    with caplog.at_level(logging.WARNING, logger="accounts.notify"):
        with django_capture_on_commit_callbacks(execute=True):
            step(consortium.pk, "submit", applicant)
    consortium.refresh_from_db()
    assert consortium.status == Status.SUBMITTED
    assert Notification.objects.count() == 2
    # The applicant's notice tried and failed; the reviewer's, sent right after, did not wait on the dead server.
    to_applicant, to_reviewer = OutgoingEmail.objects.order_by("id")
    assert (to_applicant.to, to_applicant.state, to_applicant.attempts) == (applicant.email, "pending", 1)
    assert (to_reviewer.to, to_reviewer.state, to_reviewer.attempts) == (reviewer.email, "pending", 0)
    assert to_reviewer.next_attempt_at <= timezone.now()  # due for the next send_pending_email
    assert [r.getMessage().split(",")[0] for r in caplog.records] == [
        "Could not connect to the mail server; 1 email(s) kept for retry",
    ]
    assert caplog.records[0].getMessage().endswith(": [Errno 111] Connection refused")


def test_an_email_is_marked_failed_after_the_last_attempt(settings, caplog, applicant):
    settings.EMAIL_BACKEND = backend_path(FailingSendBackend)
    OutgoingEmail.objects.create(to=applicant.email, subject="主题", body="正文", attempts=notify.MAX_ATTEMPTS - 1)
    with caplog.at_level(logging.WARNING, logger="accounts.notify"):
        assert notify.deliver_pending_email() == (0, 1)
    email = OutgoingEmail.objects.get()
    assert (email.state, email.attempts) == ("failed", notify.MAX_ATTEMPTS)
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert notify.deliver_pending_email() == (0, 0)

    # Shown to the system administrator, who sends it again once the mail server is fixed.
    failed = FailedTask.objects.get()
    assert (failed.title, failed.attempts, failed.error) == (
        f"邮件发送失败：{applicant.email}《主题》", notify.MAX_ATTEMPTS, "SMTPException: 邮件服务器拒绝发送",
    )
    settings.EMAIL_BACKEND = LOCMEM
    assert background.rerun(failed, "sysadmin") is True
    email.refresh_from_db()
    assert (email.state, email.attempts) == ("sent", 1)
    assert [message.to for message in mail.outbox] == [[applicant.email]]


def test_a_status_change_only_queues_its_emails_and_the_worker_sends_them(
    django_capture_on_commit_callbacks, settings, applicant, consortium, reviewer
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with django_capture_on_commit_callbacks(execute=True):
        step(consortium.pk, "submit", applicant)
    assert Notification.objects.count() == 2  # the in-app messages are there at once
    assert list(OutgoingEmail.objects.values_list("state", "attempts")) == [("pending", 0), ("pending", 0)]
    assert mail.outbox == []  # no mail server was touched by the status change
    queued = list(DBTaskResult.objects.all())
    assert [(task.task_path, task.status) for task in queued] == [("accounts.notify.send_emails", "READY")] * 2

    for task in queued:  # what the worker does
        task.task.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
    assert sorted(address for message in mail.outbox for address in message.to) == sorted([applicant.email, reviewer.email])
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent"}


def test_the_retry_delay_doubles():
    assert [notify.retry_delay(n) for n in (1, 2, 3, 9)] == [
        timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=256),
    ]


# --- the messages page ---


def message(user, title, minutes_ago=0, read=False, link="/"):
    created = Notification.objects.create(recipient=user, title=title, body=f"{title}的内容", link=link)
    at = timezone.now() - timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=created.pk).update(created_at=at, read_at=at if read else None)
    created.refresh_from_db()
    return created


def test_the_messages_page_lists_newest_first_and_counts_the_unread(client, applicant):
    old = message(applicant, "较早的消息", minutes_ago=60, read=True)
    new = message(applicant, "最新的消息", minutes_ago=1)
    message(factories.user(Role.EXPERT), "别人的消息")
    client.force_login(applicant)
    response = client.get(reverse("accounts:messages"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [new, old]
    html = response.content.decode()
    assert 'badge rounded-pill bg-danger mt-2">1<span class="visually-hidden"> 条未读</span></span></a>' in html
    assert f'id="message-{new.pk}"' in html and "别人的消息" not in html
    assert html.index("最新的消息") < html.index("较早的消息")


def test_marking_one_and_then_all_messages_read(client, applicant):
    first = message(applicant, "第一条", link=f"/applications/{applicant.unit_id}/")
    second = message(applicant, "第二条")
    third = message(applicant, "第三条")
    client.force_login(applicant)
    response = client.post(reverse("accounts:message_read", args=[first.pk]), {"open": "1"})
    assert (response.status_code, response["Location"]) == (302, first.link)
    response = client.post(reverse("accounts:message_read", args=[second.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:messages"))
    assert list(Notification.objects.filter(read_at__isnull=True)) == [third]
    response = client.post(reverse("accounts:message_read_all"))
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    html = client.get(reverse("accounts:messages")).content.decode()
    assert "条未读" not in html


def test_an_outside_link_is_not_followed(client, applicant):
    outside = message(applicant, "外部链接", link="https://example.com/phish")
    client.force_login(applicant)
    response = client.post(reverse("accounts:message_read", args=[outside.pk]), {"open": "1"})
    assert response["Location"] == reverse("accounts:messages")


def test_another_user_cannot_mark_someone_elses_message(client, applicant):
    mine = message(applicant, "我的消息")
    client.force_login(factories.user(Role.APPLICANT))
    assert client.post(reverse("accounts:message_read", args=[mine.pk])).status_code == 404
    client.post(reverse("accounts:message_read_all"))
    mine.refresh_from_db()
    assert mine.read_at is None


def test_the_messages_page_needs_a_login_and_marking_needs_post(client, applicant):
    response = client.get(reverse("accounts:messages"))
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/accounts/messages/")
    client.force_login(applicant)
    assert client.get(reverse("accounts:message_read", args=[message(applicant, "x").pk])).status_code == 405


def test_the_unread_count_costs_one_query_when_shown_and_none_for_anonymous_users(django_assert_num_queries, applicant):
    message(applicant, "未读")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_messages(request) == {}
    request.user = applicant
    with django_assert_num_queries(0):
        context = unread_messages(request)
    with django_assert_num_queries(1):
        assert (bool(context["unread_message_count"]), str(context["unread_message_count"])) == (True, "1")
