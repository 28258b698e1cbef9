"""Notices to users: an in-app message and an email, written only once the caller's transaction commits.

``notify()`` may be called anywhere, inside a transaction or not. Nothing is written until the
transaction commits (a rolled-back action notifies no one). Emails go through an outbox: the rows
are written after commit and a background task sends them, so an action never waits on the mail
server. A failed send is logged and kept for a later attempt with a growing delay; the scheduled
job ``accounts.retry_email`` (every minute) sends whatever is due, and an email that failed
MAX_ATTEMPTS times is shown to the system administrator, who may send it again. Nothing here ever
raises into the action that caused the notice.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from operations import clock
from operations.background import background_task, enqueue, record_failure

from .models import Notification, OutgoingEmail

logger = logging.getLogger(__name__)

SIGNATURE = "镇江市科学技术局"
SUBJECT_PREFIX = "【镇江市创新联合体平台】"
MAX_ATTEMPTS = 10  # retried 1, 2, 4 … 256 minutes apart (about 8.5 hours in all), then marked failed
BATCH_SIZE = 100
# A claimed email is left alone by other workers this long, so one send is never made twice at once.
CLAIM_SECONDS = 600
# Once the mail server could not be reached, this process leaves it alone for a while: a dead server
# then costs one timeout and one log line, not one per action; the outbox keeps the emails meanwhile.
PAUSE_AFTER_CONNECTION_FAILURE = timedelta(minutes=1)
_paused_until = None


def notify(recipients, subject, body, link=""):
    """Tell each recipient (users) about something that happened, once the current transaction commits."""
    recipients = _unique(recipients)
    if not recipients:
        return
    transaction.on_commit(lambda: _write_and_send(recipients, subject, body, link), robust=True)


def queue_email(to, subject, body):
    """Put one email in the outbox now, without trying to send it in this request: the next delivery
    run (deliver_pending_email) sends it. For mail whose sending must neither hold up the page nor
    reveal anything by its timing, such as a password reset."""
    return OutgoingEmail.objects.create(to=to, subject=subject, body=body)


def deliver_pending_email(limit=BATCH_SIZE):
    """Try every email that is due; return (sent, still pending or failed). Never raises for a failed send."""
    due = list(
        OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING, next_attempt_at__lte=clock.now())
        .values_list("pk", flat=True)[:limit]
    )
    return _deliver(due)


def unread_count(user):
    """The user's unread messages now: the count the signed-in user was loaded with (with_unread_count) unless
    something marked or sent a message of theirs since in this request, else one indexed COUNT."""
    loaded = getattr(user, UNREAD_ATTRIBUTE, None)
    if loaded is not None:
        return loaded
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


UNREAD_ATTRIBUTE = "unread_notification_count"


def with_unread_count(users):
    """``users`` (a User queryset) each with its unread count, a subquery of the same query."""
    unread = (Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True).order_by()
              .values("recipient").annotate(n=Count("pk")).values("n"))
    return users.annotate(**{UNREAD_ATTRIBUTE: Coalesce(Subquery(unread), 0)})


def forget_unread_count(user):
    """After a change to ``user``'s messages in this request: the next unread_count(user) counts again."""
    user.__dict__.pop(UNREAD_ATTRIBUTE, None)


def messages_for(user):
    return Notification.objects.filter(recipient=user)


def mark_read(notification):
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user):
    forget_unread_count(user)
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=clock.now())


def _unique(recipients):
    seen, unique = set(), []
    for user in recipients:
        if user.pk not in seen:
            seen.add(user.pk)
            unique.append(user)
    return unique


def _write_and_send(recipients, subject, body, link):
    for user in recipients:
        forget_unread_count(user)  # a user who notified themselves sees the new count on this very page
    with transaction.atomic():
        Notification.objects.bulk_create(
            Notification(recipient=user, title=subject, body=body, link=link) for user in recipients
        )
        emails = OutgoingEmail.objects.bulk_create(
            OutgoingEmail(to=user.email, subject=SUBJECT_PREFIX + subject, body=email_text(user, body, link))
            for user in recipients if user.email
        )
        if emails:
            # bulk_create sets primary keys on PostgreSQL and SQLite alike.
            enqueue(send_emails, [email.pk for email in emails])


def _emails_title(email_ids):
    return f"发送通知邮件（{len(email_ids)} 封）"


