import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import BrowserSignIn
from accounts.roles import Role
from applications import services, workflow
from applications.choices import Status
from applications.forms import BasicInfoForm
from applications.models import DraftInput
from tests import factories
from tests.applications.intake_helpers import (
    charter,
    management,
    member_post,
    member_row,
)
from tests.lifecycle import complete_application

pytestmark = pytest.mark.django_db


def basic_data(consortium, **changes):
    """The 基础信息 part as its form cleans it, with some fields changed."""
    application = consortium.application
    data = {field: getattr(application, field) for field in BasicInfoForm.base_fields if hasattr(application, field)}
    data.update(name=consortium.name, industry_field=consortium.industry_field, chief_scientist="", chief_scientist_title="")
    data.update(changes)
    return data


# --- Submission freezes a version and locks the 申请书 ---------------------------------------


def test_submit_is_refused_on_the_server_unless_all_checks_pass(client):
    applicant, application = complete_application(with_university=False)
    client.force_login(applicant)
    response = client.post(reverse("applications:submit", args=[application.consortium_id]), follow=True)
    assert "形式审查未通过，不能提交：成员单位中至少有 1 家高校或科研院所：成员单位中没有高校或科研院所（原则上不少于 1 家）：请添加高校院所，或填写情况说明。" in response.content.decode()
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
    services.save_part(application.pk, "basic", applicant, None, basic_data(
        application.consortium, chief_scientist="孙立新", chief_scientist_title="教授", governance="理事会决策；秘书处执行"))
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
        ("credit_code", "91350100M000100Y44", "统一社会信用代码校验不通过：代码中有字符录入有误。请对照营业执照或登记证书重新复制录入完整的 18 位代码。"),
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
    names = list(consortium.memberships.order_by("position").values_list("unit_name", "position", "sales_revenue"))
    assert [(n, p) for n, p, _ in names] == [(applicant.unit.name, 1), ("丙", 2), ("甲大学", 3), ("乙", 4)]
    assert names[2][2] is None  # a university's sales are not asked


def test_a_save_reads_only_its_part_and_writes_only_the_rows_that_changed(client):
    """A save that succeeds draws no page: it does not read the other parts' rows. Saving the members again as they
    were writes no member row; changing one writes that one; and the queries do not grow with the rows."""
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    url = reverse("applications:edit", args=[consortium.pk, "members"])

    def save(rows):
        lock_version = consortium.application.__class__.objects.get(pk=consortium.application.pk).lock_version
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, member_post(rows, lock_version)).status_code == 302
        sql = [q["sql"] for q in queries.captured_queries]
        return sql, [q for q in sql if q.startswith('UPDATE "applications_membership"')]

    def rows_of(count):
        return [member_row(f"成员{n}", codes[n]) for n in range(count)]

    codes = [factories.credit_code() for _ in range(12)]
    save(rows_of(4))
    sql, member_updates = save(rows_of(4))
    assert member_updates == []  # nothing changed: no row written again
    assert not any('"applications_platform"' in q or '"applications_bodyseat"' in q for q in sql)  # other parts unread
    changed = rows_of(4)
    changed[2]["duties"] = "牵头子课题二"
    _, member_updates = save(changed)
    assert len(member_updates) == 1 and "牵头子课题二" in member_updates[0]
    save(rows_of(4))
    few, _ = save(rows_of(4))  # as it was: nothing written but the save's own rows
    save(rows_of(12))
    many, _ = save(rows_of(12))
    assert len(many) == len(few)
    assert list(consortium.memberships.order_by("position").values_list("unit_name", flat=True)[1:]) == [f"成员{n}" for n in range(12)]
    # The units' introductions (二、牵头及成员单位简介) alike: written only where one changed.
    intros_url = reverse("applications:edit", args=[consortium.pk, "intros"])
    units = list(consortium.memberships.current().order_by("position"))

    def intros(changed_one=""):
        lock_version = consortium.application.__class__.objects.get(pk=consortium.application.pk).lock_version
        data = {"lock_version": str(lock_version)}
        for m in units:
            data.update({f"intro-{m.pk}-intro_overview": f"{m.unit_name}概况", f"intro-{m.pk}-intro_research": "研发",
                         f"intro-{m.pk}-intro_honors": changed_one if m == units[3] and changed_one else "荣誉"})
        with CaptureQueriesContext(connection) as queries:
            assert client.post(intros_url, data).status_code == 302
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "applications_membership"')]

    assert len(intros()) == len(units)
    assert intros() == []
    assert len(intros(changed_one="省级科技进步奖")) == 1


