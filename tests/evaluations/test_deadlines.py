"""The 12-31 deadline is a Beijing date (DESIGN.md rule 8). At 23:30 on 31 December and at 00:30 on 1 January Beijing
time the UTC clock reads 15:30 and 16:30 on 31 December: a rule that took the UTC date would call both on time."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.roles import Role
from evaluations import audit_actions as evaluations_actions
from evaluations import rules
from evaluations.choices import Reminder, ReportStanding
from evaluations.reports import selectors as reports_selectors
from evaluations.reports import services as reports_services
from operations import clock
from tests import factories
from tests.evaluations.helpers import filed, this_year
from tests.lifecycle import report_data

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def clock_at(monkeypatch, moment):
    """The portal's clock.now() reads ``moment`` (an aware datetime): the real time is faked (operations/clock.py)."""
    monkeypatch.setattr(clock, "real_now", lambda: moment)


def moments(year):
    """(23:30 on 31 December, 00:30 on 1 January) Beijing time around the deadline of ``year``'s report."""
    before = datetime(year, 12, 31, 23, 30, tzinfo=BEIJING)
    after = datetime(year + 1, 1, 1, 0, 30, tzinfo=BEIJING)
    assert before.astimezone(ZoneInfo("UTC")).date() == after.astimezone(ZoneInfo("UTC")).date()  # both 31 December in UTC
    return before, after


@pytest.mark.parametrize("when, late", [(0, False), (1, True)])
def test_a_report_sent_after_midnight_beijing_time_on_1_january_is_late(client, monkeypatch, when, late):
    year = this_year() - 1
    cast = filed(filed_in=year)
    report = reports_services.start_report(cast.consortium.pk, cast.applicant, year, today=timezone.localdate().replace(year=year, month=12, day=1))
    reports_services.save_report(report.pk, cast.applicant, None, report_data(report))
    clock_at(monkeypatch, moments(year)[when])
    reports_services.submit_report(report.pk, cast.applicant)
    event = AuditEvent.objects.get(action=evaluations_actions.REPORT_SUBMITTED)
    assert ("（逾期）" in event.detail) is late
    row = next(r for r in reports_selectors.report_years(cast.applicant, cast.consortium) if r.year == year)
    assert row.standing == (ReportStanding.SUBMITTED_LATE if late else ReportStanding.SUBMITTED)


@pytest.mark.parametrize("when, overdue, reminder", [(0, False, Reminder.BEFORE_7), (1, True, Reminder.OVERDUE)])
def test_the_deadline_rules_turn_at_midnight_beijing_time(monkeypatch, when, overdue, reminder):
    year = this_year() - 1
    cast = filed(filed_in=year)
    staff = factories.user(Role.MUNICIPAL_STAFF)
    clock_at(monkeypatch, moments(year)[when])
    today = clock.today()
    assert rules.reminder_due(year, today) == reminder
    # In Python (the rows shown) and in SQL (the counts) alike.
    assert (year in reports_selectors.overdue_map([cast.consortium]).get(cast.consortium.pk, [])) is overdue
    assert reports_selectors.overdue_consortia(staff).filter(pk=cast.consortium.pk).exists() is overdue
    owing, missing = reports_selectors.reports_owed(staff, year)
    assert (owing.filter(pk=cast.consortium.pk).exists(), missing.filter(pk=cast.consortium.pk).exists()) == (True, overdue)


def test_the_grading_page_of_a_year_opens_only_once_its_report_is_overdue(client, monkeypatch):
    year = this_year() - 1
    cast = filed(filed_in=year)
    client.force_login(cast.city)
    before, after = moments(year)
    clock_at(monkeypatch, before)
    assert client.get(reverse("evaluations:grade", args=[cast.consortium.pk, year])).status_code == 404
    clock_at(monkeypatch, after)
    client.force_login(cast.city)  # an hour later: the 30-minute idle session has ended
    assert client.get(reverse("evaluations:grade", args=[cast.consortium.pk, year])).status_code == 200
