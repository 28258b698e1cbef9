"""The consortium's organisation in the printed dossier: the 组建协议 in the plan's eight sections with who signed
it, the organs and the 首席专家 after 组织架构, 双重负责制 on the 基础信息表 — and a version frozen before these
were asked, which prints "（本版本未填报）" in their place."""

import re

import pytest
from django.utils import timezone

from applications import services, snapshot
from applications.choices import CHARTER_SECTIONS
from applications.dossier import attachments, render, source
from applications.models import ApplicationVersion
from tests.applications.intake_helpers import upload
from tests.lifecycle import charter_data, complete_application

from . import helpers

pytestmark = pytest.mark.django_db


def flat(pdf):
    """The printed text in reading order, without page footers (a table may run on over a page break)."""
    pages = [re.sub(r"验证码[^\n]*核验|—\d+—", "", re.sub(r"\s+", "", text)) for text in helpers.page_texts(pdf, "-raw")]
    return "".join(pages)


def part(body, title, following):
    """The text of one part, from its title on its own page (not the table of contents) to the next part's."""
    start = body.index(title, body.index("（一）基础信息表", body.index("（一）基础信息表") + 1))
    return body[start:body.index(following, start)]


def submitted_with_an_authorised_signer():
    applicant, application = complete_application()
    memberships = list(application.consortium.memberships.current().select_related("unit"))
    member = next(m for m in memberships if m.role == "member")
    letter = upload("授权书.png")
    data = charter_data(memberships, {member.unit_id: {"capacity": "authorised", "person_name": "钱科研",
                                                       "signed_on": timezone.localdate(), "upload": (letter, services.uploads.inspect(letter))}})
    for number, (name, heading) in enumerate(CHARTER_SECTIONS, start=1):
        data["sections"][name] = f"第{number}项约定：{heading}的具体内容。"
    services.save_part(application.pk, "charter", applicant, None, data)
    version = services.submit_application(application.pk, applicant)
    return application, version, member


def test_the_agreement_prints_its_eight_sections_in_the_plans_order_then_who_signed_it():
    application, version, member = submitted_with_an_authorised_signer()
    pdf = render.render_source(source.resolve(application), site_url="https://kjj.example.gov.cn").pdf
    body = flat(pdf)
    charter = part(body, "（四）创新联合体章程（组建协议）", "（五）附件材料")
    positions = [charter.index(f"{ordinal}、{heading}第{n}项约定：{heading}的具体内容。")
                 for n, (ordinal, (_, heading)) in enumerate(zip("一二三四五六七八", CHARTER_SECTIONS), start=1)]
    assert positions == sorted(positions)
    letter = next(a.number for a in attachments.prepare(version.content) if a.kind == "authorization")
    signatures = charter[charter.index("组建协议签署情况"):]
    assert f"{member.unit_name}授权人钱科研" in signatures
    assert "（本版本未填报）" not in body
    assert f"附件{letter}" in signatures


def test_the_organs_and_the_chief_expert_follow_the_organisational_structure():
    application, _, _ = submitted_with_an_authorised_signer()
    body = flat(render.render_source(source.resolve(application)).pdf)
    plan = body[body.index("1.组织架构"):body.index("2.运行机制")]
    assert "理事会理事长张三牵头单位董事长" in plan
    assert "专家指导委员会主任委员孙立新江苏大学教授" in plan
    assert "秘书处秘书长王秘书依托单位：牵头单位" in plan
    assert "工作单位江苏大学研究领域电气工程" in plan
    assert "双重负责制牵头单位法定代表人张三；首席科学家孙立新" in body


def test_a_version_frozen_before_the_organisation_prints_not_asked_in_its_place():
    application, version, _ = submitted_with_an_authorised_signer()
    content = version.content
    del content["signatories"], content["bodies"]
    for name in snapshot.ORGANISATION_FIELDS:
        del content["application"][name]
    content["application"]["charter_text"] = "第一条　本联合体按照公平、自愿的原则组建。"
    ApplicationVersion.objects.filter(pk=version.pk).update(content=content)
    pdf = render.render_source(source.resolve(application)).pdf
    body = flat(pdf)
    charter = part(body, "（四）创新联合体章程（组建协议）", "（五）附件材料")
    assert charter.count("（本版本未填报）") == 9  # eight sections and the signatures
    assert "章程（组建协议）正文第一条本联合体按照公平、自愿的原则组建。组建协议签署情况（本版本未填报）" in charter
    plan = body[body.index("1.组织架构"):body.index("2.运行机制")]
    assert "组织机构及首席专家：（本版本未填报）" in plan