def platform_post(lock_version, **overrides):
    data = {"lock_version": str(lock_version), **management("platforms", 1), **management("projects", 1)}
    data.update({"platforms-0-name": "重点实验室", "platforms-0-level": "provincial", "platforms-0-built_on": "2020-05-01",
                 "projects-0-name": "攻关项目", "projects-0-level": "national",
                 "projects-0-starts_on": f"{timezone.localdate().year - 1}-01-01", "projects-0-ends_on": f"{timezone.localdate().year + 1}-12-31"})
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
    services.save_part(consortium.application.pk, "charter", applicant, loaded, charter("章程"))
    response = client.post(reverse("applications:edit", args=[consortium.pk, "basic"]), {"lock_version": loaded, "governance": "新"})
    assert response.status_code == 302
    consortium.application.refresh_from_db()
    assert (consortium.application.governance, consortium.application.charter_text) == ("新", "章程")


def sign_in(client, user, next_url=""):
    """Through the login page, as a browser does (it leaves the signed-in cookie)."""
    response = client.post(reverse("accounts:login") + (f"?next={next_url}" if next_url else ""),
                           {"username": user.username, "password": factories.PASSWORD, "next": next_url})
    assert response.status_code == 302
    return response


def expire_session(client):
    session = client.session
    session.pop("_auth_user_id")  # the session timed out: no user any more
    session.save()


