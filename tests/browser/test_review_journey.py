"""The whole review path, in the browser, each person in their own session: a 情况说明 flagged to the
reviewers, a return and resubmission, 综合论证 whose decision waits for every expert, 备案 and the notice."""

import pytest

from accounts.roles import Role
from applications import services
from applications.choices import Status
from reviews.models import Criterion
from tests import factories
from tests.browser.test_intake_journey import login
from tests.lifecycle import complete_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_return_resubmit_pass_evaluate_file_and_download_the_notice(new_page):
    applicant_user, application = complete_application(members=3)  # one short of the 原则上 four
    services.save_part(application.pk, "statement", applicant_user, None, "第四家成员单位正在办理入盟手续。")
    consortium = application.consortium
    district = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant_user.unit.bureau, full_name="王审核")
    city = factories.user(Role.MUNICIPAL_STAFF, full_name="李处长")
    experts = [factories.user(Role.EXPERT, full_name=name, employer=employer)
               for name, employer in (("周教授", "东南大学"), ("吴研究员", "南京工业大学"))]
    review_url = f"/reviews/{consortium.pk}/"

    applicant = new_page()
    login(applicant, applicant_user.username, factories.PASSWORD)
    applicant.goto(f"/applications/{consortium.pk}/check/")
    applicant.click("button:has-text('提交申请书')")
    assert "申请书已提交（第 1 版）" in applicant.content()

    # The district returns it with an opinion.
    reviewer = new_page()
    login(reviewer, district.username, factories.PASSWORD)
    reviewer.goto("/reviews/district/")
    reviewer.click(f"text={consortium.name}")
    flags = reviewer.locator("[data-flags]").inner_text()
    assert "未达到原则性组建条件：目前成员单位 3 家（不含牵头单位），原则上不少于 4 家" in flags
    assert "第四家成员单位正在办理入盟手续。" in flags
    reviewer.fill("#id_opinion", "请补充联合体运行机制中的收益分配办法。")
    reviewer.click("button[value=district_return]")
    assert "当前状态“退回修改（初审）”" in reviewer.content()

    # The applicant reads the opinion, fixes, resubmits.
    applicant.goto(f"/applications/{consortium.pk}/")
    assert "请补充联合体运行机制中的收益分配办法。" in applicant.locator(".alert-warning").inner_text()
    applicant.click("text=1. 基础信息")
    applicant.fill("#id_governance", "理事会决策；收益按投入比例分配。")
    applicant.click("button[name=save]")
    applicant.click("text=形式审查与提交")
    applicant.click("button:has-text('提交申请书')")
    assert "申请书已提交（第 2 版）" in applicant.content()

    # Back in the same district's queue, with the changes shown; passed.
    reviewer.goto("/reviews/district/")
    reviewer.click(f"text={consortium.name}")
    changes = reviewer.locator(".card", has_text="与第 1 版相比的修改").inner_text()
    assert "联合体决策及运行机制" in changes and "收益按投入比例分配" in changes
    reviewer.fill("#id_opinion", "材料齐全，同意推荐。")
    reviewer.click("button[value=district_pass]")
    assert "当前状态“初审通过”" in reviewer.content()

    # The city starts 综合论证 with two experts.
    staff = new_page()
    login(staff, city.username, factories.PASSWORD)
    staff.goto("/reviews/city/")
    staff.check(f"#sel-{consortium.pk}")
    staff.fill("#id_title", "2026年第二批综合论证")
    for expert in experts:
        staff.check(f"text={expert.full_name}（{expert.employer}）")
    staff.click("button:has-text('启动综合论证')")
    assert f"{consortium.name}：已启动综合论证，分配专家 2 名" in staff.content()

    def expert_scores(expert, score):
        page = new_page()
        login(page, expert.username, factories.PASSWORD)
        page.click(f"text={consortium.name}")
        for criterion in Criterion.objects.filter(is_active=True):
            page.fill(f"#id_c{criterion.pk}", score)
        page.fill("#id_comment", f"{expert.full_name}的意见")
        page.click("button:has-text('提交评分')")
        assert "评分已提交。" in page.content()

    # One expert scores; 予以备案 waits for the other, and the form says who.
    expert_scores(experts[0], "85")
    staff.goto(review_url)
    assert "尚未提交：吴研究员" in staff.locator("[data-missing-scores]").inner_text()
    staff.check("input[name=action][value=file]")
    staff.fill("#id_opinion", "经综合论证，予以备案。")
    staff.click("button:has-text('确认')")
    assert "以下专家尚未提交评分：吴研究员。" in staff.content()
    consortium.refresh_from_db()
    assert (consortium.status, consortium.record_number) == (Status.UNDER_APPRAISAL, None)

    # The second scores: the city sees each score, their mean and spread, and files it.
    expert_scores(experts[1], "75")
    staff.goto(review_url)
    panel = staff.locator(".card", has_text="综合论证 · 2026年第二批综合论证").inner_text()
    assert "周教授" in panel and "加权得分 85.0" in panel and "加权得分 75.0" in panel
    assert "平均加权得分 80.0；极差 10.0" in panel
    staff.check("input[name=action][value=file]")
    suggested = staff.input_value("#id_name")
    assert suggested.endswith("创新联合体") and f"（{consortium.industry_field.name}）" in suggested
    staff.fill("#id_opinion", "经综合论证，予以备案。")
    staff.click("button:has-text('确认')")
    assert "当前状态“已备案”" in staff.content()
    # the record of the 综合论证 stays after the decision
    assert "吴研究员" in staff.locator("[data-appraisal]").inner_text()

    # The applicant sees the name, the number, the timeline — and no expert — and downloads the notice.
    consortium.refresh_from_db()
    assert consortium.status == Status.FILED
    applicant.goto(f"/applications/{consortium.pk}/")
    page_text = applicant.locator("main").inner_text()
    assert consortium.name in page_text and consortium.record_number in page_text
    for step in ("提交申请", "退回修改", "修改后重新提交", "初审通过", "启动综合论证", "予以备案"):
        assert step in applicant.locator(".timeline").inner_text()
    assert "周教授" not in page_text and "吴研究员" not in page_text
    with applicant.expect_download() as download:
        applicant.click("text=下载备案通知书（PDF）")
    assert download.value.suggested_filename == f"备案通知书-{consortium.record_number}.pdf"
