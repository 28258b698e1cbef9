"""The portal's clock (operations/clock.py): the real time, set back only by ``clock.story`` (the demo loader), read
by every stamp the models put on a row."""

import threading
import types
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.apps import apps
from django.db import models
from django.forms import modelform_factory
from django.utils import timezone

from candidates.models import Candidate
from operations import clock

OUR_APPS = {"accounts", "applications", "candidates", "reviews", "evaluations", "dashboards", "operations"}


def test_outside_a_story_the_clock_is_the_real_time():
    before = timezone.now()
    now = clock.now()
    after = timezone.now()
    assert before <= now <= after
    assert clock.today() == timezone.localdate()
    assert clock.localtime().utcoffset() == timedelta(hours=8)


def test_a_story_sets_the_clock_back_inside_the_block_only():
    moment = timezone.now() - timedelta(days=3 * 365)
    with clock.story(moment):
        assert clock.now() == moment
        assert clock.today() == timezone.localdate(moment)
        assert clock.real_now() > moment  # the real time is still there, for what counts the story's days
        with clock.story(moment - timedelta(days=1)):
            assert clock.now() == moment - timedelta(days=1)
        assert clock.now() == moment
    assert clock.now() > moment
    with pytest.raises(ZeroDivisionError), clock.story(moment):
        1 / 0
    assert clock.now() > moment  # set back even when the block fails


def test_a_story_never_moves_the_clock_past_the_real_now():
    tomorrow = timezone.now() + timedelta(days=1)
    with clock.story(tomorrow):
        assert clock.now() <= timezone.now()
        assert clock.today() <= timezone.localdate()


def test_the_clocks_dates_are_beijing_dates():
    moment = datetime(2025, 12, 31, 16, 30, tzinfo=dt_timezone.utc)  # 00:30 on 1 January 2026 in Beijing
    with clock.story(moment):
        assert clock.today() == date(2026, 1, 1)
        assert clock.localdate() == date(2026, 1, 1)
        assert (clock.localtime().hour, clock.localtime().minute) == (0, 30)
    assert clock.localdate(moment) == date(2026, 1, 1)
    assert clock.localtime(moment).day == 1
    with timezone.override("UTC"):  # a zone activated for a request changes none of the portal's dates
        assert timezone.localdate(moment) == date(2025, 12, 31)
        assert clock.localdate(moment) == date(2026, 1, 1)
        assert clock.localtime(moment).utcoffset() == timedelta(hours=8)
        with clock.story(moment):
            assert clock.today() == date(2026, 1, 1)


def test_a_story_is_told_to_its_own_thread_only():
    seen = []
    moment = timezone.now() - timedelta(days=10)
    with clock.story(moment):
        worker = threading.Thread(target=lambda: seen.append(clock.now()))
        worker.start()
        worker.join()
    assert seen[0] > moment


@pytest.mark.parametrize("kind", ["auto_now", "auto_now_add"])
def test_a_stamped_field_takes_the_clocks_time_as_djangos_took_timezone_now(kind):
    field = clock.DateTimeField(**{kind: True})
    field.set_attributes_from_name("stamped_at")
    assert (field.editable, field.blank) == (False, True)  # left out of forms and the admin, as Django's
    row = types.SimpleNamespace(stamped_at=None)
    moment = timezone.now() - timedelta(days=400)
    with clock.story(moment):
        assert field.pre_save(row, add=True) == moment == row.stamped_at
    later = field.pre_save(row, add=False)  # a later save: auto_now stamps again, auto_now_add keeps the first
    assert (later > moment) if kind == "auto_now" else (later == moment)


def test_every_stamp_of_the_portals_models_reads_the_clock():
    """A new ``models.DateTimeField(auto_now=True)`` would take timezone.now() behind the clock's back (ruff cannot see
    it); a default of timezone.now is refused by ruff. Django's own User.date_joined keeps Django's default."""
    wrong = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.concrete_fields:
            stamped = isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add)
            if stamped and not isinstance(field, clock.DateTimeField):
                wrong.append(f"{model._meta.label}.{field.name}")
            if field.default is timezone.now and field.name != "date_joined":
                wrong.append(f"{model._meta.label}.{field.name} default")
    assert wrong == []


def test_stamped_fields_stay_out_of_forms():
    assert {"created_at", "updated_at"}.isdisjoint(modelform_factory(Candidate, fields="__all__").base_fields)
