"""§六（一）: the district of a filed consortium is told (in-app message and mail) of its report submitted or overdue,
its grade, revocation, dissolution, member change recorded, and of a ban of one of its units; another district is not."""

from datetime import date

import pytest
from django.core import mail

from accounts.models import Notification
from accounts.roles import Role
from evaluations.reports import services as reports_services
from evaluations.sanctions import services as sanctions_services
from tests import factories
from tests.evaluations.helpers import filed, fixed_today
from tests.lifecycle import submit_report

pytestmark = pytest.mark.django_db


def titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


@pytest.fixture
def other_district():
    return factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))


def test_the_district_hears_of_a_report_submitted_with_a_mail(django_capture_on_commit_callbacks, other_district):
    cast = filed()
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_report(cast.consortium, cast.applicant, cast.consortium.filed_on.year)
    title = f"年度报告已报送：{cast.consortium.name}"
    assert title in titles(cast.district)
    body = Notification.objects.get(recipient=cast.district, title=title).body
    assert body == f"{cast.consortium.lead_unit.name}牵头的“{cast.consortium.name}”已报送 {report.year} 年度运行情况总结和下一年度工作计划。"
    assert any(cast.district.email in m.to and title in m.subject for m in mail.outbox)
    assert title not in titles(other_district)


def test_the_district_hears_of_an_overdue_report_once(monkeypatch, django_capture_on_commit_callbacks, other_district):
    cast = filed(filed_in=2026)
    for day in (date(2026, 12, 1), date(2027, 1, 1), date(2027, 1, 2)):
        fixed_today(monkeypatch, day)
        with django_capture_on_commit_callbacks(execute=True):
            reports_services.send_due_reminders()
    assert titles(cast.district) == [f"年度报告逾期未报送：{cast.consortium.name}2026 年度"]  # not the reminders before the day
    assert titles(other_district) == []


@pytest.mark.parametrize(("action", "params", "title"), [
    ("evaluate", {"years_ago": 0, "grade": "qualified"}, "绩效评价结果：{name}"),
    ("revoke", {}, "取消资格：{name}"),
    ("file_member_change", {}, "成员变更已备案：{name}"),
    ("dissolve", {}, "创新联合体解散：{name}"),
])
def test_the_district_hears_of_each_decision(action, params, title, django_capture_on_commit_callbacks, other_district):
    cast = filed(filed_in=2024)
    with django_capture_on_commit_callbacks(execute=True):
        cast.take(action, **params)
    assert title.format(name=cast.consortium.name) in titles(cast.district)
    assert titles(other_district) == []


def test_the_districts_hear_of_a_ban_of_one_of_their_units(django_capture_on_commit_callbacks, other_district):
    cast = filed()
    member = cast.consortium.memberships.exclude(unit=cast.consortium.lead_unit).select_related("unit").first().unit
    danyang_unit_district = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("句容市"))
    member.bureau = danyang_unit_district.bureau
    member.save(update_fields=["bureau"])
    with django_capture_on_commit_callbacks(execute=True):
        sanctions_services.record_ban(cast.city, credit_code=member.credit_code, unit_name=member.name, unit_kind=member.kind,
                                      reason="承担市级项目存在严重失信行为", starts_on=date(2026, 1, 5), ends_on=date(2028, 1, 5))
    title = f"单位受限制：{member.name}"
    assert title in titles(cast.district)  # the district of the consortium that lists it
    assert title in titles(danyang_unit_district)  # the unit's own district
    assert f"该单位为“{cast.consortium.name}”的成员单位。" in Notification.objects.filter(recipient=cast.district, title=title).get().body
    assert titles(other_district) == []
