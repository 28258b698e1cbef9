"""A year after 备案, in the browser: the lead files the annual report (pre-filled from last year's), the city
grades it, and the lead reads the grade on the consortium page and in its messages."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from evaluations.models import AnnualReport, Evaluation
from tests import factories
from tests.applications.intake_helpers import pdf_bytes
from tests.browser.test_intake_journey import login
from tests.evaluations.helpers import filed
from tests.lifecycle import submit_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_lead_files_its_report_the_city_grades_it_and_the_lead_reads_the_grade(new_page, tmp_path):
    year = timezone.localdate().year
    cast = filed(filed_in=year - 1)
    consortium = cast.consortium
    submit_report(consortium, cast.applicant, year - 1, patents_applied=30, summary="去年：共建中试平台 1 个。")
    city = factories.user(Role.MUNICIPAL_STAFF, full_name="李处长")

    # The lead opens this year's report: pre-filled from last year's, last year's figures beside.
    lead = new_page()
    login(lead, cast.applicant.username, factories.PASSWORD)
    lead.goto(f"/evaluations/{consortium.pk}/")
    lead.click(f"tr[data-year='{year}'] a.btn")
    lead.click("button:has-text('开始填报')")
    lead.wait_for_load_state()  # report.js runs at the end of the page: typing before it would go uncounted
    assert lead.input_value("#id_patents_applied") == "30"
    assert lead.input_value("#id_summary") == "去年：共建中试平台 1 个。"
    lead.fill("#id_patents_applied", "42")
    expect(lead.locator("[data-change-of='patents_applied']")).to_have_text("+12")
    lead.fill("#id_summary", "本年度：联合攻关关键部件 3 项，完成样机研制。")
    lead.click("button[name=save]")
    assert f"{year} 年度报告已暂存。" in lead.content()
    lead.click("button:has-text('报送年度报告')")  # the confirm dialog is accepted
    assert "已报送，报送后不能再修改" in lead.content()
    report = AnnualReport.objects.get(consortium=consortium, year=year)
    assert report.is_submitted and report.content["summary"] == "本年度：联合攻关关键部件 3 项，完成样机研制。"

    # The city grades it on a third party's evaluation report.
    staff = new_page()
    login(staff, city.username, factories.PASSWORD)
    staff.goto("/workbench/municipal/")
    assert f"{consortium.name} {year} 年度报告" in staff.inner_text("[data-card=after-filing]")
    staff.goto(f"/evaluations/{consortium.pk}/")
    staff.click(f"tr[data-year='{year}'] >> text=绩效评价")
    assert "本年度：联合攻关关键部件 3 项，完成样机研制。" in staff.inner_text("[data-report-content] ~ .card")
    staff.check("input[name=grade][value=excellent]")
    staff.check("input[name=basis][value=third_party]")
    third_party = tmp_path / "第三方评价报告.pdf"
    third_party.write_bytes(pdf_bytes())
    staff.fill("#id_third_party_institution", "江苏省科技评估中心")
    staff.set_input_files("#id_third_party_file", str(third_party))
    staff.fill("#id_opinion", "年度目标全面完成，成果转化成效显著。")
    staff.click("button:has-text('确认评价结果')")
    assert f"已完成{year} 年度绩效评价：优秀。" in staff.content()
    assert Evaluation.objects.get(consortium=consortium, year=year).grade == "excellent"

    # The lead reads the grade on the consortium page and in its messages.
    lead.goto(f"/applications/{consortium.pk}/")
    history = lead.inner_text("[data-section=grades]")
    assert f"{year}\t优秀" in history or f"{year} 优秀" in " ".join(history.split())
    assert f"{year} 年度绩效评价结果：优秀" in lead.inner_text(".timeline")
    lead.click("a:has-text('消息')")
    lead.click(f"text=绩效评价结果：{consortium.name}")
    assert f"{year} 年度绩效评价结果：优秀" in lead.content()
