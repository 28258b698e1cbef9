"""增减成员单位 by 补充协议 (§六（三））: the lead asks, the city records it or returns it; memberships keep their dates."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from applications.choices import AttachmentKind, UnitKind
from applications.models import Attachment, UnitBan
from evaluations.membership import selectors as membership_selectors
from evaluations.membership import services as membership_services
from evaluations.models import MemberChange
from tests import factories
from tests.applications.intake_helpers import management, pdf_bytes, upload
from tests.evaluations.helpers import filed

pytestmark = pytest.mark.django_db


def change_post(effective_on, additions=(), removals=(), statement="", signers=None, description="科研项目需要，调整成员单位。", *,
                consortium):
    """The member-change page's POST; ``signers``: the current memberships whose 法定代表人 signed the 补充协议 (all of
    ``consortium``'s by default), in their order."""
    everyone = list(consortium.memberships.current().order_by("position", "pk"))
    signers = everyone if signers is None else signers
    body = {"effective_on": effective_on.isoformat(), "description": description, "shortfall_statement": statement,
            "removals": [m.pk for m in removals], **management("members", len(additions))}
    body.update(management("signatories", len(everyone), len(everyone)))
    for i, membership in enumerate(everyone):
        body[f"signatories-{i}-unit"] = str(membership.unit_id)
        if membership in signers:
            body.update({f"signatories-{i}-capacity": "legal_representative", f"signatories-{i}-person_name": f"法人{i}",
                         f"signatories-{i}-signed_on": timezone.localdate().isoformat()})
    for i, unit in enumerate(additions):
        enterprise = unit.kind == UnitKind.ENTERPRISE
        body.update({f"members-{i}-unit_name": unit.name, f"members-{i}-credit_code": unit.credit_code,
                     f"members-{i}-unit_kind": unit.kind, f"members-{i}-task_division": "联合攻关", f"members-{i}-duties": "承担子课题",
                     f"members-{i}-sales_revenue": "800.00" if enterprise else "", f"members-{i}-rd_spend": "60.00" if enterprise else ""})
    body["supplementary_agreement"] = upload("补充协议.pdf", pdf_bytes(), "application/pdf")
    return body


def members(cast, role="member"):
    return list(cast.consortium.memberships.current().filter(role=role).select_related("unit").order_by("pk"))


def test_a_recorded_change_dates_the_memberships_and_keeps_the_old_list_visible(client):
    cast = filed()
    consortium = cast.consortium
    today = timezone.localdate()
    leaving = members(cast)[-1]
    newcomer = factories.unit(registration_status="unregistered", name="镇江新加入企业有限公司")
    client.force_login(cast.applicant)
    effective_on = today + timedelta(days=10)
    response = client.post(reverse("evaluations:member_change_new", args=[consortium.pk]),
                           change_post(effective_on, additions=[newcomer], removals=[leaving], consortium=cast.consortium))
    assert response.status_code == 302
    change = MemberChange.objects.get()
    assert change.supplementary_agreement.kind == AttachmentKind.SUPPLEMENTARY_AGREEMENT and change.status == "pending"
    # Nothing changes before the city records it.
    assert leaving in members(cast)
    client.force_login(cast.city)
    page = client.get(reverse("evaluations:member_change", args=[change.pk])).content.decode()
    assert f'data-added="{newcomer.credit_code}"' in page and f'data-removed="{leaving.unit.credit_code}"' in page
    client.post(reverse("evaluations:member_change", args=[change.pk]), {"action": "file_member_change", "opinion": ""})
    change.refresh_from_db()
    assert change.status == "filed"
    # The list on any day: before the effective date the old one, from it the new one; today (the dossier's) the old.
    before = [m.unit_name for m in membership_selectors.members_on(consortium, effective_on - timedelta(days=1))]
    after = [m.unit_name for m in membership_selectors.members_on(consortium, effective_on)]
    assert leaving.unit_name in before and newcomer.name not in before
    assert leaving.unit_name not in after and newcomer.name in after
    assert [m.unit_name for m in consortium.memberships.current()] == before
    page = client.get(reverse("evaluations:consortium", args=[consortium.pk]) + f"?on={effective_on.isoformat()}").content.decode()
    assert f'data-members-on="{effective_on.isoformat()}"' in page
    listed_on = page.split(f'data-members-on="{effective_on.isoformat()}"', 1)[1].split("</ol>", 1)[0]
    assert newcomer.name in listed_on and leaving.unit_name not in listed_on  # the list of that day, not today's
    # The registry got a bare entry at most; a unit already there was not rewritten.
    newcomer.refresh_from_db()
    assert newcomer.name == "镇江新加入企业有限公司"
    # Recorded and requested: both in the timeline and the audit log.
    actions = list(consortium.status_changes.values_list("action", flat=True))
    assert actions[-2:] == ["request_member_change", "file_member_change"]
    detail = consortium.status_changes.last().detail
    assert f"新增成员单位：{newcomer.name}" in detail and f"退出成员单位：{leaving.unit_name}" in detail
    assert AuditEvent.objects.filter(action="status_change", detail__startswith="成员变更备案").count() == 1


