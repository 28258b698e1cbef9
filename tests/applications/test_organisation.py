"""The consortium as the plan builds it (§三, §四（二）（三）): the 组建协议 in its eight sections and who signed it,
the 理事会/专家指导委员会/秘书处, the 首席专家, attachments asked unit by unit, 近三年 projects — each 形式审查 rule
both ways — and what reviewers see flagged."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications import diff, readiness, rules, services, snapshot
from applications.choices import CHARTER_SECTIONS
from applications.forms import MemberRowForm
from applications.models import ApplicationVersion, Attachment, Signatory
from operations.text import digest
from tests import factories
from tests.applications.intake_helpers import management, upload
from tests.lifecycle import CHARTER_TEXT, cast_at, charter_data, complete_application, organization_data

pytestmark = pytest.mark.django_db

SIGNED = "组建协议由牵头单位和各成员单位的法定代表人或授权人签署"
ORGANS = "设立理事会、专家指导委员会和秘书处，并明确负责人"
CHARTER_FILLED = "“章程（组建协议）”必填项已填写"
ORGANIZATION_FILLED = "“组织机构与首席专家”必填项已填写"


def failing(application, content=None, on=None):
    return {check.title: check.reasons for check in readiness.run(application, content, on) if not check.ok}


def live(application):
    return snapshot.build(snapshot.load(application.pk))


def save(applicant, application, part, data):
    services.save_part(application.pk, part, applicant, None, data)


def members(application):
    return list(application.consortium.memberships.current().select_related("unit"))


def a_member(application):
    return next(m for m in members(application) if m.role == "member")


# --- The 组建协议: eight sections ------------------------------------------------------------------


def test_each_of_the_eight_contents_is_required_and_named():
    applicant, application = complete_application()
    data = charter_data(members(application))
    data["sections"]["charter_benefits"] = ""
    save(applicant, application, "charter", data)
    assert failing(application) == {CHARTER_FILLED: ["未填写：组建协议“收益分配”。"]}
    data["sections"]["charter_benefits"] = "收益按投入比例分配。"
    save(applicant, application, "charter", data)
    assert failing(application) == {}


def test_a_section_shorter_than_the_setting_is_flagged_to_reviewers_never_refused(settings):
    applicant, application = complete_application()
    data = charter_data(members(application))
    data["sections"]["charter_funding"] = "专款 专用。"
    save(applicant, application, "charter", data)
    assert failing(application) == {}
    assert readiness.flags(live(application)) == [("charter", "组建协议部分内容较简略（少于 50 字）", "“经费管理”5 字")]
    settings.CHARTER_SECTION_MIN_CHARS = len(CHARTER_TEXT) + 1
    thin = readiness.flags(live(application))[0][2]
    assert thin == "；".join(f"“{heading}”{len(CHARTER_TEXT) if heading != '经费管理' else 5} 字" for _, heading in CHARTER_SECTIONS)


def test_the_review_page_flags_the_thin_sections(client):
    cast = cast_at("submitted")
    content = cast.application.versions.get().content
    content["application"]["charter_ip"] = "共有。"
    ApplicationVersion.objects.filter(application=cast.application).update(content=content)
    client.force_login(cast.district)
    html = client.get(reverse("reviews:review", args=[cast.consortium.pk])).content.decode()
    assert 'data-flag="charter"' in html and "“知识产权归属”3 字" in html


# --- Who signed it --------------------------------------------------------------------------------


def test_a_unit_of_the_member_table_that_has_not_signed_fails_naming_it():
    _, application = complete_application()
    member = a_member(application)
    Signatory.objects.filter(application=application, unit=member.unit).delete()
    assert failing(application) == {SIGNED: [f"{member.unit_name}未填写组建协议签署情况（法定代表人或授权人、签署人、签署日期）。"]}


def test_a_row_names_what_it_lacks():
    applicant, application = complete_application()
    member = a_member(application)
    save(applicant, application, "charter", charter_data(members(application), {
        member.unit_id: {"capacity": "legal_representative", "person_name": "", "signed_on": None, "upload": None}}))
    assert failing(application) == {SIGNED: [f"{member.unit_name}的组建协议签署情况未填写签署人姓名、签署日期。"]}


def test_an_authorised_signer_needs_the_letter_of_authorisation():
    applicant, application = complete_application()
    member = a_member(application)
    unsigned = {"capacity": "authorised", "person_name": "钱科研", "signed_on": timezone.localdate(), "upload": None}
    save(applicant, application, "charter", charter_data(members(application), {member.unit_id: unsigned}))
    assert failing(application) == {SIGNED: [f"{member.unit_name}由授权人签署，须上传法定代表人签发的授权书。"]}

    letter = upload("授权书.png")
    signed = {**unsigned, "upload": (letter, services.uploads.inspect(letter))}
    save(applicant, application, "charter", charter_data(members(application), {member.unit_id: signed}))
    assert failing(application) == {}
    stored = Attachment.objects.get(kind="authorization")
    assert (stored.unit, stored.title) == (member.unit, f"授权书（{member.unit_name}）")
    row = next(r for r in live(application)["signatories"] if r["unit_name"] == member.unit_name)
    assert (row["capacity"], row["person_name"], row["authorization_id"], row["authorization_sha256"]) == (
        "authorised", "钱科研", stored.pk, stored.sha256)

    # Deleting the letter on the attachments page takes it away from the signature too.
    services.remove_attachment(application.pk, applicant, stored.pk)
    assert failing(application) == {SIGNED: [f"{member.unit_name}由授权人签署，须上传法定代表人签发的授权书。"]}


def test_a_legal_representative_needs_no_letter_and_one_uploaded_before_is_removed():
    applicant, application = complete_application()
    member = a_member(application)
    letter = upload("授权书.png")
    authorised = {"capacity": "authorised", "person_name": "钱科研", "signed_on": timezone.localdate(),
                  "upload": (letter, services.uploads.inspect(letter))}
    save(applicant, application, "charter", charter_data(members(application), {member.unit_id: authorised}))
    assert Attachment.objects.filter(kind="authorization").count() == 1
    save(applicant, application, "charter", charter_data(members(application)))  # now signed by the 法定代表人
    assert Attachment.objects.filter(kind="authorization").count() == 0
    assert failing(application) == {}


def test_a_signing_date_after_the_submission_fails():
    _, application = complete_application()
    member = a_member(application)
    tomorrow = timezone.localdate() + timedelta(days=1)
    Signatory.objects.filter(application=application, unit=member.unit).update(signed_on=tomorrow)
    assert failing(application) == {SIGNED: [
        f"{member.unit_name}的签署日期{tomorrow.year}年{tomorrow.month}月{tomorrow.day}日晚于提交日期"
        f"{timezone.localdate().year}年{timezone.localdate().month}月{timezone.localdate().day}日，请核对。"
    ]}
    assert failing(application, on=tomorrow) == {}  # submitted that day, it would have been fine


def test_a_member_removed_from_the_table_loses_its_signature():
    applicant, application = complete_application(members=5)
    leaving = a_member(application)
    rows = [{"unit_name": m.unit_name, "credit_code": m.unit.credit_code, "unit_kind": m.unit_kind, "task_division": "攻关",
             "duties": "研发", "sales_revenue": m.sales_revenue, "rd_spend": m.rd_spend}
            for m in members(application) if m.role == "member" and m != leaving]
    save(applicant, application, "members", {"lead": {"task_division": "牵头", "duties": "组织", "sales_revenue": 1, "rd_spend": 1},
                                             "rows": rows})
    assert not Signatory.objects.filter(unit=leaving.unit).exists()
    assert SIGNED not in failing(application)


def charter_post(application, rows, lock_version, **fields):
    """The 章程 page as a browser posts it: the eight sections and one row per unit."""
    data = {"lock_version": str(lock_version), **{name: CHARTER_TEXT for name, _ in CHARTER_SECTIONS}, "charter_text": "",
            **management("signatories", len(rows), len(rows))}
    for index, (unit_id, row) in enumerate(rows):
        data.update({f"signatories-{index}-unit": str(unit_id), **{f"signatories-{index}-{k}": v for k, v in row.items()}})
    data.update(fields)
    return data


def test_the_charter_page_has_one_row_per_unit_and_saves_a_letter(client):
    applicant, application = complete_application()
    client.force_login(applicant)
    url = reverse("applications:edit", args=[application.consortium_id, "charter"])
    page = client.get(url)
    formset = page.context["signatories"]
    assert [form.unit_name for form in formset.forms] == [m.unit_name for m in members(application)]
    member = a_member(application)
    today = timezone.localdate().isoformat()
    rows = [(m.unit_id, {"capacity": "legal_representative", "person_name": "张三", "signed_on": today}) for m in members(application)]
    rows = [(unit_id, {**row, "capacity": "authorised", "person_name": "钱科研"} if unit_id == member.unit_id else row)
            for unit_id, row in rows]
    index = [unit_id for unit_id, _ in rows].index(member.unit_id)
    data = charter_post(application, rows, application.lock_version,
                        **{f"signatories-{index}-authorization_file": upload("授权书.png")})
    assert client.post(url, data).status_code == 302
    signature = Signatory.objects.get(application=application, unit=member.unit)
    assert (signature.capacity, signature.person_name, signature.authorization.kind) == ("authorised", "钱科研", "authorization")
    assert failing(application) == {}
    assert f'href="{reverse("applications:attachment", args=[signature.authorization_id])}"' in client.get(url).content.decode()


def test_the_charter_saved_again_writes_only_the_signature_that_changed_and_keeps_the_letter(client):
    applicant, application = complete_application()
    client.force_login(applicant)
    url = reverse("applications:edit", args=[application.consortium_id, "charter"])
    member = a_member(application)
    today = timezone.localdate().isoformat()
    rows = [(m.unit_id, {"capacity": "authorised" if m == member else "legal_representative", "person_name": "张三",
                         "signed_on": today}) for m in members(application)]
    index = [unit_id for unit_id, _ in rows].index(member.unit_id)
    letter = {f"signatories-{index}-authorization_file": upload("授权书.png")}
    assert client.post(url, charter_post(application, rows, application.lock_version, **letter)).status_code == 302
    kept = Signatory.objects.get(application=application, unit=member.unit).authorization_id

    def signatures_written(rows):
        application.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, charter_post(application, rows, application.lock_version)).status_code == 302
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "applications_signatory"')]

    assert signatures_written(rows) == []  # as it was: no signature written again, the letter kept
    assert Signatory.objects.get(application=application, unit=member.unit).authorization_id == kept
    changed = [(unit_id, {**row, "person_name": "钱科研"} if unit_id == member.unit_id else row) for unit_id, row in rows]
    written = signatures_written(changed)
    assert len(written) == 1 and "钱科研" in written[0]
    assert Signatory.objects.get(application=application, unit=member.unit).authorization_id == kept
    assert failing(application) == {}


def test_the_charter_page_refuses_a_future_signing_date_and_a_bad_letter_beside_their_fields(client):
    applicant, application = complete_application()
    client.force_login(applicant)
    url = reverse("applications:edit", args=[application.consortium_id, "charter"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    rows = [(m.unit_id, {"capacity": "legal_representative", "person_name": "张三", "signed_on": tomorrow}) for m in members(application)]
    response = client.post(url, charter_post(application, rows, application.lock_version, **{
        "signatories-0-authorization_file": upload("授权书.txt", b"not a scan", "text/plain")}))
    first = response.context["signatories"].forms[0]
    assert first.errors["signed_on"] == ["签署日期不能晚于今天。"]
    assert first.errors["authorization_file"] == ["只接受 PDF、JPG、PNG 文件；“授权书.txt”的内容不是这三种格式。"]
    assert "暂存" in response.content.decode() and tomorrow in response.content.decode()  # kept as typed


# --- The organs and the 首席专家 --------------------------------------------------------------------


@pytest.mark.parametrize("body, reason", [
    ("council", "理事会未明确理事长。"),
    ("advisory", "专家指导委员会未明确主任委员。"),
])
def test_each_organ_needs_its_head(body, reason):
    applicant, application = complete_application()
    data = organization_data()
    data["seats"][body] = [{**data["seats"][body][0], "role": "member"}]
    save(applicant, application, "organization", data)
    assert failing(application) == {ORGANS: [reason]}


def test_the_secretariat_needs_its_head_and_its_host():
    applicant, application = complete_application()
    data = organization_data()
    data["organization"]["secretariat_unit"] = ""
    save(applicant, application, "organization", data)
    assert failing(application) == {ORGANS: ["秘书处未明确秘书长及依托单位。"]}


def test_an_advisory_member_without_unit_or_title_and_a_thin_chief_expert_are_named():
    applicant, application = complete_application()
    data = organization_data()
    data["seats"]["advisory"].append({"role": "member", "name": "周明华", "unit_name": "", "title": ""})
    data["organization"].update(chief_expert_unit="", chief_expert_phone="")
    save(applicant, application, "organization", data)
    assert failing(application) == {ORGANIZATION_FILLED: [
        "未填写：首席专家工作单位、首席专家联系电话、专家指导委员会成员周明华的所在单位、专家指导委员会成员周明华的职务/职称。"
    ]}


def test_the_organization_page_allows_one_chair_per_organ(client):
    applicant, application = complete_application()
    client.force_login(applicant)
    url = reverse("applications:edit", args=[application.consortium_id, "organization"])
    data = {"lock_version": application.lock_version, **management("council", 2), **management("advisory", 1),
            "council-0-role": "chair", "council-0-name": "赵总", "council-1-role": "chair", "council-1-name": "钱总",
            "advisory-0-role": "chair", "advisory-0-name": "孙立新", "secretariat_head": "刘经理", "secretariat_unit": "牵头单位"}
    response = client.post(url, data)
    assert response.context["council"].non_form_errors() == ["理事会只能有 1 名理事长。"]
    data["council-1-role"] = "vice"
    assert client.post(url, data).status_code == 302
    assert list(application.body_seats.values_list("body", "role", "name")) == [
        ("council", "chair", "赵总"), ("council", "vice", "钱总"), ("advisory", "chair", "孙立新")]


# --- 近三年 projects ------------------------------------------------------------------------------


def foundation(starts_on):
    return {"platforms": [], "projects": [{"name": "省级攻关项目", "industry": "", "level": "provincial", "starts_on": starts_on,
                                           "ends_on": None, "undertaker": ""}]}


def test_projects_must_have_begun_within_the_three_years_before_submission():
    applicant, application = complete_application()
    today = timezone.localdate()
    earliest = rules.years_before(today, 3)
    save(applicant, application, "foundation", foundation(earliest))
    assert failing(application) == {}
    too_old = earliest - timedelta(days=1)
    save(applicant, application, "foundation", foundation(too_old))
    assert failing(application) == {"近三年承担的项目均在提交前三年内开始": [
        f"项目“省级攻关项目”实施期起始于{too_old.year}年{too_old.month}月{too_old.day}日，早于近三年"
        f"（{earliest.year}年{earliest.month}月{earliest.day}日以后开始）的范围，请删除或核对日期。"
    ]}
    save(applicant, application, "foundation", foundation(None))
    assert failing(application) == {"近三年承担的项目均在提交前三年内开始": ["项目“省级攻关项目”未填写实施期起始日期。"]}


def test_three_years_back_from_29_february_is_28_february():
    assert rules.years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)


def test_a_frozen_version_is_judged_on_the_day_it_was_submitted():
    applicant, application = complete_application()
    today = timezone.localdate()
    save(applicant, application, "foundation", foundation(rules.years_before(today, 3)))
    version = services.submit_application(application.pk, applicant)
    assert failing(application, version.content, on=today) == {}
    assert list(failing(application, version.content, on=today + timedelta(days=1))) == ["近三年承担的项目均在提交前三年内开始"]


def test_the_project_form_refuses_an_old_start_beside_the_field(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    old = date(timezone.localdate().year - 4, 1, 1)
    data = {"lock_version": "1", **management("platforms", 0), **management("projects", 1), "projects-0-name": "老项目",
            "projects-0-level": "national", "projects-0-starts_on": old.isoformat()}
    response = client.post(reverse("applications:edit", args=[consortium.pk, "foundation"]), data)
    earliest = rules.years_before(timezone.localdate(), 3)
    assert response.context["projects"].forms[0].errors["starts_on"] == [
        f"项目“老项目”实施期起始于{old.year}年1月1日，早于近三年（{earliest.year}年{earliest.month}月{earliest.day}日以后开始）的范围，请删除或核对日期。"
    ]


# --- Attachments unit by unit -------------------------------------------------------------------


def member_rows(application, changes):
    """The member table as saved, with ``changes`` ({unit id: fields}) applied."""
    return [{"unit_name": m.unit_name, "credit_code": m.unit.credit_code, "unit_kind": m.unit_kind, "task_division": "攻关",
             "duties": "研发", "sales_revenue": m.sales_revenue, "rd_spend": m.rd_spend, **changes.get(m.unit_id, {})}
            for m in members(application) if m.role == "member"]


def lead_row():
    return {"task_division": "牵头", "duties": "组织", "sales_revenue": 100, "rd_spend": 10}


def test_a_member_with_ticked_qualifications_must_prove_them():
    applicant, application = complete_application()
    member = next(m for m in members(application) if m.role == "member" and m.unit_kind == "enterprise")
    save(applicant, application, "members", {"lead": lead_row(), "rows": member_rows(
        application, {member.unit_id: {"qualifications": ["high_tech", "listed", "other"]}})})
    assert failing(application) == {"附件材料齐全": [f"缺少{member.unit_name}的高新技术企业、上市企业证明文件。"]}
    services.add_attachment(application.pk, applicant, unit=member.unit, kind="qualification", title="证书", uploaded=upload())
    assert failing(application) == {}


def test_patent_certificates_are_asked_of_each_unit_that_declares_patents():
    applicant, application = complete_application()
    member = a_member(application)
    save(applicant, application, "members", {"lead": lead_row(), "rows": member_rows(
        application, {member.unit_id: {"patent_count": 3, "invention_patent_count": 1}})})
    assert failing(application) == {"附件材料齐全": [f"缺少{member.unit_name}的有效专利（发明专利）证书复印件。"]}
    services.add_attachment(application.pk, applicant, unit=member.unit, kind="patent", title="专利证书", uploaded=upload())
    assert failing(application) == {}


def test_invention_patents_declared_only_in_the_totals_still_need_a_certificate():
    applicant, application = complete_application()
    application.consortium.attachments.filter(kind="patent").delete()
    assert failing(application) == {"附件材料齐全": ["缺少牵头或成员单位的有效发明专利证书复印件。"]}


def test_a_unit_kind_that_is_not_an_enterprise_has_no_qualifications():
    form = MemberRowForm({"unit_name": "江苏大学", "credit_code": factories.credit_code("121000"), "unit_kind": "university",
                          "qualifications": ["high_tech"]})
    assert form.is_valid()
    assert form.cleaned_data["qualifications"] == []


def test_more_invention_patents_than_patents_is_refused():
    form = MemberRowForm({"unit_name": "甲公司", "credit_code": factories.credit_code(), "unit_kind": "enterprise",
                          "patent_count": "2", "invention_patent_count": "3"})
    assert form.errors == {"invention_patent_count": ["有效发明专利不能多于有效专利总数。"]}


# --- The lead's legal facts, flagged ---------------------------------------------------------------


def test_a_lead_code_issued_outside_zhenjiang_is_flagged_with_its_region_and_not_refused():
    applicant = factories.user(Role.APPLICANT, unit=factories.unit(credit_code=factories.credit_code("913201")))
    applicant, application = complete_application(applicant)
    assert failing(application) == {}
    lead = application.consortium.lead_unit
    assert readiness.flags(live(application)) == [(
        "region", f"牵头单位{lead.name}（{lead.credit_code}）的代码不是镇江市发放",
        f"统一社会信用代码第 3–8 位为 {lead.credit_code[2:8]}（江苏省南京市），不是镇江市（3211xx）发放的代码："
        "请核实该单位是否在镇江市注册（由外地迁入的单位可能保留原代码）。",
    )]


def test_a_legal_representative_unlike_the_registration_is_flagged_and_printed_as_declared():
    applicant, application = complete_application()
    application.legal_representative = "李 四"
    application.save()
    assert readiness.flags(live(application)) == [(
        "legal_representative", "法定代表人与注册信息不一致",
        "申请书填写的法定代表人“李 四”与牵头单位注册登记的法定代表人“张三”不一致，请核实。申请书按填写内容打印。",
    )]
    application.legal_representative = " 张 三"  # the same person, spaced differently
    application.save()
    assert readiness.flags(live(application)) == []


# --- Versions frozen before all this -------------------------------------------------------------


def frozen_before(content):
    """A version's content as it was frozen before the organisation was asked: none of its keys."""
    old = {**content, "application": dict(content["application"]), "members": [dict(m) for m in content["members"]]}
    del old["signatories"], old["bodies"]
    for name in snapshot.ORGANISATION_FIELDS:
        del old["application"][name]
    for member in old["members"]:
        del member["qualifications"], member["patent_count"], member["invention_patent_count"]
    old["application"]["charter_text"] = "第一条　本联合体按照公平、自愿的原则组建。"
    return old


