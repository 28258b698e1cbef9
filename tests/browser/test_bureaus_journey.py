"""The bureaus' own work, in the browser (issue 21): a district adds a candidate lead to its 培育库 and invites it; the
enterprise registers from the mailed link (pre-filled); its application passes 初审 and the city downloads the district's
printed 推荐意见; the 科技联络员 records a visit with a follow-up and finds it on the dashboard."""

import io
import re

import pytest
from pypdf import PdfReader

from accounts.models import OutgoingEmail, User
from accounts.roles import Role
from applications import services
from candidates.models import Candidate
from evaluations.liaison import services as liaison_services
from tests import factories
from tests.browser.test_intake_journey import login
from tests.lifecycle import cast_at, complete_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_candidate_invited_registers_passes_the_initial_review_with_its_printed_recommendation(new_page):
    district = factories.user(Role.DISTRICT_REVIEWER, full_name="王审核")
    city = factories.user(Role.MUNICIPAL_STAFF, full_name="李处长")
    code = factories.credit_code()

    # The district adds the candidate and invites it.
    bureau = new_page()
    login(bureau, district.username, factories.PASSWORD)
    bureau.click("nav >> text=培育库")
    bureau.click("text=新增培育对象")
    bureau.fill("#id_name", "镇江恒顺新材料有限公司")
    bureau.fill("#id_credit_code", code)
    bureau.select_option("#id_industry_field", label="高性能材料")
    bureau.fill("#id_contact_name", "王经理")
    bureau.fill("#id_contact_phone", "13800000001")
    bureau.fill("#id_contact_email", "wang@example.com")
    bureau.fill("#id_reason", "高性能合金细分领域龙头，研发投入占比 6%。")
    bureau.click("button:has-text('保存')")
    assert "已将“镇江恒顺新材料有限公司”列入培育库。" in bureau.content()
    bureau.click("button:has-text('邀请注册')")
    assert "已向 wang@example.com 发送注册邀请" in bureau.content()
    assert bureau.locator("[data-status]").inner_text() == "已邀请注册"

    # The enterprise opens the mailed link: what the district knew is filled in.
    link = re.search(r"https?://\S+(/register/\?invite=\S+)", OutgoingEmail.objects.get(to="wang@example.com").body).group(1)
    enterprise = new_page()
    enterprise.goto(link)
    assert enterprise.input_value("#id_name") == "镇江恒顺新材料有限公司"
    assert enterprise.input_value("#id_credit_code") == code
    assert enterprise.input_value("#id_full_name") == "王经理" and enterprise.input_value("#id_email") == "wang@example.com"
    enterprise.fill("#id_legal_representative", "赵建国")
    enterprise.fill("#id_address", "镇江市京口区学府路 88 号")
    enterprise.check("input[name=is_legal_person][value=True]")
    enterprise.fill("#id_username", "hengshun")
    enterprise.fill("#id_password1", "Hs#2026pass")
    enterprise.fill("#id_password2", "Hs#2026pass")
    enterprise.click("text=提交注册")
    assert "单位注册正在等待 京口区科学技术局 审核" in enterprise.content()

    # The district approves the registration: the candidate points at the unit.
    bureau.goto("/registrations/")
    bureau.locator(".card", has_text="镇江恒顺新材料有限公司").locator("button[value=approve]").click()
    bureau.wait_for_load_state()
    candidate = Candidate.objects.get()
    assert candidate.unit.credit_code == code

    # The enterprise writes and submits its application (built here through the services), the candidate follows.
    applicant, application = complete_application(User.objects.get(username="hengshun"))
    services.submit_application(application.pk, applicant)
    bureau.goto(f"/candidates/{candidate.pk}/")
    assert bureau.locator("[data-status]").inner_text() == "已提交申请"

    # 初审 passed with an opinion: the 推荐意见 is printed and filed with the application.
    bureau.goto(f"/reviews/{application.consortium_id}/")
    bureau.fill("#id_opinion", "材料齐全，同意推荐。")
    bureau.click("button[value=district_pass]")
    assert "当前状态“初审通过”" in bureau.content()

    staff = new_page()
    login(staff, city.username, factories.PASSWORD)
    staff.goto(f"/reviews/{application.consortium_id}/")
    card = staff.locator("[data-recommendation]").inner_text()
    assert "京口区科学技术局推荐意见" in card and "材料齐全，同意推荐。" in card and "板块推荐" in card
    with staff.expect_download() as download:
        staff.click("text=下载推荐意见（PDF）")
    reader = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    assert len(reader.pages) == 1 and "创新联合体备案推荐意见" in reader.pages[0].extract_text()


def test_the_liaison_records_a_visit_with_a_follow_up_and_finds_it_on_the_dashboard(new_page):
    cast = cast_at("filed")
    liaison = factories.user(Role.MUNICIPAL_STAFF, full_name="王联络")
    liaison_services.assign_liaison(cast.consortium.pk, cast.city, liaison)
    page = new_page()
    login(page, liaison.username, factories.PASSWORD)
    page.goto(f"/evaluations/{cast.consortium.pk}/")
    page.locator("[data-card=work]").get_by_role("link", name="记录", exact=True).click()
    page.wait_for_load_state()
    page.check("input[name=kind][value=visit]")
    page.fill("#id_participants", "市科技局 王联络；牵头单位 赵总")
    page.fill("#id_agreed", "中试线 3 月底前投产。")
    page.fill("#id_follow-0-task", "协调江苏大学派驻工程师")
    page.fill("#id_follow-0-due_on", "2099-03-31")
    page.click("button:has-text('保存')")
    timeline = page.locator("[data-card=work]").inner_text()
    assert "走访" in timeline and "中试线 3 月底前投产。" in timeline and "协调江苏大学派驻工程师" in timeline
    page.goto("/evaluations/liaison/")
    assert "协调江苏大学派驻工程师" in page.locator("[data-card=open-follow-ups]").inner_text()
    page.locator("[data-card=open-follow-ups]").locator("button:has-text('标记完成')").click()
    page.wait_for_load_state()
    assert "“协调江苏大学派驻工程师”已标记为已完成。" in page.content()
    assert "没有未完成的跟进事项" in page.locator("[data-card=open-follow-ups]").inner_text()