def test_a_short_result_asks_for_a_statement_beside_its_field_and_keeps_what_was_typed(client):
    cast = filed()
    client.force_login(cast.applicant)
    url = reverse("evaluations:member_change_new", args=[cast.consortium.pk])
    enterprise = [m for m in members(cast) if m.unit_kind == UnitKind.ENTERPRISE][0]
    body = change_post(timezone.localdate(), removals=[enterprise], description="成员单位调整说明原文", consortium=cast.consortium)
    page = client.post(url, body).content.decode()
    assert "变更后目前成员单位 3 家（不含牵头单位），原则上不少于 4 家：须填写情况说明。" in page
    assert "成员单位调整说明原文" in page and "请重新选择补充协议文件" in page
    assert not MemberChange.objects.exists()
    # No 高校院所 left: asked too.
    research = [m for m in members(cast) if m.unit_kind != UnitKind.ENTERPRISE]
    replacement = factories.unit(registration_status="unregistered")
    page = client.post(url, change_post(timezone.localdate(), additions=[replacement], removals=research, consortium=cast.consortium)).content.decode()
    assert "变更后成员单位中没有高校或科研院所（原则上不少于 1 家）：须填写情况说明。" in page
    # With the statement, it goes to the city, which sees it flagged.
    client.post(url, change_post(timezone.localdate(), removals=[enterprise], statement="另一家企业正在办理加入手续。", consortium=cast.consortium))
    change = MemberChange.objects.get()
    assert change.shortfalls == ["目前成员单位 3 家（不含牵头单位），原则上不少于 4 家"]
    client.force_login(cast.city)
    flagged = client.get(reverse("evaluations:member_change", args=[change.pk])).content.decode()
    assert "data-flags" in flagged and "另一家企业正在办理加入手续。" in flagged


def test_a_banned_unit_is_refused_beside_its_row_and_the_lead_cannot_be_removed(client):
    cast = filed()
    banned = factories.unit(registration_status="unregistered", name="被限制企业有限公司")
    UnitBan.objects.create(unit=banned, starts_on=date(2025, 1, 1), ends_on=date(2099, 1, 1), reason="牵头的联合体被取消资格")
    client.force_login(cast.applicant)
    page = client.post(reverse("evaluations:member_change_new", args=[cast.consortium.pk]),
                       change_post(timezone.localdate(), additions=[banned], consortium=cast.consortium)).content.decode()
    assert "被限制企业有限公司因牵头的联合体被取消资格，2099年1月1日前不得牵头或参与创新联合体。" in page
    assert not MemberChange.objects.exists()
    # The form never offers the lead; the service refuses it anyway.
    lead = cast.consortium.memberships.get(role="lead")
    form = client.get(reverse("evaluations:member_change_new", args=[cast.consortium.pk])).content.decode()
    assert 'name="removals"' in form and f'name="removals" value="{lead.pk}"' not in form
    check = membership_services.check_member_change(cast.consortium, effective_on=timezone.localdate(), removals=[lead], additions=[], statement="")
    assert ("removals", "牵头单位不能通过成员变更退出。") in check.errors
    # A member banned after it joined must leave in the change: the city cannot record one that keeps it.
    member = members(cast)[0]
    UnitBan.objects.create(unit=member.unit, starts_on=date(2025, 1, 1), ends_on=date(2099, 1, 1), reason="其他原因")
    check = membership_services.check_member_change(cast.consortium, effective_on=timezone.localdate(), removals=[],
                                         additions=[{"unit_name": "新单位", "credit_code": factories.credit_code(), "unit_kind": "enterprise"}],
                                         statement="")
    assert any("变更后的成员名单不能包含该单位" in message for message in check.messages())


