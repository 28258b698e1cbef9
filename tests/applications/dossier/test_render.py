import re

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from applications.choices import AttachmentKind
from applications.dossier import fonts, render
from applications.dossier.errors import FontMissing
from applications.models import Consortium, Membership, Unit
from tests import factories

from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def draft_render(django_db_setup, django_db_blocker):
    """The draft of the conftest's ``draft`` fixture, rendered once for the tests below that only read its PDF; built
    in a transaction rolled back when the render is done, so that each test finds the database as it would have.
    (pdf, the lead unit's name)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        with transaction.atomic():
            factories.reference_data()
            draft = helpers.application(applicant=factories.user(Role.APPLICANT))
            rendered = helpers.rendered(draft).pdf, draft.consortium.lead_unit.name
            transaction.set_rollback(True)
    return rendered


@pytest.fixture
def draft_pdf(draft_render):
    return draft_render[0]


def test_every_page_is_a4(draft_pdf):
    sizes = {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in helpers.pages(draft_pdf)}
    assert sizes == {helpers.A4}


def test_bookmarks_name_every_part_in_the_template_order_each_on_an_odd_page(draft_pdf):
    parts = [(title, page) for depth, title, page in helpers.outline(draft_pdf) if depth == 0]
    assert [title for title, _ in parts] == helpers.PART_TITLES
    assert [page % 2 for _, page in parts] == [0] * len(parts)  # page index 0, 2, 4 … is page 1, 3, 5 …
    texts = helpers.page_texts(draft_pdf)
    for title, page in parts[1:]:
        assert title in re.sub(r"\s+", "", texts[page])


def test_template_labels_come_in_the_template_order(draft_pdf):
    body = re.sub(r"\s+", "", "".join(helpers.page_texts(draft_pdf, "-raw")))
    labels = [
        "镇江市创新联合体备案申请书", "创新联合体名称", "产业领域", "牵头单位", "（盖章）", "联系人", "联系电话", "填报日期",
        "镇江市科学技术局", "填报说明", "按顺序装订", "一式三份", "目录",
        "（一）基础信息表", "1.基本信息", "创新联合体名称", "产业领域", "通讯地址", "创新联合体牵头单位", "法定代表人",
        "首席科学家姓名", "职务/职称", "双重负责制", "创新联合体牵头单位类型（可多选）", "高新技术企业", "联系人", "联系电话",
        "2.组织合作情况", "重点研发方向", "创新联合体各成员及分工", "序号", "单位名称", "统一社会信用代码", "任务分工",
        "工作职责", "近一年销售收入（万元，成员单位为企业填写）", "近一年研发投入（万元，成员单位为企业填写）",
        "联合体决策及运行机制", "3.科技创新基础", "牵头及成员单位拥有从业人员数", "其中：专业技术人员",
        "牵头及成员单位拥有有效知识产权数量", "其中：发明专利", "牵头及成员单位已建市级以上创新平台", "平台名称",
        "级别（国家级/省级/市级）", "依托单位", "建设时间", "牵头及成员单位近三年承担", "项目名称", "级别（国家级/省级）",
        "实施期", "承担单位",
        "（二）创新联合体建设方案", "一、建设意义及发展方向", "1.创新联合体建设的意义和必要性", "2.建设基础",
        "3.发展定位及分析", "二、建设任务及目标", "年度", "建设任务", "研发项目计划", "团队建设", "研发经费投入（万元）",
        "三、保障措施", "1.组织架构", "组织机构", "理事会", "专家指导委员会", "秘书处", "首席专家（首席科学家）", "学习经历",
        "主要学术成就", "产业界任职", "2.运行机制", "3.经费投入与保障措施",
        "（三）单位简介", "牵头单位简介", "（一）企业总体情况", "（二）企业技术创新情况", "（三）企业科技成果、荣誉情况",
        "成员单位简介", "江苏大学测试（高校）", "（一）团队人数、学历等总体情况", "（二）团队主要成员简历、研发方向",
        "（三）团队及主要成员获得的奖项、荣誉",
        "（四）创新联合体章程（组建协议）", "一、组建原则", "二、目标任务", "三、成员分工", "四、组织机构和职责", "五、知识产权归属",
        "六、收益分配", "七、经费管理", "八、项目管理", "九、其他约定", "第一条", "组建协议签署情况", "签署人身份", "签署日期", "授权书",
        "（五）附件材料", "附件1营业执照", "附件2发明专利证书",
    ]
    position = -1
    for label in labels:
        found = body.find(label.replace(" ", ""), position + 1)
        assert found > position, f"{label} missing or out of order"
        position = found


def test_page_numbers_are_on_the_outer_side_and_blank_pages_have_none(draft_pdf):
    texts = helpers.page_texts(draft_pdf)
    numbered, blank = [], []
    for index, page in enumerate(helpers.pages(draft_pdf)):
        runs = [(x, y) for text, x, y, _ in helpers.text_runs(page) if text == f"— {index + 1} —"]
        body = re.sub(r"[\s草稿]", "", texts[index].replace("草稿 · 未提交，无验证码", ""))  # footer and watermark
        if runs:
            (x, y), = runs
            assert y < 90  # at the foot
            assert (x > 297) if index % 2 == 0 else (x < 297)  # recto: right, verso: left
            numbered.append(index)
        elif index > 0:
            assert body == ""  # only pages left blank before a part go unnumbered
            blank.append(index)
    assert numbered[0] == 2 and blank[0] == 1  # the cover and its blank back carry no number
    assert len(numbered) + len(blank) + 1 == len(texts)


def test_table_of_contents_gives_the_page_of_each_part_and_attachment(draft_pdf):
    toc_page = next(page for depth, title, page in helpers.outline(draft_pdf) if title == "目录")
    toc = helpers.page_texts(draft_pdf)[toc_page]
    for _depth, title, page in helpers.outline(draft_pdf):
        if title.startswith("（") or title.startswith("附件"):
            line = next(line for line in toc.splitlines() if title[:8] in line)
            assert re.search(rf"[.\s]{page + 1}$", line.rstrip()), line


def test_attachments_are_merged_after_their_caption_with_bookmarks_and_page_numbers(draft_render):
    draft_pdf, lead = draft_render
    items = helpers.outline(draft_pdf)
    attachments = [(title, page) for depth, title, page in items if depth == 1 and title.startswith("附件")]
    assert [title for title, _ in attachments] == [f"附件1 营业执照 — {lead}", "附件2 发明专利证书 — 江苏大学测试"]
    texts = helpers.page_texts(draft_pdf)
    first = attachments[0][1]
    assert "附件1 营业执照" in texts[first] and "ATTACHMENT-1 PAGE-1" in texts[first]
    assert "ATTACHMENT-1 PAGE-2" in texts[first + 1]
    assert f"— {first + 2} —" in texts[first + 1]  # numbering continues through the merged pages
    image_page = helpers.pages(draft_pdf)[attachments[1][1]]
    assert len(image_page["/Resources"]["/XObject"]) >= 1  # the PNG, scaled into the page
    assert len(texts) == attachments[1][1] + 1


def test_a_draft_carries_the_watermark_on_every_page_and_no_verification_code(draft_pdf):
    for page in helpers.pages(draft_pdf):
        assert any("草" in text and size >= 100 for text, _, _, size in helpers.text_runs(page))
    texts = helpers.page_texts(draft_pdf)
    assert "验证码 " not in "".join(texts)
    assert all("草稿 · 未提交，无验证码" in text for text in texts[1:])


def test_a_submitted_version_has_no_watermark_and_its_code_on_every_page(applicant, draft):
    version = helpers.submit(draft, applicant)
    result = helpers.rendered(draft)
    code = "-".join(version.sha256[i:i + 4].upper() for i in range(0, 16, 4))
    for page in helpers.pages(result.pdf):
        assert not any(size >= 100 for _, _, _, size in helpers.text_runs(page))
    texts = helpers.page_texts(result.pdf)
    assert all(code in text for text in texts)
    assert "草稿" not in "".join(texts)
    assert f"{version.submitted_at.year} 年" in texts[0]


def test_the_three_copy_file_has_three_covers_each_on_an_odd_page(draft):
    single = helpers.rendered(draft).pages
    result = helpers.rendered(draft, copies=3)
    per_copy = single + single % 2
    assert result.pages == 3 * per_copy
    texts = helpers.page_texts(result.pdf)
    for number in range(3):
        cover = texts[number * per_copy]
        assert "镇江市创新联合体备案申请书" in cover and f"第{number + 1}份" in cover
    assert sum("镇江市创新联合体备案申请书" in text for text in texts) == 3
    tops = [(title, page) for depth, title, page in helpers.outline(result.pdf) if depth == 0]
    assert tops == [("第1份", 0), ("第2份", per_copy), ("第3份", 2 * per_copy)]


def test_a_broken_or_encrypted_attachment_becomes_a_page_saying_so_and_a_warning(applicant, draft):
    member = draft.consortium.memberships.exclude(unit=applicant.unit).first().unit
    helpers.attach(draft.consortium, member, AttachmentKind.QUALIFICATION, b"%PDF-1.4\nthis is not a pdf",
                   title="资质证明")
    helpers.attach(draft.consortium, applicant.unit, AttachmentKind.OTHER, helpers.encrypted_pdf(), title="加密文件")
    result = helpers.rendered(draft)
    assert result.warnings == [
        f"附件3《资质证明》（{member.name}）未能编入申请书：文件已损坏，无法读取。",
        f"附件4《加密文件》（{applicant.unit.name}）未能编入申请书：文件已加密，需要密码才能打开。",
    ]
    texts = [re.sub(r"\s+", "", text) for text in helpers.page_texts(result.pdf, "-raw")]
    assert "附件3资质证明—江苏大学测试" in texts[-2] and "该附件未能编入本申请书" in texts[-2]
    assert "文件已损坏，无法读取" in texts[-2]
    assert "该附件未能编入本申请书" in texts[-1] and "文件已加密，需要密码才能打开" in texts[-1]


def test_without_a_cjk_font_the_render_stops_and_names_the_package(settings, draft):
    settings.DOSSIER_BODY_FONT = "Nonexistent Song SC"
    with pytest.raises(FontMissing) as error:
        helpers.rendered(draft)
    assert "“Nonexistent Song SC”" in str(error.value)
    assert "fonts-noto-cjk" in str(error.value)


def test_the_installed_noto_fonts_are_found():
    assert {"Noto Serif CJK SC", "Noto Sans CJK SC"} <= fonts.installed_cjk_families()


def test_empty_values_print_as_empty_cells_and_money_with_two_decimals(draft_pdf):
    body = "".join(helpers.page_texts(draft_pdf))
    assert "None" not in body
    assert "12800.50" in body and "960.00" in body and "52000.00" in body and "3100.25" in body
    assert "1500.00" in body


def test_a_long_members_table_repeats_its_header_on_every_page(applicant):
    app = helpers.application(applicant=applicant, members=30, with_attachments=False)
    texts = helpers.page_texts(helpers.rendered(app).pdf)
    member_pages = [text for text in texts if re.search(r"91321\w{13}", text)]
    assert len(member_pages) >= 2
    for text in member_pages:
        assert "统一社会信用代码" in text and "创新联合体各成员及分工" in text


def test_the_renderer_fetches_nothing_but_inline_data():
    fetcher = render.offline_url_fetcher()
    for url in ("file:///etc/hostname", "http://127.0.0.1:9/x.png", "https://kjj.example.gov.cn/a.css"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,5LiA").read() == "一".encode()


def test_a_shortfall_prints_its_statement_right_after_the_basic_information(applicant):
    small = helpers.application(applicant=applicant, members=4, with_attachments=False)  # 3 members besides the lead
    small.shortfall_statement = "本产业链上游企业较少。\n已与两家高校签订合作意向。"
    small.save()
    pdf = helpers.rendered(small).pdf
    pages = {title: page for _, title, page in helpers.outline(pdf)}
    parts = [title for depth, title, _ in helpers.outline(pdf) if depth == 0]
    basic, plan = parts[3], parts[4]  # 封面, 填报说明, 目录, then (一) and (二)
    assert pages[basic] <= pages["情况说明"] < pages[plan]
    flat = "".join(helpers.page_texts(pdf)[pages["情况说明"]].split())
    assert "未达到的原则性组建条件：目前成员单位3家（不含牵头单位），原则上不少于4家。" in flat
    assert "本产业链上游企业较少。" in flat and "已与两家高校签订合作意向。" in flat


def test_no_statement_is_printed_when_the_rules_are_met(applicant):
    full = helpers.application(applicant=applicant, members=5, with_attachments=False)  # 4 members besides the lead
    full.shortfall_statement = "早先写的说明"
    full.save()
    texts = helpers.page_texts(helpers.rendered(full).pdf)
    assert not any("未达到的原则性组建条件" in text or "早先写的说明" in text for text in texts)


def test_the_statement_is_signed_by_the_lead_unit_with_its_date(applicant):
    """The 情况说明 is the lead's own statement: it carries a 落款 for the seal and the date, after its text."""
    small = helpers.application(applicant=applicant, members=4, with_attachments=False)
    small.shortfall_statement = "本产业链上游企业较少。"
    small.save()
    draft_texts = helpers.page_texts(helpers.rendered(small).pdf)
    page = next("".join(text.split()) for text in draft_texts if "本产业链上游企业较少。" in text)
    assert f"本产业链上游企业较少。牵头单位（盖章）：{applicant.unit.name}日期：年月日" in page  # a draft: left to fill in
    version = helpers.submit(small, applicant)
    submitted = next("".join(text.split()) for text in helpers.page_texts(helpers.rendered(small).pdf)
                     if "本产业链上游企业较少。" in text)
    day = timezone.localdate(version.submitted_at)
    assert f"牵头单位（盖章）：{applicant.unit.name}日期：{day.year}年{day.month}月{day.day}日" in submitted


