"""``|day`` and ``|moment`` (operations/templatetags/dates.py) print what Django's ``|date:"Y-m-d"`` and
``|date:"Y-m-d H:i"`` print, in a template drawn as the portal draws its pages."""

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.template import engines
from django.utils.translation import gettext_lazy

from operations.templatetags.dates import day, moment


def drawn(text):
    return engines["django"].from_string("{% load l10n dates %}{% localize off %}" + text + "{% endlocalize %}")


DAYS = drawn('{{ v|date:"Y-m-d" }}'), drawn("{{ v|day }}")
MOMENTS = drawn('{{ v|date:"Y-m-d H:i" }}'), drawn("{{ v|moment }}")

VALUES = [
    date(2026, 12, 31), date(999, 1, 2), date(2026, 1, 1),
    datetime(2025, 12, 31, 16, 30, tzinfo=dt_timezone.utc),  # 00:30 on 1 January 2026 in Beijing
    datetime(2026, 6, 1, 23, 59, 59, tzinfo=dt_timezone(timedelta(hours=-5))),
    datetime(2026, 3, 4, 5, 6),  # naive: printed as it is
    None, "", "2026-01-31", 0, 12, [], gettext_lazy("不是日期"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_day_and_moment_print_what_djangos_date_filter_prints(value):
    djangos, ours = DAYS
    assert ours.render({"v": value}) == djangos.render({"v": value})
    if type(value) is not date:  # Django refuses a time of a date (a TypeError, a server error); |moment prints nothing
        djangos, ours = MOMENTS
        assert ours.render({"v": value}) == djangos.render({"v": value})


def test_a_moment_is_beijing_time():
    instant = datetime(2025, 12, 31, 16, 30, tzinfo=dt_timezone.utc)
    assert (day(instant), moment(instant)) == ("2026-01-01", "2026-01-01 00:30")
    assert (day(date(2026, 2, 3)), moment(date(2026, 2, 3))) == ("2026-02-03", "")
    assert day(None) == moment(None) == ""
