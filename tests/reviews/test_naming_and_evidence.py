"""备案 naming (seed §四: “XXX（领域）创新联合体”) and what an expert sees beside each criterion while scoring."""

import pytest
from django.urls import reverse

from applications.choices import Status
from reviews import rules, services
from reviews.models import Criterion, ExpertAssignment
from tests.lifecycle import cast_at, score

pytestmark = pytest.mark.django_db

FORMAT = "备案名称应为“XXX（领域）创新联合体”：XXX 不能为空，领域写在一对中文括号“（）”中，名称中不能有其他括号。"


@pytest.mark.parametrize(("name", "reason"), [
    ("镇江智能电气（智能电气）创新联合体", ""),
    ("  镇江智能电气（智能电气）创新联合体 ", ""),
    ("镇江智能电气创新联合体", FORMAT),
    ("（智能电气）创新联合体", FORMAT),
    ("镇江(智能电气)创新联合体", FORMAT),
    ("镇江（丹阳）智能电气（智能电气）创新联合体", FORMAT),
    ("镇江智能电气（智能电气）联盟", FORMAT),
    ("测试（）创新联合体", "备案名称的括号中须写明领域，如该联合体的产业领域“智能电气”。"),
    ("测试（ ）创新联合体", "备案名称的括号中须写明领域，如该联合体的产业领域“智能电气”。"),
    ("测试（领域）创新联合体", "备案名称中的领域“领域”与该联合体的产业领域“智能电气”不一致；如确需使用，请勾选“确认使用与产业领域不同的领域名称”。"),
])
def test_the_filing_name_has_one_bracketed_field_which_is_the_consortiums(name, reason):
    assert rules.filing_name_valid(name, "智能电气") == (not reason, reason)


def test_another_field_is_accepted_when_the_city_confirms_it():
    assert rules.filing_name_valid("镇江（电力装备）创新联合体", "智能电气", confirmed=True) == (True, "")
    assert rules.filing_name_valid("测试（）创新联合体", "智能电气", confirmed=True)[0] is False  # an empty field never


def test_the_suggested_name_drops_other_brackets():
    cast = cast_at(Status.UNDER_APPRAISAL)
    field = cast.consortium.industry_field.name
    cast.consortium.name = "镇江（京口）测试创新联合体"
    assert services.suggested_name(cast.consortium) == f"镇江测试（{field}）创新联合体"


def test_the_city_files_under_another_field_only_with_the_confirmation(client):
    cast = cast_at(Status.UNDER_APPRAISAL)
    score(ExpertAssignment.objects.get(expert=cast.expert))
    client.force_login(cast.city)
    url = reverse("reviews:review", args=[cast.consortium.pk])
    field = cast.consortium.industry_field.name
    data = {"action": "file", "name": "镇江测试（电力装备）创新联合体", "opinion": "同意备案"}
    response = client.post(url, data)
    assert response.context["decision_form"].errors["name"] == [
        f"备案名称中的领域“电力装备”与该联合体的产业领域“{field}”不一致；如确需使用，请勾选“确认使用与产业领域不同的领域名称”。"]
    assert 'name="confirm_field"' in response.content.decode()
    assert client.post(url, {**data, "confirm_field": "on"}).status_code == 302
    cast.consortium.refresh_from_db()
    assert (cast.consortium.status, cast.consortium.name) == (Status.FILED, "镇江测试（电力装备）创新联合体")


def test_the_engine_refuses_a_name_without_its_field_even_without_the_form():
    cast = cast_at(Status.UNDER_APPRAISAL)
    score(ExpertAssignment.objects.get(expert=cast.expert))
    with pytest.raises(services.workflow.TransitionError) as refused:
        services.decide(cast.consortium.pk, cast.city, "file", "同意", name="测试（）创新联合体")
    assert (refused.value.message, refused.value.reasons) == (
        "不能“予以备案”：", [f"备案名称的括号中须写明领域，如该联合体的产业领域“{cast.consortium.industry_field.name}”。"])
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.UNDER_APPRAISAL


def test_an_expert_sees_the_chief_expert_and_the_organs_under_the_criterion_they_belong_to(client):
    cast = cast_at(Status.DISTRICT_PASSED)
    services.create_round("第一批", [cast.consortium.pk], [cast.expert], cast.city)
    client.force_login(cast.expert)
    page = client.get(reverse("reviews:assignment", args=[ExpertAssignment.objects.get().pk])).content.decode()
    organisation = Criterion.objects.get(evidence="organisation")
    assert organisation.name == "组织协同能力"
    form = page[page.index("<form method=\"post\" novalidate>"):]
    criteria = list(Criterion.objects.filter(is_active=True))
    following = criteria[criteria.index(organisation) + 1]
    evidence = form.index('data-evidence="organisation"')
    # right after its own criterion's field, before the next criterion's
    assert form.index(f'id="id_c{organisation.pk}"') < evidence < form.index(f'id="id_c{following.pk}"')
    shown = form[evidence:form.index("</details>", evidence)]
    assert "江苏大学" in shown and "电气工程" in shown and "理事长 张三（牵头单位）" in shown and "秘书长 王秘书" in shown
    assert 'data-evidence="charter"' in form  # the 组建协议's sections beside 运行机制