def test_the_cover_keeps_one_page_and_the_date_line_clear_of_the_bureau_at_the_longest_names(applicant):
    app = helpers.application(applicant=applicant, with_attachments=False)
    lead, name, contact = factories.longest_name(1), factories.longest_name(2, "创新联合体"), "欧阳" * 32
    Unit.objects.filter(pk=applicant.unit_id).update(name=lead)
    Membership.objects.filter(consortium=app.consortium, unit_id=applicant.unit_id).update(unit_name=lead)
    Consortium.objects.filter(pk=app.consortium_id).update(name=name)
    app.contact_person, app.contact_phone = contact, "0511-85001234转8001，13912345678"
    app.save()
    pdf = helpers.rendered(app).pdf
    cover = helpers.word_boxes(pdf)[0]
    text = "".join(helpers.page_texts(pdf, "-raw")[0].split())
    for whole in (lead, name, contact, "填报日期", "0511-85001234转8001，13912345678"):
        assert whole in text
    issuer = next(w for w in cover if w.text == "镇江市科学技术局")
    box = 210 - 26 - 40  # the verification (or 草稿) box fills the cover's bottom right corner, 40 mm wide
    above = [w for w in cover if w.bottom <= issuer.top + 1 and w.text != "镇江市科学技术局" and w.right < box
             and w.size < 20]  # not the 草稿 watermark
    assert issuer.top - max(w.bottom for w in above) >= 5  # the 填报日期 line stays clear of the bureau's name
    assert all(w.right <= 210 - 26 + 0.5 for w in cover)  # nothing runs into the margin
    assert "填报说明" not in "".join(helpers.page_texts(pdf)[0].split())
