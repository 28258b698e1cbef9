from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications import readiness, services, workflow
from applications.choices import Status
from applications.models import Attachment, DraftInput, Membership, UnitBan
from tests import factories
from tests.applications.intake_helpers import (
    complete_application,
    management,
    member_post,
    member_row,
    pdf_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


def failing(application):
    return {check.title: check.reasons for check in readiness.run(application) if not check.ok}


# --- Readiness: every rule both ways ------------------------------------------------------


def test_a_complete_application_passes_every_check():
    _, application = complete_application()
    assert failing(application) == {}


def test_fewer_than_four_units_fails():
    _, application = complete_application(members=2)
    assert failing(application) == {
        "成员单位不少于 4 家（含牵头单位）": ["目前共 3 家单位（含牵头单位），原则上不少于 4 家，请在“成员及分工”中添加成员单位。"]
    }


def test_no_university_or_institute_fails():
    _, application = complete_application(with_university=False)
    assert failing(application) == {"成员单位中至少有 1 家高校或科研院所": ["成员单位中没有高校或科研院所；相关学科高校院所不少于 1 家。"]}


def test_a_lead_that_is_not_a_company_fails():
    applicant, application = complete_application()
    lead = application.consortium.lead_unit
    lead.is_legal_person = False
    lead.save()
    assert failing(application) == {"牵头单位在镇江市注册，为独立法人企业": ["牵头单位须为具有独立法人资格的企业。"]}


def test_a_lead_already_leading_another_live_consortium_fails():
    applicant, application = complete_application()
    other = factories.consortium(lead=factories.unit(), name="另一个")
    # the database allows one live consortium per lead; simulate a filed one led by this lead
    Membership.objects.filter(consortium=other).delete()
    other.lead_unit = application.consortium.lead_unit
    other.status = Status.REJECTED
    other.save()
    assert failing(application) == {}
    application.consortium.status = Status.REJECTED
    application.consortium.save()
    other.status = Status.FILED
    other.record_number, other.filed_on = "ZJ-1", timezone.localdate()
    other.save()
    application.consortium.status = Status.DRAFT  # as the check sees it: another live one exists
    problems = {c.title: c.reasons for c in readiness.run(application) if not c.ok}
    assert problems["牵头单位未牵头其他在建或已备案的创新联合体"] == [
        f"{other.lead_unit.name}已牵头“另一个”（已备案），原则上 1 家牵头单位只能牵头组建 1 个创新联合体。"
    ]


def test_a_banned_member_fails_and_says_until_when():
    _, application = complete_application()
    member = application.consortium.memberships.filter(role="member").first().unit
    UnitBan.objects.create(unit=member, starts_on=timezone.localdate() - timedelta(days=10),
                           ends_on=timezone.localdate().replace(year=timezone.localdate().year + 3), reason="连续两次评价不合格")
    until = timezone.localdate().replace(year=timezone.localdate().year + 3)
    assert failing(application) == {"无被取消资格、限制参与的单位": [
        f"{member.name}因连续两次评价不合格，{until.year}年{until.month}月{until.day}日前不得牵头或参与创新联合体。"
    ]}


def test_missing_money_for_an_enterprise_fails():
    _, application = complete_application()
    member = application.consortium.memberships.filter(role="member", unit__kind="enterprise").first()
    member.rd_spend = None
    member.save()
    assert failing(application) == {"企业成员已填写近一年销售收入和研发投入": [f"{member.unit.name}未填写近一年研发投入。"]}


def test_a_missing_licence_fails():
    _, application = complete_application()
    licence = application.consortium.attachments.filter(kind="license").first()
    licence.delete()
    assert failing(application) == {"附件材料齐全": [f"缺少{licence.unit.name}的营业执照或法人证书复印件。"]}


def test_a_missing_required_field_fails_and_names_it():
    _, application = complete_application()
    application.governance = ""
    application.save()
    assert failing(application) == {"“基础信息”必填项已填写": ["未填写：联合体决策及运行机制。"]}


def test_an_invalid_stored_credit_code_fails():
    _, application = complete_application()
    unit = application.consortium.memberships.filter(role="member").first().unit
    unit.credit_code = unit.credit_code[:17] + ("0" if unit.credit_code[17] != "0" else "1")
    unit.save()
    assert list(failing(application)) == ["各单位统一社会信用代码有效且互不重复"]


def test_pending_invalid_input_fails_until_fixed(client):
    applicant, application = complete_application()
    client.force_login(applicant)
    url = reverse("applications:edit", args=[application.consortium_id, "basic"])
    client.post(url, {"lock_version": application.lock_version, "staff_total": "abc"})
    assert failing(application) == {"没有暂存但未通过校验的内容": ["以下部分有暂存但未通过校验的内容，请打开改正后保存：“基础信息”。"]}


# --- Submission freezes a version and locks the 申请书 ---------------------------------------


def test_submit_is_refused_on_the_server_unless_all_checks_pass(client):
    applicant, application = complete_application(with_university=False)
    client.force_login(applicant)
    response = client.post(reverse("applications:submit", args=[application.consortium_id]), follow=True)
    assert "形式审查未通过，不能提交：成员单位中至少有 1 家高校或科研院所" in response.content.decode()
    application.consortium.refresh_from_db()
    assert application.consortium.status == Status.DRAFT
    assert application.versions.count() == 0


def test_submitting_freezes_a_version_with_attachment_hashes_and_locks_editing(client):
    applicant, application = complete_application()
    client.force_login(applicant)
    response = client.post(reverse("applications:submit", args=[application.consortium_id]), follow=True)
    assert "申请书已提交（第 1 版）" in response.content.decode()
    version = application.versions.get()
    attachment = application.consortium.attachments.first()
    assert {a["sha256"] for a in version.content["attachments"]} >= {attachment.sha256}
    assert len(version.sha256) == 64
    edit = reverse("applications:edit", args=[application.consortium_id, "basic"])
    assert "申请书已提交（第 1 版），在退回修改前不能编辑" in client.get(edit).content.decode()
    client.post(edit, {"lock_version": application.lock_version + 1, "governance": "改了"})
    application.refresh_from_db()
    assert application.governance == "理事会决策"


def test_a_resubmission_is_a_new_version_and_the_changes_are_listed(client):
    applicant, application = complete_application()
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
    services.submit_application(application.pk, applicant)
    workflow.transition(application.consortium_id, "district_return", reviewer, opinion="请补充运行机制")
    services.save_part(application.pk, "basic", applicant, None, lambda app: app.__class__.objects.filter(pk=app.pk).update(governance="理事会决策；秘书处执行"))
    version = services.submit_application(application.pk, applicant)
    assert version.number == 2
    application.consortium.refresh_from_db()
    assert application.consortium.status == Status.SUBMITTED
    client.force_login(reviewer)
    page = client.get(reverse("applications:versions", args=[application.consortium_id])).content.decode()
    assert "联合体决策及运行机制" in page
    assert "理事会决策；秘书处执行" in page


# --- Bad input: a Chinese message beside the field, nothing typed lost -------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sales_revenue", "-5", "金额不能为负数。"),
        ("sales_revenue", "一千", "请输入数字金额（万元），如 1280.50。"),
        ("rd_spend", "12.345", "金额最多保留两位小数。"),
        ("credit_code", "91350100M000100Y44", "统一社会信用代码校验位不正确：第 18 位应为“3”，请核对前 17 位是否有误。"),
        ("task_division", "分" * 201, "“任务分工”最多 200 字（当前 201 字）。"),
    ],
)
def test_bad_member_input_is_explained_beside_the_field_and_kept(client, field, value, message):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    row = member_row("江苏大学", "91350100M000100Y43", **{field: value})
    response = client.post(reverse("applications:edit", args=[consortium.pk, "members"]),
                           member_post([row], consortium.application.lock_version))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors[field] == [message]
    page = response.content.decode()
    assert 'value="江苏大学"' in page
    assert "已暂存您填写的内容，但有 1 处需要改正" in page
    # the typed rows come back on the next visit, with the same message
    again = client.get(reverse("applications:edit", args=[consortium.pk, "members"]))
    assert again.context["formset"].forms[0].errors[field] == [message]
    assert DraftInput.objects.filter(application=consortium.application, part="members").exists()


