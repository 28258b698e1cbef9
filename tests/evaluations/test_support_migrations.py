"""The migrations of issue 18.4 and 21.4 keep every project recorded so far: a pair the plan does not allow is
settled (重点项目/揭榜挂帅 → 市级; 省级以上计划 at 市级 → 其他), and each project's funding becomes its support record."""

from datetime import date
from decimal import Decimal

import pytest

from evaluations.models import SupportProject, SupportRecord
from tests import factories, replaced_migrations

BEFORE = ("evaluations", "0008_the_supplementary_agreement")


@pytest.mark.django_db(transaction=True)
def test_projects_recorded_before_are_settled_and_become_support_records(capsys):
    with replaced_migrations.gone_back_to(BEFORE) as apps:
        old = apps.get_model("evaluations", "SupportProject")
        consortium = factories.consortium()
        rows = [("国家级重点项目", "key_project", "national", "200.00"), ("省级揭榜", "open_competition", "provincial", "100.00"),
                ("九百万", "provincial_plan", "municipal", "900.00"), ("国家计划", "provincial_plan", "national", "500.00")]
        for name, kind, level, amount in rows:
            old.objects.create(consortium_id=consortium.pk, name=name, kind=kind, level=level, amount=Decimal(amount),
                               starts_on=date(2024, 3, 1), ends_on=date(2025, 3, 1), status="ongoing")
    assert sorted(SupportProject.objects.values_list("name", "kind", "level", "amount")) == sorted([
        ("国家级重点项目", "key_project", "municipal", Decimal("200.00")), ("省级揭榜", "open_competition", "municipal", Decimal("100.00")),
        ("九百万", "other", "municipal", Decimal("900.00")), ("国家计划", "provincial_plan", "national", Decimal("500.00"))])
    assert sorted(SupportRecord.objects.values_list("project__name", "kind", "level", "amount", "year", "granting_body", "from_project")) == sorted([
        ("国家级重点项目", "key_project", "municipal", Decimal("200.00"), 2024, "镇江市科学技术局", True),
        ("省级揭榜", "open_competition", "municipal", Decimal("100.00"), 2024, "镇江市科学技术局", True),
        ("九百万", "other", "municipal", Decimal("900.00"), 2024, "镇江市科学技术局", True),
        ("国家计划", "provincial_plan", "national", Decimal("500.00"), 2024, "科学技术部", True)])
    printed = capsys.readouterr().out
    assert "「国家级重点项目」：key_project 级别 national → municipal" in printed and "「九百万」：provincial_plan（市级）→ other" in printed
