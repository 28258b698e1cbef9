"""培育库 (seed §四（一））: a district adds and follows its own candidates, the city sees all and marks 市级主导; an
invitation mails a registration link that pre-fills the registration; registering, submitting and 备案 move the
candidate by themselves."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import OutgoingEmail
from accounts.roles import Role
from applications import services as application_services
from applications.choices import Status
from candidates import services
from candidates.choices import CandidateStatus, Origin
from candidates.forms import CandidateForm
from candidates.models import Candidate
from tests import factories
from tests.lifecycle import Cast, complete_application

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"name": "镇江恒顺新材料有限公司", "credit_code": factories.credit_code(), "bureau": factories.district().pk,
            "industry_field": factories.industry_field().pk, "contact_name": "王经理", "contact_phone": "13800000001",
            "contact_email": "wang@example.com", "reason": "行业龙头，研发投入占比 6%，已与江苏大学共建研发中心。"}
    data.update(overrides)
    return data


def candidate(actor=None, **overrides):
    actor = actor or factories.user(Role.DISTRICT_REVIEWER)
    data = form_data(**overrides)
    data["bureau"] = factories.district() if "bureau" not in overrides else overrides["bureau"]
    data["industry_field"] = factories.industry_field()
    return services.add_candidate(actor, data)


def test_a_district_adds_a_candidate_of_its_own_district(client):
    district = factories.user(Role.DISTRICT_REVIEWER)
    client.force_login(district)
    response = client.post(reverse("candidates:new"), form_data())
    added = Candidate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("candidates:detail", args=[added.pk])
    assert (added.status, added.origin, added.bureau, added.created_by) == (CandidateStatus.CULTIVATING, Origin.DISTRICT,
                                                                            district.bureau, district)


def test_a_bad_credit_code_is_refused_beside_the_field_and_nothing_typed_is_lost(client):
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    response = client.post(reverse("candidates:new"), form_data(credit_code="91321100MA1234567X"))
    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"] == ["统一社会信用代码校验不通过：代码中有字符录入有误。请对照营业执照或登记证书重新复制录入完整的 18 位代码。"]
    assert "行业龙头，研发投入占比 6%" in response.content.decode()
    assert Candidate.objects.count() == 0


def test_the_same_code_twice_is_refused_naming_where_it_is():
    first = candidate()
    client_data = form_data(credit_code=first.credit_code)
    form = CandidateForm(client_data, user=factories.user(Role.DISTRICT_REVIEWER))
    assert not form.is_valid()
    assert form.errors["credit_code"] == ["该统一社会信用代码已在培育库中（京口区科学技术局，培育中）。"]


def test_a_district_cannot_add_for_another_district(client):
    client.force_login(factories.user(Role.DISTRICT_REVIEWER))
    response = client.post(reverse("candidates:new"), form_data(bureau=factories.district("丹阳市").pk))
    assert response.status_code == 200
    assert response.context["form"].errors["bureau"] == ["请选择列表中的辖市区。"]
    assert Candidate.objects.count() == 0


def test_the_city_adds_as_city_led_and_marks_a_district_candidate_city_led(client):
    city = factories.user(Role.MUNICIPAL_STAFF)
    client.force_login(city)
    client.post(reverse("candidates:new"), form_data(bureau=factories.district("丹阳市").pk))
    assert Candidate.objects.get().origin == Origin.CITY
    recommended = candidate()
    client.post(reverse("candidates:city_led", args=[recommended.pk]))
    recommended.refresh_from_db()
    assert recommended.origin == Origin.CITY


def test_a_district_sees_only_its_own_the_city_all():
    own, other = candidate(), candidate(actor=factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")),
                                        bureau=factories.district("丹阳市"))
    assert list(Candidate.objects.visible_to(factories.user(Role.DISTRICT_REVIEWER))) == [own]
    assert set(Candidate.objects.visible_to(factories.user(Role.MUNICIPAL_STAFF))) == {own, other}
    assert list(Candidate.objects.visible_to(factories.user(Role.APPLICANT))) == []
    assert list(Candidate.objects.visible_to(factories.user(Role.EXPERT))) == []


def test_the_list_is_paged_and_its_queries_do_not_grow_with_the_rows(client):
    district = factories.user(Role.DISTRICT_REVIEWER)
    client.force_login(district)
    candidate(actor=district)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("candidates:list")).status_code == 200
    for n in range(60):
        candidate(actor=district, name=f"候选企业{n}有限公司", credit_code=factories.credit_code())
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("candidates:list"))
    assert len(many) == len(few)
    assert len(response.context["page"].object_list) == 50
    assert "培育中 61" in response.content.decode()


def test_dropping_needs_a_reason_and_resuming_brings_it_back(client):
    district = factories.user(Role.DISTRICT_REVIEWER)
    client.force_login(district)
    added = candidate(actor=district)
    response = client.post(reverse("candidates:drop", args=[added.pk]), {"reason": ""}, follow=True)
    assert "请填写不再跟进的原因。" in response.content.decode()
    client.post(reverse("candidates:drop", args=[added.pk]), {"reason": "企业转产，暂无组建意向"})
    added.refresh_from_db()
    assert (added.status, added.dropped_reason) == (CandidateStatus.DROPPED, "企业转产，暂无组建意向")
    client.post(reverse("candidates:resume", args=[added.pk]))
    added.refresh_from_db()
    assert (added.status, added.dropped_reason) == (CandidateStatus.CULTIVATING, "")


def test_another_district_can_neither_see_nor_act_on_a_candidate(client):
    added = candidate()
    client.force_login(factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")))
    assert client.get(reverse("candidates:detail", args=[added.pk])).status_code == 404
    assert client.post(reverse("candidates:invite", args=[added.pk])).status_code == 404
    assert OutgoingEmail.objects.count() == 0


def invitation_link(email):
    return re.search(r"https?://\S+/register/\?invite=\S+", email.body).group(0)


def test_inviting_mails_a_link_that_prefills_the_registration_and_the_approval_links_the_unit(client, django_capture_on_commit_callbacks):
    district = factories.user(Role.DISTRICT_REVIEWER)
    added = candidate(actor=district)
    client.force_login(district)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("candidates:invite", args=[added.pk]))
    added.refresh_from_db()
    assert added.status == CandidateStatus.INVITED
    email = OutgoingEmail.objects.get(to="wang@example.com")
    assert email.subject == "【镇江市创新联合体平台】邀请注册：镇江恒顺新材料有限公司"
    assert [m.to for m in mail.outbox] == [["wang@example.com"]]  # sent by the outbox's task
    client.logout()
    link = invitation_link(email)
    page = client.get(link[link.index("/register/"):])
    form = page.context["form"]
    assert {key: form[key].value() for key in ("name", "credit_code", "bureau", "full_name", "phone", "email")} == {
        "name": "镇江恒顺新材料有限公司", "credit_code": added.credit_code, "bureau": added.bureau_id, "full_name": "王经理",
        "phone": "13800000001", "email": "wang@example.com"}
    # the district approves the registration: the candidate points at its unit
    registration = factories.registration(credit_code=added.credit_code, name=added.name)
    application_services.approve_registration(registration.pk, district)
    added.refresh_from_db()
    assert added.unit.credit_code == added.credit_code
    assert added.status == CandidateStatus.INVITED


def test_a_forged_or_altered_invitation_prefills_nothing_and_says_why(client):
    response = client.get(reverse("applications:register") + "?invite=abc:def", follow=True)
    assert response.context["form"]["name"].value() is None
    assert "该邀请链接已失效（超过 60 天或已被修改），请直接填写注册信息。" in response.content.decode()


def test_submitting_and_filing_move_the_candidate_by_themselves():
    applicant, application = complete_application()
    district = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
    added = candidate(actor=district, credit_code=applicant.unit.credit_code, name=applicant.unit.name)
    assert (added.unit, added.consortium, added.status) == (applicant.unit, None, CandidateStatus.CULTIVATING)  # a draft is nobody's business
    cast = Cast(applicant, application)
    cast.take("submit")
    added.refresh_from_db()
    assert (added.status, added.consortium) == (CandidateStatus.APPLIED, cast.consortium)
    for action in ("district_pass", "start_appraisal", "file"):
        cast.take(action)
    added.refresh_from_db()
    assert added.status == CandidateStatus.FILED
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.FILED


def test_an_applied_candidate_cannot_be_dropped_or_invited(client):
    applicant, application = complete_application()
    Cast(applicant, application).take("submit")
    district = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
    added = candidate(actor=district, credit_code=applicant.unit.credit_code, name=applicant.unit.name)
    assert added.status == CandidateStatus.APPLIED
    client.force_login(district)
    response = client.post(reverse("candidates:drop", args=[added.pk]), {"reason": "不跟进"}, follow=True)
    assert "该企业已提交备案申请，状态随申请自动更新，不能再邀请或标记为不再跟进。" in response.content.decode()
    added.refresh_from_db()
    assert added.status == CandidateStatus.APPLIED


def test_a_district_edits_its_candidate_and_an_applied_one_is_no_longer_edited(client):
    district = factories.user(Role.DISTRICT_REVIEWER)
    added = candidate(actor=district)
    client.force_login(district)
    response = client.post(reverse("candidates:edit", args=[added.pk]), form_data(credit_code=added.credit_code,
                                                                                 reason="已获批省级企业技术中心。"))
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.reason == "已获批省级企业技术中心。"
    Candidate.objects.filter(pk=added.pk).update(status=CandidateStatus.APPLIED)
    response = client.get(reverse("candidates:edit", args=[added.pk]), follow=True)
    assert "该企业已提交备案申请，培育库信息不再修改，以申请书为准。" in response.content.decode()
    with pytest.raises(ValidationError):
        services.change_candidate(added.pk, district, {**form_data(credit_code=added.credit_code), "bureau": district.bureau,
                                                       "industry_field": factories.industry_field()})
