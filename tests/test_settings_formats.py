"""The pages print with {% localize off %} (templates/base.html): the formats of settings must be the locale's own, so that
a number or a date prints on a page exactly as Django's Chinese localization would print it."""

from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.conf.locale.zh_Hans import formats as zh_hans
from django.template import Context, Template
from django.utils import timezone

FORMATS = ["DATE_FORMAT", "SHORT_DATE_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT", "TIME_FORMAT", "DATETIME_FORMAT",
           "SHORT_DATETIME_FORMAT", "DECIMAL_SEPARATOR", "THOUSAND_SEPARATOR", "NUMBER_GROUPING"]


def test_the_formats_of_settings_are_the_chinese_locales():
    assert {name: getattr(settings, name) for name in FORMATS} == {name: getattr(zh_hans, name) for name in FORMATS}
    assert settings.USE_THOUSAND_SEPARATOR is False


def test_values_print_the_same_with_and_without_localization():
    values = {"n": 12345678, "money": Decimal("12800.50"), "rate": 0.125, "day": date(2026, 12, 3),
              "moment": timezone.make_aware(datetime(2026, 12, 3, 23, 59)), "at": time(8, 5), "yes": True}
    line = " | ".join(f"{{{{ {name} }}}}" for name in values)
    localized = Template(line).render(Context(values))
    assert Template("{% load l10n %}{% localize off %}" + line + "{% endlocalize %}").render(Context(values)) == localized
    assert localized == "12345678 | 12800.50 | 0.125 | 2026年12月3日 | 2026年12月3日 23:59 | 08:05 | True"