def test_the_same_unit_twice_is_refused(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    rows = [member_row("甲公司", "91350100M000100Y43"), member_row("甲公司（重复）", "91350100m000100y43")]
    response = client.post(reverse("applications:edit", args=[consortium.pk, "members"]), member_post(rows, 1))
    assert response.context["formset"].forms[1].errors["credit_code"] == ["与第 2 行为同一单位（统一社会信用代码重复），同一单位只能填写一次。"]
    rows = [member_row("牵头本身", applicant.unit.credit_code)]
    response = client.post(reverse("applications:edit", args=[consortium.pk, "members"]), member_post(rows, 1))
    assert response.context["formset"].forms[0].errors["credit_code"] == ["与牵头单位为同一单位（统一社会信用代码重复），同一单位只能填写一次。"]


def test_valid_members_are_saved_in_the_order_typed(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    codes = [factories.credit_code() for _ in range(3)]
    rows = [member_row("丙", codes[0]), member_row("甲大学", codes[1], kind="university"), member_row("乙", codes[2])]
    response = client.post(reverse("applications:edit", args=[consortium.pk, "members"]), member_post(rows, 1))
    assert response.status_code == 302
    names = list(consortium.memberships.order_by("position").values_list("unit__name", "position", "sales_revenue"))
    assert [(n, p) for n, p, _ in names] == [(applicant.unit.name, 1), ("丙", 2), ("甲大学", 3), ("乙", 4)]
    assert names[2][2] is None  # a university's sales are not asked


def platform_post(lock_version, **overrides):
    data = {"lock_version": str(lock_version), **management("platforms", 1), **management("projects", 1)}
    data.update({"platforms-0-name": "重点实验室", "platforms-0-level": "provincial", "platforms-0-built_on": "2020-05-01",
                 "projects-0-name": "攻关项目", "projects-0-level": "national", "projects-0-starts_on": "2023-01-01",
                 "projects-0-ends_on": "2025-12-31"})
    data.update(overrides)
    return data


def test_a_platform_built_in_the_future_is_refused(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(reverse("applications:edit", args=[consortium.pk, "foundation"]),
                           platform_post(1, **{"platforms-0-built_on": tomorrow}))
    assert response.context["platforms"].forms[0].errors["built_on"] == ["建设时间不能晚于今天。"]


def test_a_project_ending_before_it_starts_is_refused(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    response = client.post(reverse("applications:edit", args=[consortium.pk, "foundation"]),
                           platform_post(1, **{"projects-0-ends_on": "2022-12-31"}))
    assert response.context["projects"].forms[0].errors["ends_on"] == ["实施期结束日期不能早于开始日期。"]
    response = client.post(reverse("applications:edit", args=[consortium.pk, "foundation"]), platform_post(1))
    assert response.status_code == 302
    assert list(consortium.application.platforms.values_list("name", flat=True)) == ["重点实验室"]


def test_text_over_its_length_is_refused(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    response = client.post(reverse("applications:edit", args=[consortium.pk, "basic"]),
                           {"lock_version": 1, "research_directions": "向" * 2001, "governance": "保留我"})
    assert response.context["form"].errors["research_directions"] == ["“重点研发方向”最多 2000 字（当前 2001 字）。"]
    assert "保留我" in response.content.decode()


# --- Two editors at once -----------------------------------------------------------------------


def test_saving_stale_data_is_refused_naming_what_changed_and_the_newer_data_stays(client):
    applicant = factories.user(Role.APPLICANT, full_name="王小明")
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    client.force_login(applicant)
    loaded = client.get(url).context["lock_version"]
    colleague = factories.user(Role.APPLICANT, unit=applicant.unit, full_name="李同事")
    other = type(client)()
    other.force_login(colleague)
    assert other.post(url, {"lock_version": loaded, "governance": "同事的新内容"}).status_code == 302
    response = client.post(url, {"lock_version": loaded, "governance": "我的旧页面内容"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "您打开本页后，李同事于" in page and "保存了“基础信息”。为避免覆盖较新的内容，本次保存未生效" in page
    assert "我的旧页面内容" in page  # what was typed is still on the page
    consortium.application.refresh_from_db()
    assert consortium.application.governance == "同事的新内容"


def test_saving_another_part_meanwhile_is_not_a_conflict(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    loaded = consortium.application.lock_version
    services.save_part(consortium.application.pk, "charter", applicant, loaded, services.charter_writer("章程"))
    response = client.post(reverse("applications:edit", args=[consortium.pk, "basic"]), {"lock_version": loaded, "governance": "新"})
    assert response.status_code == 302
    consortium.application.refresh_from_db()
    assert (consortium.application.governance, consortium.application.charter_text) == ("新", "章程")


def test_a_session_that_expired_while_typing_returns_after_login_with_the_typed_data(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    client.force_login(applicant)
    client.get(url)
    session = client.session
    session.pop("_auth_user_id")  # the session timed out: no user any more
    session.save()
    response = client.post(url, {"lock_version": 1, "governance": "过期前写的一大段"})
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    login = client.post(reverse("accounts:login") + f"?next={url}",
                        {"username": applicant.username, "password": factories.PASSWORD, "next": url})
    assert login["Location"] == url
    page = client.get(url).content.decode()
    assert "登录已过期，已恢复您过期前填写的内容" in page
    assert "过期前写的一大段" in page


# --- Uploads -----------------------------------------------------------------------------------


def attachment_post(client, consortium, unit, file):
    return client.post(reverse("applications:attachments", args=[consortium.pk]),
                       {"unit": unit.pk, "kind": "license", "title": "营业执照", "file": file})


def test_an_upload_whose_content_does_not_match_its_name_is_refused(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    response = attachment_post(client, consortium, applicant.unit, upload("营业执照.pdf", content_type="application/pdf"))
    assert response.context["form"].errors["file"] == ["文件“营业执照.pdf”的内容是PNG 图片，与文件名后缀“.pdf”不符，请核对后重新上传。"]
    assert 'value="营业执照"' in response.content.decode()  # the rest of the form as typed
    response = attachment_post(client, consortium, applicant.unit, upload("说明.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"))
    assert response.context["form"].errors["file"] == ["只接受 PDF、JPG、PNG 文件；“说明.pdf”的内容不是这三种格式。"]
    assert not Attachment.objects.exists()


def test_an_oversized_upload_is_refused_with_the_limit(client, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    big = pdf_bytes() + b"0" * (1024 * 1024)
    response = attachment_post(client, consortium, applicant.unit, upload("大.pdf", big, "application/pdf"))
    assert response.context["form"].errors["file"] == ["文件大小为 1.0 MB，超过 1 MB 的上限，请压缩后再上传。"]


def test_a_valid_pdf_is_stored_under_media_with_a_safe_name_and_its_hash(client, settings):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    response = attachment_post(client, consortium, applicant.unit, upload("../../营业执照<副本>.PDF", pdf_bytes(), "application/pdf"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.file.name.endswith("/营业执照_副本.pdf")
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert attachment.content_type == "application/pdf"
    download = client.get(reverse("applications:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


# --- Isolation ---------------------------------------------------------------------------------


def test_someone_elses_application_and_attachment_answer_404(client):
    owner, application = complete_application()
    attachment = application.consortium.attachments.first()
    client.force_login(factories.user(Role.APPLICANT))
    pk = application.consortium_id
    for url in [
        reverse("applications:detail", args=[pk]), reverse("applications:edit", args=[pk, "basic"]),
        reverse("applications:attachments", args=[pk]), reverse("applications:readiness", args=[pk]),
        reverse("applications:versions", args=[pk]), reverse("applications:attachment", args=[attachment.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("applications:submit", args=[pk])).status_code == 404
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))
    client.force_login(reviewer)
    services.submit_application(application.pk, owner)
    assert client.get(reverse("applications:attachment", args=[attachment.pk])).status_code == 404


def test_the_editor_pages_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    applicant, application = complete_application(members=3)
    client.force_login(applicant)
    url = reverse("applications:edit", args=[application.consortium_id, "members"])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    applicant2, bigger = complete_application(members=12)
    client.force_login(applicant2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("applications:edit", args=[bigger.consortium_id, "members"]))


def test_a_tampered_version_number_counts_as_stale_not_as_an_error(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    assert client.post(url, {"lock_version": "abc", "governance": "新"}).status_code == 302  # nobody saved meanwhile
    services.save_part(consortium.application.pk, "basic", applicant, None, services.charter_writer("x"))
    services.save_part(consortium.application.pk, "basic", applicant, None, services.charter_writer("y"))
    assert client.post(url, {"lock_version": "abc", "governance": "旧"}).status_code == 409