def test_an_older_version_is_judged_by_the_rules_of_its_day():
    cast = cast_at("submitted")
    old = frozen_before(cast.application.versions.get().content)
    old["projects"] = [{"name": "五年前的项目", "industry": "", "level": "national", "starts_on": "2019-01-01", "ends_on": None,
                        "undertaker": ""}]  # 近三年 was not checked then either
    states = {check.title: check.state for check in readiness.run(cast.application, old)}
    assert (states[SIGNED], states[ORGANS], states[ORGANIZATION_FILLED], states[CHARTER_FILLED], states["近三年承担的项目均在提交前三年内开始"]) == (
        "not_asked", "not_asked", "not_asked", "pass", "not_asked")
    assert readiness.flags(old) == []


def test_an_older_version_opens_prints_and_diffs_showing_what_it_did_not_have(client):
    cast = cast_at("submitted")
    version = cast.application.versions.get()
    new = version.content
    ApplicationVersion.objects.filter(pk=version.pk).update(content=frozen_before(new))
    ApplicationVersion.objects.create(application=cast.application, number=2, content=new, sha256=digest(new))

    client.force_login(cast.district)
    review = client.get(reverse("reviews:review", args=[cast.consortium.pk]))
    assert review.status_code == 200
    html = review.content.decode()
    assert "组建协议：组建原则" in html and "（本版本未填报）" in html  # the diff from version 1 to 2

    changes = diff.compare(frozen_before(new), new)
    assert ("申请书", "", "组建协议：组建原则", "（本版本未填报）", CHARTER_TEXT) in [
        (c.section, c.item, c.field, c.old, c.new) for c in changes]
    assert {(c.section, c.old, c.new) for c in changes if c.section in ("组建协议签署", "组织机构")} == {
        ("组建协议签署", "（本版本未填报）", "新增"), ("组织机构", "（本版本未填报）", "新增")}
    assert client.get(reverse("applications:versions", args=[cast.consortium.pk])).status_code == 200

    # The older version on its own, as the review page and the dossier show it.
    ApplicationVersion.objects.filter(number=2).delete()
    html = client.get(reverse("reviews:review", args=[cast.consortium.pk])).content.decode()
    assert html.count('data-not-asked') == 10  # eight sections, the signatures, the organs
    assert "第一条　本联合体按照公平、自愿的原则组建。" in html
    assert 'data-check="not_asked"' in html