def test_the_city_returns_a_change_with_an_opinion_and_nothing_is_applied(client):
    cast = filed()
    cast.take("request_member_change")
    change = MemberChange.objects.get()
    client.force_login(cast.city)
    url = reverse("evaluations:member_change", args=[change.pk])
    assert "请填写意见。" in client.post(url, {"action": "return_member_change", "opinion": ""}).content.decode()
    client.post(url, {"action": "return_member_change", "opinion": "补充协议缺少一家成员单位签章。"})
    change.refresh_from_db()
    assert (change.status, change.opinion) == ("returned", "补充协议缺少一家成员单位签章。")
    assert len(members(cast)) == 4
    last = cast.consortium.status_changes.last()
    assert (last.action, last.opinion) == ("return_member_change", "补充协议缺少一家成员单位签章。")
    # The agreement stays on file, downloadable by the lead.
    client.force_login(cast.applicant)
    assert client.get(reverse("applications:attachment", args=[change.supplementary_agreement_id])).status_code == 200
    assert Attachment.objects.filter(kind=AttachmentKind.SUPPLEMENTARY_AGREEMENT).count() == 1


def test_a_change_cannot_take_effect_before_the_last_one_recorded():
    today = timezone.localdate()
    cast = filed(filed_in=today.year - 1)
    cast.take("file_member_change")  # requests (effective today) and records
    check = membership_services.check_member_change(
        cast.consortium, effective_on=today - timedelta(days=1), removals=[], statement="",
        additions=[{"unit_name": "新单位", "credit_code": factories.credit_code(), "unit_kind": "enterprise"}])
    assert check.errors == [("effective_on", f"生效日期不能早于上一次已备案成员变更的生效日期（{today.year}年{today.month}月{today.day}日）。")]


def test_every_member_signs_the_supplementary_agreement_and_the_city_sees_who_signed(client):
    """§六（三） 经创新联合体全体成员同意: a row per member (those leaving too), by 法定代表人 or 授权人 with the 授权书."""
    cast = filed()
    everyone = list(cast.consortium.memberships.current().order_by("position", "pk"))
    url = reverse("evaluations:member_change_new", args=[cast.consortium.pk])
    newcomer = factories.research_unit()
    client.force_login(cast.applicant)
    # One member has not signed: refused beside the signatures, nothing asked, what was typed kept.
    body = change_post(timezone.localdate(), additions=[newcomer], signers=everyone[:-1], consortium=cast.consortium)
    refused = client.post(url, body)
    page = refused.content.decode()
    assert refused.status_code == 200 and not MemberChange.objects.exists()
    assert f"{everyone[-1].unit_name}未填写补充协议签署情况（法定代表人或授权人、签署人、签署日期）。" in page
    assert newcomer.name in page
    # An 授权人 without the 授权书 is refused too; with it, the change is asked and lists who signed.
    body = change_post(timezone.localdate(), additions=[newcomer], consortium=cast.consortium)
    last = len(everyone) - 1
    body.update({f"signatories-{last}-capacity": "authorised", f"signatories-{last}-person_name": "钱授权"})
    assert "由授权人签署，须上传法定代表人签发的授权书。" in client.post(url, body).content.decode()
    body = change_post(timezone.localdate(), additions=[newcomer], consortium=cast.consortium)
    body.update({f"signatories-{last}-capacity": "authorised", f"signatories-{last}-person_name": "钱授权",
                 f"signatories-{last}-authorization_file": upload("授权书.pdf", pdf_bytes(), "application/pdf")})
    assert client.post(url, body).status_code == 302
    change = MemberChange.objects.get()
    signed = list(change.signatories.order_by("position").values_list("unit_name", "capacity", "person_name"))
    assert [name for name, _, _ in signed] == [m.unit_name for m in everyone]
    assert signed[-1][1:] == ("authorised", "钱授权") and change.signatories.get(person_name="钱授权").authorization.kind == "authorization"
    client.force_login(cast.city)
    detail = client.get(reverse("evaluations:member_change", args=[change.pk])).content.decode()
    assert "data-signatories" in detail and "钱授权（授权人）" in detail and "授权书.pdf" in detail
