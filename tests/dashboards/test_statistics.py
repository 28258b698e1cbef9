import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.choices import Status
from applications.models import Consortium, IndustryField
from dashboards import charts, stats
from evaluations.models import AnnualReport, Evaluation
from tests import factories
from tests.dashboards import bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """Known data: 京口区 3 filed (智能电气, each with a 高校 and an out-of-town enterprise), 1 submitted;
    丹阳市 2 filed (新能源) and 1 revoked; graded this year 优秀, 合格, 不合格 and last year 优秀."""
    electric, energy = IndustryField.objects.get(name="智能电气"), IndustryField.objects.get(name="新能源")
    university = bulk.units(1, kind="university", district=None, registered=False)[0]
    outside = bulk.units(1, district=None, registered=False)[0]
    jingkou = bulk.consortia(3, field=electric, members=[university, outside], name="京口")
    bulk.consortia(1, status=Status.SUBMITTED, field=electric, name="京口待审")
    danyang = bulk.consortia(2, field=energy, district="丹阳市", name="丹阳")
    bulk.consortia(1, status=Status.REVOKED, field=energy, district="丹阳市", name="丹阳取消")
    year = timezone.localdate().year
    staff = factories.user(Role.MUNICIPAL_STAFF)
    for consortium, grade, when in [(jingkou[0], "excellent", year), (jingkou[1], "qualified", year), (danyang[0], "unqualified", year),
                                    (danyang[1], "excellent", year - 1)]:
        Evaluation.objects.create(consortium=consortium, year=when, grade=grade, opinion="意见", basis="experts",
                                  decided_by=staff, decided_at=timezone.now())
    return {"staff": staff, "jingkou": jingkou, "danyang": danyang, "year": year}


def test_the_city_sees_the_whole_citys_figures(client, city):
    report = stats.report(city["staff"], city["year"])
    stages = dict(report["stages"].rows)
    assert (stages["已备案"], stages["待初审"], stages["资格取消"]) == (5, 1, 1)
    assert "草稿" not in stages
    assert report["stages"].total == 7
    chains = {name: n for _, name, n in report["chains"].rows}
    assert (chains["智能电气"], chains["新能源"], chains["生物医药"]) == (3, 2, 0)
    assert report["chains"].total == 5
    assert (report["chains"].target, report["chains"].target_year) == (5, 2025)
    kinds, districts = report["members"]
    assert dict(kinds.rows) == {"企业": 8, "高校": 3, "科研院所": 0, "其他": 0}  # 5 leads + 3 out-of-town members
    assert kinds.units == 7
    assert dict(districts.rows)["京口区"] == 3 and dict(districts.rows)["丹阳市"] == 2
    assert dict(districts.rows)["市外或未登记辖区"] == 6
    assert dict(report["grades"].rows) == {"优秀": 1, "合格": 1, "不合格": 1}
    assert [row["consortium__name"] for row in report["recommended"]] == [city["jingkou"][0].name]
    assert (report["overdue"].due, report["overdue"].overdue) == (5, 0)  # this year's reports are due on 12-31


def test_reports_owed_and_overdue_count_the_consortia_filed_by_that_year(client, city):
    last_year = city["year"] - 1
    Consortium.objects.filter(pk=city["jingkou"][2].pk).update(filed_on=date(last_year - 1, 3, 1))
    Consortium.objects.filter(pk=city["danyang"][1].pk).update(filed_on=date(last_year, 6, 1))
    AnnualReport.objects.create(consortium=city["danyang"][1], year=last_year, submitted_at=timezone.now(),
                                content={"year": last_year}, sha256="0" * 64)
    overdue = stats.report(city["staff"], last_year)["overdue"]
    assert (overdue.due, overdue.overdue) == (2, 1)
    assert overdue.rows == [(city["jingkou"][2].name, city["jingkou"][2].record_number, city["jingkou"][2].lead_unit.name)]
    client.force_login(city["staff"])
    html = client.get(reverse("dashboards:statistics"), {"year": last_year}).content.decode()
    assert f"逾期未报送 <strong data-overdue>1</strong> 个：{city['jingkou'][2].name}。" in html


