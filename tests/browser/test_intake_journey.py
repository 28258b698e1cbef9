"""A new lead enterprise, as a person would: register, get approved, fill in every part (the organs, the 首席专家,
the 组建协议's eight sections and who signed it for each unit, one by an 授权人 with the 授权书), upload, check,
explain, fix, submit and print — while another lead declares one of its members differently, which changes nothing here."""

import re
import subprocess

import pytest
from django.utils import timezone

from accounts.roles import Role
from applications import services
from applications.models import Consortium
from tests import factories
from tests.applications.intake_helpers import pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTER_FIELDS = ["charter_principles", "charter_goals", "charter_division", "charter_organization", "charter_ip",
                  "charter_benefits", "charter_funding", "charter_projects"]
MEMBERS = [  # name, kind — no 高校/科研院所 at first
    ("镇江华源精密机械有限公司", "enterprise"),
    ("镇江新能储能科技有限公司", "enterprise"),
    ("南京联芯电子有限公司", "enterprise"),
    ("镇江市智能制造研究中心", "other"),
    ("江苏大学", "other"),
]


def login(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def save_and_next(page):
    page.click("button[name=save_next]")
    page.wait_for_load_state()


def test_a_new_lead_enterprise_fills_in_checks_fixes_and_submits(new_page, tmp_path):
    reviewer = factories.user(Role.DISTRICT_REVIEWER, username="jingkou-test")
    codes = [factories.credit_code() for _ in range(len(MEMBERS) + 1)]
    lead_code = codes.pop()
    page = new_page()

    # Register.
    page.goto("/register/")
    page.fill("#id_name", "镇江金港智能电气有限公司")
    page.fill("#id_credit_code", lead_code.lower())
    page.select_option("#id_bureau", label="京口区（京口区科学技术局）")
    page.fill("#id_legal_representative", "赵建国")
    page.fill("#id_address", "镇江市京口区学府路 88 号")
    page.fill("#id_full_name", "刘敏")
    page.fill("#id_phone", "13905110001")
    page.check("input[name=is_legal_person][value=True]")
    page.fill("#id_email", "liumin@example.com")
    page.fill("#id_username", "jingang")
    page.fill("#id_password1", "Jg#2026pass")
    page.fill("#id_password2", "Jg#2026pass")
    page.click("text=提交注册")
    assert "单位注册正在等待 京口区科学技术局 审核" in page.content()
    assert page.locator("text=新建备案申请").count() == 0

    # The district bureau approves.
    bureau = new_page()
    login(bureau, reviewer.username, factories.PASSWORD)
    bureau.goto("/registrations/")
    bureau.locator(".card", has_text="镇江金港智能电气有限公司").locator("button[value=approve]").click()
    bureau.wait_for_load_state()
    assert "已通过“镇江金港智能电气有限公司”的注册" in bureau.content()

    # Start the application.
    page.goto("/")
    page.click("text=新建备案申请")
    page.fill("#id_name", "镇江智能电气创新联合体")
    page.select_option("#id_industry_field", label="智能电气")
    page.click("text=创建申请书草稿")
    page.click("text=1. 基础信息")

    # Leaving with unsaved typing asks first (the fixture accepts; the typing is then retyped).
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.type))
    page.locator("#id_chief_scientist").press_sequentially("孙")
    page.click("text=2. 成员及分工")
    page.wait_for_url("**/edit/members/")
    assert dialogs == ["beforeunload"]
    page.click("text=1. 基础信息")

    # (一) 基础信息
    page.fill("#id_chief_scientist", "孙立新")
    page.fill("#id_chief_scientist_title", "首席科学家/教授")
    page.check("input[name=lead_types][value=high_tech]")
    page.check("input[name=lead_types][value=specialized]")
    page.fill("#id_contact_person", "刘敏")
    page.fill("#id_contact_phone", "0511-85001234")
    page.fill("#id_research_directions", "智能电网关键装备")
    page.fill("#id_governance", "理事会决策，秘书处执行；成果按贡献共有，收益按协议分配。")
    page.fill("#id_staff_total", "3200")
    page.fill("#id_staff_professional", "860")
    page.fill("#id_ip_total", "420")
    page.fill("#id_ip_invention_patents", "96")
    save_and_next(page)
    assert "“基础信息”已暂存" in page.content()

    # Members: the lead's row plus 5 member rows added in the page.
    page.fill("#id_lead-task_division", "总体设计与组织协调")
    page.fill("#id_lead-duties", "牵头组织联合攻关")
    page.fill("#id_lead-sales_revenue", "286000")
    page.fill("#id_lead-rd_spend", "15200.5")
    for index, ((name, kind), code) in enumerate(zip(MEMBERS, codes)):
        page.click("text=＋ 添加成员单位")
        page.fill(f"#id_members-{index}-unit_name", name)
        page.fill(f"#id_members-{index}-credit_code", code)
        page.select_option(f"#id_members-{index}-unit_kind", kind)
        page.fill(f"#id_members-{index}-task_division", "联合攻关")
        page.fill(f"#id_members-{index}-duties", "承担子课题")
        if kind == "enterprise":
            page.fill(f"#id_members-{index}-sales_revenue", "15600")
            page.fill(f"#id_members-{index}-rd_spend", "1280.50")
    page.click("text=＋ 添加成员单位")  # one row too many, left blank: it is simply no row
    save_and_next(page)
    assert "“成员及分工”已暂存" in page.content()

    # Platforms (2) and a project.
    for index, (name, level) in enumerate([("江苏省智能电气工程技术研究中心", "provincial"), ("镇江市智能电网重点实验室", "municipal")]):
        page.locator("[data-add-row=platforms]").click()
        page.fill(f"#id_platforms-{index}-name", name)
        page.select_option(f"#id_platforms-{index}-level", level)
        page.fill(f"#id_platforms-{index}-built_on", "2019-06-01")
    page.locator("[data-add-row=projects]").click()
    page.fill("#id_projects-0-name", "智能电网关键部件研发")
    page.select_option("#id_projects-0-level", "provincial")
    this_year = timezone.localdate().year
    page.fill("#id_projects-0-starts_on", f"{this_year - 1}-01-01")
    page.fill("#id_projects-0-ends_on", f"{this_year + 1}-12-31")
    save_and_next(page)

    # (二) 建设方案
    for field in ["plan_significance", "plan_foundation", "plan_positioning", "plan_organization", "plan_mechanism", "plan_funding"]:
        page.fill(f"#id_{field}", "按提纲填写的内容。")
    page.locator("[data-add-row=targets]").click()
    page.fill("#id_targets-0-year", "2027")
    page.fill("#id_targets-0-tasks", "完成关键技术攻关路线设计")
    page.fill("#id_targets-0-rd_investment", "3000")
    save_and_next(page)

    # 组织机构与首席专家: the 理事会 (its chair and a member), the 专家指导委员会, the 秘书处, the 首席专家.
    for prefix, rows in (("council", [("chair", "赵建国", "镇江金港智能电气有限公司", "董事长"),
                                      ("member", "王建华", "镇江华源精密机械有限公司", "总经理")]),
                         ("advisory", [("chair", "孙立新", "江苏大学", "教授")])):
        for index, (role, name, unit, title) in enumerate(rows):
            page.locator(f"[data-add-row={prefix}]").click()
            page.select_option(f"#id_{prefix}-{index}-role", role)
            page.fill(f"#id_{prefix}-{index}-name", name)
            page.fill(f"#id_{prefix}-{index}-unit_name", unit)
            page.fill(f"#id_{prefix}-{index}-title", title)
    page.fill("#id_secretariat_head", "刘敏")
    page.fill("#id_secretariat_unit", "镇江金港智能电气有限公司")
    for field, value in (("unit", "江苏大学"), ("field", "电力电子与智能电网"), ("education", "东南大学电气工程博士"),
                         ("achievements", "国家科学技术进步奖二等奖"), ("industry_roles", "江苏省电力行业协会专家委员会主任"),
                         ("phone", "0511-88780000")):
        page.fill(f"#id_chief_expert_{field}", value)
    save_and_next(page)
    assert "“组织机构与首席专家”已暂存" in page.content()

    # (三) 单位简介: three paragraphs for each of the 6 units.
    areas = page.locator("textarea")
    assert areas.count() == 18
    for i in range(18):
        areas.nth(i).fill("简介段落。")
    save_and_next(page)

    # (四) 章程: the eight sections, one row per unit signed (镇江新能 by an 授权人, with the 授权书), the signed scan.
    for index, area in enumerate(CHARTER_FIELDS):
        page.fill(f"#id_{area}", f"组建协议第{index + 1}项：各方约定的具体内容。")
    page.fill("#id_charter_text", "第一章 总则……")
    rows = page.locator("[data-signatory]")
    assert rows.count() == 6  # the lead and its five members, in the member table's order
    assert page.input_value("#id_signatories-0-person_name") == "赵建国"  # the lead's 法定代表人, proposed
    today = timezone.localdate().isoformat()
    letter = tmp_path / "授权书.png"
    letter.write_bytes(png_bytes())
    for index in range(6):
        authorised = index == 2
        page.select_option(f"#id_signatories-{index}-capacity", "authorised" if authorised else "legal_representative")
        page.fill(f"#id_signatories-{index}-person_name", "钱科研" if authorised else ("赵建国" if index == 0 else f"法人{index}"))
        page.fill(f"#id_signatories-{index}-signed_on", today)
    page.set_input_files("#id_signatories-2-authorization_file", str(letter))
    agreement = tmp_path / "组建协议.pdf"
    agreement.write_bytes(pdf_bytes())
    page.set_input_files("#id_agreement_scan", str(agreement))
    page.click("button[name=save]")
    assert "“章程（组建协议）”已暂存" in page.content()
    assert page.locator("[data-signatory]").nth(2).locator("[data-authorization]").inner_text() == "已上传：授权书.png"
    page.click("text=8. 附件材料")

    # (五) 附件材料: licences for the enterprises and the lead's proofs.
    certificate = tmp_path / "证书.png"
    certificate.write_bytes(png_bytes())
    uploads = [(name, "license") for name, kind in MEMBERS if kind != "university"]
    uploads += [("镇江金港智能电气有限公司", "license"), ("镇江金港智能电气有限公司", "qualification"), ("镇江金港智能电气有限公司", "patent")]
    for unit_name, kind in uploads:
        page.select_option("#id_unit", label=unit_name)
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", str(certificate))
        page.click("button:has-text('上传')")
        assert "附件已上传" in page.content()
    assert "应提供的材料已齐全" in page.content()

    # The readiness check fails a 原则上 rule: no 高校/科研院所. It asks for a 情况说明.
    page.click("text=形式审查与提交")
    failing = page.locator("[data-check=fail]")
    assert failing.count() == 1
    assert "成员单位中没有高校或科研院所" in failing.inner_text()
    assert page.locator("button:has-text('提交申请书')").is_disabled()
    page.fill("#id_shortfall_statement", "江苏大学团队以个人身份参与，学校协议正在审批中。")
    page.click("button:has-text('保存情况说明')")
    assert "情况说明已保存。" in page.content()
    assert page.locator("[data-check=fail]").count() == 0
    assert "已填写情况说明，将随申请书提交" in page.locator("[data-check=explained]").inner_text()
    assert page.locator("button:has-text('提交申请书')").is_enabled()

    # Meanwhile another lead declares 江苏大学's code as a consulting company of its own.
    other_lead = factories.user(Role.APPLICANT, username="other-lead")
    other = services.start_application(other_lead, name="另一个创新联合体", industry_field=factories.industry_field())
    elsewhere = new_page()
    login(elsewhere, other_lead.username, factories.PASSWORD)
    elsewhere.goto(f"/applications/{other.pk}/edit/members/")
    elsewhere.click("text=＋ 添加成员单位")
    elsewhere.fill("#id_members-0-unit_name", "Y咨询服务有限公司")
    elsewhere.fill("#id_members-0-credit_code", codes[4])
    elsewhere.select_option("#id_members-0-unit_kind", "enterprise")
    elsewhere.click("button[name=save]")
    assert "“成员及分工”已暂存" in elsewhere.content()

    # Better than explaining: fix it where the check points — 江苏大学 is a 高校. Our row is as we typed it.
    page.locator("[data-check=explained]").locator("text=去修改").click()
    page.wait_for_load_state()
    assert page.input_value("#id_members-4-unit_name") == "江苏大学"
    page.select_option("#id_members-4-unit_kind", "university")
    page.click("button[name=save]")
    assert "“成员及分工”已暂存" in page.content()
    page.click("text=形式审查与提交")
    assert page.locator("[data-check=fail]").count() == 0
    assert page.locator("[data-check=explained]").count() == 0
    assert page.locator("#id_shortfall_statement").count() == 0  # no longer asked for

    page.click("button:has-text('提交申请书')")
    assert "申请书已提交（第 1 版）" in page.content()
    assert "已提交第 1 版" in page.locator("main").inner_text()
    assert "申请书已锁定，退回修改前不能编辑" in page.locator("main").inner_text()
    consortium = Consortium.objects.get(name="镇江智能电气创新联合体")

    # Print it: the organs after 组织架构, the 组建协议's sections in order and who signed it, the 授权书 among the attachments.
    page.goto(f"/applications/{consortium.pk}/")
    with page.expect_download(timeout=90_000) as download:  # the render runs in the request here; on a busy machine it takes a while
        page.click("button:has-text('下载申请书（1份）')", timeout=90_000)
    printed = tmp_path / "申请书.pdf"
    download.value.save_as(printed)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-raw", str(printed), "-"], capture_output=True, check=True).stdout.decode())
    organs = text[text.rindex("1.组织架构"):text.rindex("2.运行机制")]
    assert "理事会理事长赵建国镇江金港智能电气有限公司董事长" in organs and "主任委员孙立新江苏大学教授" in organs
    charter = text[text.rindex("（四）创新联合体章程（组建协议）"):text.rindex("（五）附件材料")]
    assert [charter.index(f"组建协议第{n}项") for n in range(1, 9)] == sorted(charter.index(f"组建协议第{n}项") for n in range(1, 9))
    assert "镇江新能储能科技有限公司授权人钱科研" in charter
    assert "授权书（镇江新能储能科技有限公司）" in text

    page.goto(f"/applications/{consortium.pk}/edit/basic/")
    assert "申请书已提交（第 1 版），在退回修改前不能编辑" in page.content()
    assert page.locator("button[name=save]").count() == 0
    assert consortium.status == "submitted"
    assert consortium.memberships.count() == 6
    assert consortium.application.platforms.count() == 2