def test_a_session_that_expired_while_typing_returns_after_login_with_the_typed_data(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    sign_in(client, applicant)
    client.get(url)
    expire_session(client)
    response = client.post(url, {"lock_version": 1, "governance": "过期前写的一大段"})
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    assert sign_in(client, applicant, url)["Location"] == url
    page = client.get(url).content.decode()
    assert "登录已过期，已恢复您过期前填写的内容" in page
    assert "过期前写的一大段" in page
    assert "过期前写的一大段" not in client.get(url).content.decode()  # restored once


def test_nothing_is_kept_for_a_browser_that_never_signed_in(client):
    consortium = factories.consortium()
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    assert client.post(url, {"governance": "陌生人的内容" * 100}).status_code == 302
    assert "stashed-post" not in client.session


def kept_for(user):
    """What is kept for ``user`` from posts after their sessions expired: (page, data) per browser sign-in."""
    return [(row.stash_path, row.stash_data) for row in BrowserSignIn.objects.filter(user=user, stashed_at__isnull=False)]


def test_only_a_real_part_of_the_editor_is_kept_and_only_one_body_per_sign_in(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    sign_in(client, applicant)
    expire_session(client)
    client.post(reverse("applications:edit", args=[consortium.pk, "x" * 500]), {"governance": "甲" * 1000})
    assert kept_for(applicant) == []
    for part in ("basic", "plan", "charter"):
        client.post(reverse("applications:edit", args=[consortium.pk, part]), {"governance": part})
    assert kept_for(applicant) == [(reverse("applications:edit", args=[consortium.pk, "charter"]), {"governance": ["charter"]})]
    assert "stashed-post" not in client.session  # on the server's record of the sign-in, never in a session


def test_a_post_over_the_cap_is_not_kept(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    sign_in(client, applicant)
    expire_session(client)
    client.post(reverse("applications:edit", args=[consortium.pk, "plan"]), {"plan_foundation": "字" * 200_001})
    assert kept_for(applicant) == []
    client.post(reverse("applications:edit", args=[consortium.pk, "plan"]), {"plan_foundation": "字" * 199_000})
    assert [path for path, _ in kept_for(applicant)] == [reverse("applications:edit", args=[consortium.pk, "plan"])]


def test_at_most_three_bodies_are_kept_per_user_the_newest(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    browsers = [Client() for _ in range(5)]
    for n, browser in enumerate(browsers):
        sign_in(browser, applicant)
        expire_session(browser)
        browser.post(url, {"lock_version": 1, "governance": f"第{n}个浏览器"})
    assert sorted(data["governance"][0] for _, data in kept_for(applicant)) == ["第2个浏览器", "第3个浏览器", "第4个浏览器"]
    assert sign_in(browsers[4], applicant, url)["Location"] == url
    assert "第4个浏览器" in browsers[4].get(url).content.decode()
    assert sign_in(browsers[0], applicant, url)["Location"] == url
    assert "第0个浏览器" not in browsers[0].get(url).content.decode()  # dropped by the cap


def test_a_logged_out_cookie_replayed_100_times_keeps_nothing_and_makes_no_session_row(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    url = reverse("applications:edit", args=[consortium.pk, "plan"])
    sign_in(client, applicant)
    replayed = client.cookies["zj_signed_in"].value
    client.post(reverse("accounts:logout"))
    sessions, sign_ins = Session.objects.count(), BrowserSignIn.objects.count()
    attacker = Client()
    for _ in range(100):
        attacker.cookies.clear()
        attacker.cookies["zj_signed_in"] = replayed  # and no session cookie
        response = attacker.post(url, {"plan_foundation": "字" * 190_000})
        assert response.status_code == 302
    assert (Session.objects.count() - sessions, BrowserSignIn.objects.count() - sign_ins, kept_for(applicant)) == (0, 0, [])


def test_a_live_cookie_replayed_100_times_keeps_one_body_and_makes_no_session_row(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    url = reverse("applications:edit", args=[consortium.pk, "plan"])
    sign_in(client, applicant)
    live = client.cookies["zj_signed_in"].value
    sessions = Session.objects.count()
    attacker = Client()
    for n in range(100):
        attacker.cookies.clear()
        attacker.cookies["zj_signed_in"] = live
        attacker.post(url, {"plan_foundation": f"第{n}次"})
    assert Session.objects.count() == sessions
    assert kept_for(applicant) == [(url, {"plan_foundation": ["第99次"]})]


def test_logging_out_drops_what_was_kept(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    sign_in(client, applicant)
    cookie = client.cookies["zj_signed_in"].value
    expire_session(client)
    client.post(url, {"lock_version": 1, "governance": "过期后提交的"})
    assert len(kept_for(applicant)) == 1
    client.post(reverse("accounts:logout"))
    assert kept_for(applicant) == []
    client.cookies["zj_signed_in"] = cookie  # the old cookie put back does not bring it back either
    sign_in(client, applicant, url)
    assert "过期后提交的" not in client.get(url).content.decode()


def test_a_stash_is_given_back_only_to_the_user_who_typed_it(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    sign_in(client, applicant)
    expire_session(client)
    client.post(url, {"lock_version": 1, "governance": "甲写的"})
    colleague = factories.user(Role.APPLICANT, unit=applicant.unit)
    sign_in(client, colleague)
    assert "甲写的" not in client.get(url).content.decode()


# --- Input that used to end in a server error --------------------------------------------------


def test_an_added_member_row_left_blank_is_no_row_and_nothing_typed_is_lost(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    code = factories.credit_code()
    data = member_post([member_row("甲科技有限公司", code)], 1)
    data.update({"members-TOTAL_FORMS": "2", **{f"members-1-{k}": "" for k in member_row("", "")}})
    data["members-1-unit_kind"] = "enterprise"
    response = client.post(reverse("applications:edit", args=[consortium.pk, "members"]), data)
    assert response.status_code == 302
    assert list(consortium.memberships.filter(role="member").values_list("unit_name", flat=True)) == ["甲科技有限公司"]


def test_a_member_post_without_management_data_is_explained_not_a_server_error(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    data = member_post([member_row("乙科技有限公司", factories.credit_code())], 1)
    del data["members-INITIAL_FORMS"]
    response = client.post(reverse("applications:edit", args=[consortium.pk, "members"]), data)
    assert response.status_code == 200
    assert "表格数据不完整（页面可能未完全加载或已被修改），请刷新页面后重新填写本表格。" in response.content.decode()
    assert 'name="lead-task_division" value="总体设计"' in response.content.decode()


def test_a_nul_character_is_refused_beside_the_field_and_the_rest_is_kept(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    response = client.post(url, {"lock_version": 1, "governance": "机制\x00说明", "research_directions": "保留的方向"})
    assert response.status_code == 200
    assert response.context["form"].errors["governance"] == ["不能包含空字符（\\0），请删除后重新输入。"]
    page = response.content.decode()
    assert "保留的方向" in page
    kept = DraftInput.objects.get(application=consortium.application, part="basic").data
    assert kept["governance"] == ["机制说明"] and kept["research_directions"] == ["保留的方向"]


# --- Warnings beside a member, never a refusal -------------------------------------------------


def test_an_enterprise_code_declared_as_a_university_is_warned_beside_the_field_but_saved(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    code = factories.credit_code("913211")
    url = reverse("applications:edit", args=[consortium.pk, "members"])
    response = client.post(url, member_post([member_row("某新型研发机构", code, kind="university")], 1))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert ("该代码首位为“9”（市场监管（工商）部门登记的企业），与申报的单位类型“高校”不符，请核对；"
            "登记为企业的新型研发机构可保留。") in page


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
    applicant, application = complete_application(members=4)
    client.force_login(applicant)
    url = reverse("applications:edit", args=[application.consortium_id, "members"])
    # The session and the user; the 申请书 with who saved it last and every part's rows (8: each part's completeness is
    # shown); the parts with input kept unvalidated, the latest version's number. 17 before: the scope asked twice, a
    # kept draft looked for in every part, the latest version read whole, who saved it last read apart; 13 before the
    # warnings beside the members took the registry's units from the memberships instead of asking for them again.
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    applicant2, bigger = complete_application(members=12)
    client.force_login(applicant2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("applications:edit", args=[bigger.consortium_id, "members"]))


def test_an_editor_page_asks_only_for_the_tables_that_have_rows(client, django_assert_num_queries):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    # A 申请书 begun a moment ago: the session with the user, the 申请书 with which of its tables have rows, its members
    # (the lead), the industry fields to choose from; no attachments, signatures, platforms, projects, targets, seats,
    # versions or kept input are asked.
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert "有暂存但未通过校验的内容" not in page and "已提交第" not in page
    # A save that does not validate keeps the input as typed, and the page drawn after it says so beside the part.
    typed = client.post(url, {"lock_version": "0", "contact_phone": "不是电话", "governance": "新的治理结构"}, follow=True)
    assert "有暂存但未通过校验的内容" in typed.content.decode()
    assert DraftInput.objects.filter(application__consortium=consortium, part="basic").exists()
    with django_assert_num_queries(4):  # and so does every part's page: the parts with kept input are asked now
        page = client.get(reverse("applications:edit", args=[consortium.pk, "members"])).content.decode()
    assert page.count("有暂存但未通过校验的内容") == 1


def test_a_tampered_version_number_counts_as_stale_not_as_an_error(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    url = reverse("applications:edit", args=[consortium.pk, "basic"])
    assert client.post(url, {"lock_version": "abc", "governance": "新"}).status_code == 302  # nobody saved meanwhile
    services.save_part(consortium.application.pk, "charter", applicant, None, charter("x"))
    services.save_part(consortium.application.pk, "basic", applicant, None, basic_data(consortium, governance="y"))
    assert client.post(url, {"lock_version": "abc", "governance": "旧"}).status_code == 409


@pytest.mark.parametrize("part", ["foundation", "plan", "members"])
def test_every_input_of_the_table_rows_has_a_label(client, part):
    applicant, application = complete_application()
    client.force_login(applicant)
    page = client.get(reverse("applications:edit", args=[application.consortium_id, part])).content.decode()
    template_rows = re.findall(r"<template.*?</template>", page, flags=re.S)
    page = re.sub(r"<template.*?</template>", "", page, flags=re.S)
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    fields = re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|checkbox|submit)")[^>]*\bid="([^"]+)"', page)
    assert [f for f in fields if f not in labelled] == []
    for row in template_rows:  # the rows the page adds carry their labels too
        ids = re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|checkbox)")[^>]*\bid="([^"]+)"', row)
        assert ids and set(ids) <= set(re.findall(r'<label[^>]*\bfor="([^"]+)"', row))