def test_reports_overdue_today_are_counted_whatever_year_is_chosen(client, city):
    # This year's reports are not due before 12-31: the page, which opens on this year, still lists last year's.
    last_year = city["year"] - 1
    late = city["jingkou"][2]
    Consortium.objects.filter(pk=late.pk).update(filed_on=date(last_year - 1, 3, 1))
    AnnualReport.objects.create(consortium=late, year=last_year - 1, submitted_at=timezone.now(),
                                content={"year": last_year - 1}, sha256="0" * 64)
    overdue = stats.report(city["staff"], city["year"])["overdue"]
    assert (overdue.overdue, overdue.late_now) == (0, 1)
    assert overdue.late_now_rows == [(late.name, late.record_number, late.lead_unit.name, str(last_year))]
    client.force_login(city["staff"])
    html = client.get(reverse("dashboards:statistics")).content.decode()
    assert "有逾期未报送年度报告的在册创新联合体 <strong data-overdue-now>1</strong> 个" in html
    assert f"<td>{late.name}</td>" in html and f'<td class="text-nowrap">{last_year}</td>' in html


def test_a_district_sees_the_same_figures_for_its_own_district(client, city):
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))
    report = stats.report(reviewer, city["year"])
    assert report["chains"].total == 2
    assert dict(report["stages"].rows)["资格取消"] == 1
    assert dict(report["members"][0].rows)["企业"] == 2
    assert dict(report["grades"].rows) == {"优秀": 0, "合格": 0, "不合格": 1}
    assert report["recommended"] == []
    last_year = stats.report(reviewer, city["year"] - 1)
    assert [row["consortium__name"] for row in last_year["recommended"]] == [city["danyang"][1].name]


def test_the_page_shows_each_chart_beside_the_table_of_its_numbers(client, city):
    client.force_login(city["staff"])
    response = client.get(reverse("dashboards:statistics"), {"year": city["year"]})
    html = response.content.decode()
    assert html.count("<svg") == 9  # progress, chains, stages, kinds, districts, grades; support by kind, level, year
    assert html.count('class="table table-sm stats-table') == 8
    assert "<title" in html and "style=" not in html.split("<main")[1]
    assert ">3 个</text>" in html  # the number is written on the bar
    assert "工作方案目标：到 2025 年培育 5 个左右" in html
    assert "逾期未报送 <strong data-overdue>0</strong> 个" in html
    assert city["jingkou"][0].name in html


def test_the_page_opens_on_last_year_whose_reports_are_due_and_graded_this_year(client, city):
    client.force_login(city["staff"])
    response = client.get(reverse("dashboards:statistics"))
    assert response.context["report"]["year"] == city["year"] - 1
    html = response.content.decode()
    assert f"{city['year'] - 1} 年度绩效评价结果（共 1 个）" in html
    assert city["danyang"][1].name in html  # graded 优秀 last year: recommended to the province


def test_an_odd_year_is_explained_and_last_years_figures_shown(client, city):
    client.force_login(city["staff"])
    for year, message in [("abc", "请填写年份，如 2026。"), ("1999", "最早为 2023 年。"), ("\x00", "请填写年份，如 2026。")]:
        response = client.get(reverse("dashboards:statistics"), {"year": year})
        assert response.status_code == 200
        assert response.context["form"].errors["year"] == [message]
        assert response.context["report"]["year"] == city["year"] - 1


def test_statistics_are_for_the_bureaus_only(client):
    for role in Role:
        client.force_login(factories.user(role))
        expected = 200 if role in (Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF) else 403
        assert client.get(reverse("dashboards:statistics")).status_code == expected


def test_a_chart_says_everything_in_text_and_patterns_and_escapes_labels():
    svg = charts.bar_chart([charts.Bar("<企业>", 12, 0), charts.Bar("高校", 0, 1)], title="类型", unit="家次", target=5)
    assert "&lt;企业&gt;" in svg and "<企业>" not in svg
    assert ">12 家次</text>" in svg and ">0 家次</text>" in svg
    assert len(re.findall(r"<pattern ", svg)) == 2
    assert "目标 5 家次" in svg
    assert svg.count("<rect x=") == 1  # a bar of 0 is not drawn, only its number