# The outbox rows carry their own retries (below); a task that fails outright (the database was
# unreachable) is tried again a few times, and whatever it left pending the scheduled retry sends.
@background_task(title=_emails_title, retries=2)
def send_emails(email_ids):
    """Send these outbox emails now, if still due; (sent, failed)."""
    return _deliver(email_ids)


def retry_due_email():
    """Scheduled every minute: send the emails whose next attempt is due."""
    return deliver_pending_email()


@background_task(title=lambda email_id: f"重新发送邮件（待发邮件 {email_id}）")
def resend_email(email_id):
    """The administrator's re-run of an email that had failed every attempt: due now, with a fresh count.

    If it fails again it goes through the usual retries, and is shown again after the last one.
    """
    OutgoingEmail.objects.filter(pk=email_id, state=OutgoingEmail.State.FAILED).update(
        state=OutgoingEmail.State.PENDING, attempts=0, next_attempt_at=clock.now()
    )
    return _deliver([email_id])


def email_text(user, body, link):
    lines = [f"{user.display_name}，您好：", "", body, ""]
    if link:
        lines += [f"查看详情：{absolute_url(link)}", ""]
    lines += ["本邮件由镇江市创新联合体备案与管理平台自动发送，请勿直接回复。", "", SIGNATURE]
    return "\n".join(lines)


def absolute_url(link):
    if link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def _deliver(email_ids):
    """Send the given emails over one connection; each one claimed first so no other worker sends it too."""
    if _paused_until is not None and clock.now() < _paused_until:
        return 0, 0
    claimed = [email for email in OutgoingEmail.objects.filter(pk__in=email_ids).order_by("pk") if _claim(email)]
    if not claimed:
        return 0, 0
    connection = get_connection()  # EMAIL_TIMEOUT bounds each SMTP conversation
    try:
        connection.open()
    except Exception as error:  # the mail server is down: every email waits for the next attempt
        _pause_sending()
        logger.warning(
            "Could not connect to the mail server; %d email(s) kept for retry, no new attempt before %s: %s",
            len(claimed), clock.localtime(_paused_until).isoformat(timespec="seconds"), error,
        )
        for email in claimed:
            _record_failure(email, error, log=False)
        return 0, len(claimed)
    try:
        sent = sum(_send_one(connection, email) for email in claimed)
    finally:
        _close_quietly(connection)
    return sent, len(claimed) - sent


def _pause_sending():
    global _paused_until
    _paused_until = clock.now() + PAUSE_AFTER_CONNECTION_FAILURE


def _claim(email):
    now = clock.now()
    return bool(
        OutgoingEmail.objects.filter(pk=email.pk, state=OutgoingEmail.State.PENDING, next_attempt_at__lte=now)
        .update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    )


def _send_one(connection, email):
    message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to], connection=connection)
    try:
        message.send()
    except Exception as error:
        _record_failure(email, error)
        return 0
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=OutgoingEmail.State.SENT, attempts=email.attempts + 1, last_error="", sent_at=clock.now()
    )
    return 1


def retry_delay(attempts):
    """How long to wait after the given number of failed attempts: 1, 2, 4 … 256 minutes."""
    return timedelta(minutes=2 ** (min(attempts, MAX_ATTEMPTS) - 1))


def _record_failure(email, error, log=True):
    attempts = email.attempts + 1
    gave_up = attempts >= MAX_ATTEMPTS
    next_attempt_at = clock.now() + retry_delay(attempts)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=OutgoingEmail.State.FAILED if gave_up else OutgoingEmail.State.PENDING,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=next_attempt_at,
    )
    if gave_up:
        logger.error("Email %s to %s failed %d times; giving up: %s", email.pk, email.to, attempts, error)
        record_failure(
            title=f"邮件发送失败：{email.to}《{email.subject}》", task=resend_email, args=[email.pk], kwargs={},
            attempts=attempts, error=error,
        )
    elif log:
        logger.warning(
            "Email %s to %s failed (attempt %d); next attempt at %s", email.pk, email.to, attempts,
            clock.localtime(next_attempt_at).isoformat(timespec="seconds"), exc_info=error,
        )


def _close_quietly(connection):
    try:
        connection.close()
    except Exception as error:
        logger.warning("Closing the mail connection failed: %s", error)
