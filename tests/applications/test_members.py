"""What a lead declares about its members belongs to its own consortium (defect: one lead's typing
rewrote the member units of other consortia, filed ones included)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications import services
from applications.choices import Status
from applications.models import Membership, Unit
from reviews import documents
from tests import factories
from tests.applications.dossier.helpers import page_texts
from tests.applications.intake_helpers import member_post, member_row
from tests.lifecycle import cast_at

pytestmark = pytest.mark.django_db


def declare(client, applicant, consortium, rows):
    client.force_login(applicant)
    response = client.post(reverse("applications:edit", args=[consortium.pk, "members"]),
                           member_post(rows, consortium.application.lock_version))
    assert response.status_code == 302
    consortium.application.refresh_from_db()


def test_another_leads_declaration_of_the_same_code_leaves_this_one_as_typed(client):
    code = factories.credit_code("121000")
    lead_a = factories.user(Role.APPLICANT)
    a = services.start_application(lead_a, name="甲联合体", industry_field=factories.industry_field())
    declare(client, lead_a, a, [member_row("X大学", code, kind="university")])
    lead_b = factories.user(Role.APPLICANT)
    b = services.start_application(lead_b, name="乙联合体", industry_field=factories.industry_field())
    declare(client, lead_b, b, [member_row("Y咨询服务有限公司", code, kind="enterprise")])

    assert list(Membership.objects.filter(consortium=a, role="member").values_list("unit_name", "unit_kind")) == [("X大学", "university")]
    assert list(Membership.objects.filter(consortium=b, role="member").values_list("unit_name", "unit_kind")) == [
        ("Y咨询服务有限公司", "enterprise")]
    # both point at the one registry entry of the code, which neither declaration rewrote
    unit = Unit.objects.get(credit_code=code)
    assert (unit.name, unit.kind) == ("X大学", "university")
    # and A's 高校院所 rule still holds
    client.force_login(lead_a)
    page = client.get(reverse("applications:edit", args=[a.pk, "members"])).content.decode()
    assert 'value="X大学"' in page


@pytest.mark.slow  # renders a PDF or starts a process
def test_a_filed_consortiums_dossier_and_notice_do_not_change_when_someone_declares_its_university(client):
    cast = cast_at(Status.FILED)
    university = cast.consortium.memberships.get(unit_kind="university")
    notice_before = "".join(page_texts(documents.filing_notice(cast.consortium)))
    assert "江苏大学测试" in notice_before

    lead_b = factories.user(Role.APPLICANT)
    b = services.start_application(lead_b, name="乙联合体", industry_field=factories.industry_field())
    declare(client, lead_b, b, [member_row("Y咨询服务有限公司", university.unit.credit_code, kind="enterprise")])

    cast.consortium.refresh_from_db()
    assert "".join(page_texts(documents.filing_notice(cast.consortium))) == notice_before
    university.refresh_from_db()
    assert (university.unit_name, university.unit_kind) == ("江苏大学测试", "university")


def test_the_review_page_shows_the_frozen_version_not_later_changes_to_the_registry(client):
    cast = cast_at(Status.SUBMITTED)
    member = cast.consortium.memberships.filter(role="member", unit_kind="enterprise").first()
    Unit.objects.filter(pk=member.unit_id).update(name="后来改过的名称有限公司")
    client.force_login(cast.district)
    page = client.get(reverse("reviews:review", args=[cast.consortium.pk])).content.decode()
    assert member.unit_name in page
    assert "后来改过的名称有限公司" not in page


def test_reviewers_see_a_declaration_that_disagrees_with_the_units_registration_flagged(client):
    cast = cast_at(Status.SUBMITTED)
    member = cast.consortium.memberships.filter(role="member", unit_kind="enterprise").first()
    Unit.objects.filter(pk=member.unit_id).update(name="注册名称有限公司", registration_status="approved",
                                                   bureau=factories.district())
    client.force_login(cast.district)
    page = client.get(reverse("reviews:review", args=[cast.consortium.pk])).content.decode()
    assert "请审查人员注意（1 项）" in page
    assert f"申报名称“{member.unit_name}”与该代码的注册名称“注册名称有限公司”不一致" in page


def test_the_member_editor_warns_beside_a_member_whose_declaration_disagrees_with_its_registration(client):
    cast = cast_at(Status.DRAFT)
    member = cast.consortium.memberships.filter(role="member", unit_kind="enterprise").first()
    others = cast.consortium.memberships.filter(role="member").exclude(pk=member.pk)
    client.force_login(cast.applicant)
    url = reverse("applications:edit", args=[cast.consortium.pk, "members"])
    assert "data-warning" not in client.get(url).content.decode()
    Unit.objects.filter(pk=member.unit_id).update(name="注册名称有限公司", registration_status="approved",
                                                   bureau=factories.district())
    page = client.get(url).content.decode()
    assert page.count("data-warning") == 1
    assert f"⚠ 申报名称“{member.unit_name}”与该代码的注册名称“注册名称有限公司”不一致" in page
    assert all(other.unit_name in page for other in others)
