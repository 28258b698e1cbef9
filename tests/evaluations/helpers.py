"""Consortia after 备案 for the evaluations tests, built through the services (tests/lifecycle.py)."""

from django.utils import timezone

from applications.choices import Status
from operations import clock
from tests.applications.intake_helpers import management
from tests.lifecycle import cast_at, file_earlier, report_data


def filed(filed_in=None, **kwargs):
    """A filed consortium and its people; ``filed_in``: the year it was filed (test data, default this year, on
    15 January, so that this year's report is owed whatever day the tests run)."""
    cast = cast_at(Status.FILED, **kwargs)
    file_earlier(cast.consortium, filed_in or this_year())
    return cast


def report_post(report, lock_version=None, **overrides):
    """The report editor's POST body for a complete report (overrides by field name, as typed)."""
    data = report_data(report)
    progress = data.pop("progress")
    body = {name: "" if value is None else str(value) for name, value in data.items()}
    body.update(management("targets", len(progress), len(progress)))
    for i, row in enumerate(progress):
        body[f"targets-{i}-state"], body[f"targets-{i}-note"] = row["state"], row["note"]
    body["lock_version"] = str(report.lock_version if lock_version is None else lock_version)
    body.update({k: str(v) for k, v in overrides.items()})
    return body


def fixed_today(monkeypatch, day):
    """A fixed clock: the portal's clock.today() (and now(), at 10:00) say ``day``, a day past or still to come: the real
    time is faked (operations/clock.py), not a story told."""
    moment = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()).replace(hour=10))
    monkeypatch.setattr(clock, "real_now", lambda: moment)
    return day


def this_year():
    return clock.today().year
