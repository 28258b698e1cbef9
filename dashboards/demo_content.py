"""The text of the demo 申请书: complete enough to pass the readiness check, plausible to read."""

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from applications import services, uploads
from applications.choices import CHARTER_SECTIONS, RESEARCH_KINDS, AttachmentKind, MemberRole, SignatoryCapacity
from operations import clock

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def certificate(title, unit_name, code):
    """A small PNG that stands in for a scanned certificate."""
    image = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(image)
    big = ImageFont.truetype(str(FONT), 36) if FONT.exists() else ImageFont.load_default()
    small = ImageFont.truetype(str(FONT), 20) if FONT.exists() else ImageFont.load_default()
    draw.rectangle([30, 30, 590, 847], outline="#b71c1c", width=6)
    draw.text((310, 150), title, fill="#b71c1c", font=big, anchor="mm")
    draw.text((310, 300), unit_name, fill="black", font=small, anchor="mm")
    draw.text((310, 350), f"统一社会信用代码：{code}", fill="black", font=small, anchor="mm")
    draw.text((310, 750), "（演示材料，非真实证照）", fill="#777777", font=small, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"{title}.png", buffer.getvalue(), content_type="image/png")


# The 组建协议 in its eight sections (§四（二）), each long enough not to be flagged as thin.
CHARTER = {
    "charter_principles": "各成员单位按照公平、自愿、互利的原则共同组建本创新联合体，以企业为主体、市场为导向、产学研深度融合，实行“成熟一个、建设一个”。",
    "charter_goals": "围绕{field}产业链关键薄弱环节，三年内突破关键共性技术 5 项以上，建成中试验证平台 1 个，推动 10 项以上成果在镇江转化。",
    "charter_division": "牵头单位负责总体设计、组织协调和成果产业化；高校院所承担基础研究和关键技术攻关；成员企业提供应用场景并承担中试验证。",
    "charter_organization": "设理事会为最高决策机构，负责审议发展规划和重大事项；专家指导委员会提供技术咨询；秘书处设在牵头单位，负责日常运行。",
    "charter_ip": "各方此前拥有的知识产权归原单位所有；联合攻关形成的知识产权按贡献约定共有，优先在成员单位之间许可使用，对外许可须经理事会同意。",
    "charter_benefits": "联合攻关成果转化收益按各方投入和贡献比例分配，具体比例在项目任务书中约定；成员单位间的技术服务按成本价优先提供。",
    "charter_funding": "经费由牵头单位投入、成员单位配套和争取的各级科技计划经费组成，专款专用、单独核算，接受理事会监督和年度审计。",
    "charter_projects": "联合攻关项目实行项目负责人制，由理事会立项、专家指导委员会论证，秘书处按季度跟踪进度，结题时组织验收和绩效评价。",
}


COUNCIL_NAMES = ["王建华", "李明远", "陈卫东", "周国强", "吴海燕", "郑晓峰", "冯志刚", "褚丽萍"]


def fill(application, applicant, members, *, complete=True, first_year, authorised=False):
    """Write every part of the 申请书 through the services, as the editor would; the 建设方案's yearly targets
    run for three years from ``first_year``. ``authorised``: the first member signs the 组建协议 by an 授权人,
    with the 授权书."""
    consortium = application.consortium
    field = consortium.industry_field.name
    today = clock.today()  # the day the story's application is written (load_demo may set it in the past)
    def save(part, data):
        services.save_part(application.pk, part, applicant, None, data)

    save("basic", {
        "name": consortium.name, "industry_field": consortium.industry_field,
        "chief_scientist": "孙立新", "chief_scientist_title": "首席科学家/教授",
        "mailing_address": consortium.lead_unit.address, "legal_representative": consortium.lead_unit.legal_representative,
        "lead_types": ["high_tech", "specialized"], "contact_person": "刘经理", "contact_phone": "0511-85001234",
        "research_directions": f"围绕{field}产业链薄弱环节，开展关键共性技术攻关、中试熟化和成果转化。",
        "governance": "设立理事会、专家指导委员会和秘书处；重大事项由理事会集体决策；科技成果按投入比例共享，收益按协议分配。",
        "staff_total": 3200, "staff_professional": 860, "ip_total": 420, "ip_invention_patents": 96,
    })
    rows = []
    for number, unit in enumerate(members):
        enterprise = unit.kind not in RESEARCH_KINDS
        rows.append({
            "unit_name": unit.name, "credit_code": unit.credit_code, "unit_kind": unit.kind,
            "task_division": "基础研究与关键技术攻关" if not enterprise else "工程化验证与产业化应用",
            "duties": "承担子课题研发，开放共享实验条件" if not enterprise else "提供应用场景，承担中试验证",
            "sales_revenue": Decimal("15600.00") if enterprise else None,
            "rd_spend": Decimal("1280.50") if enterprise else None,
            # The first unit (a university) holds patents; the first enterprise is 专精特新: each has its proofs to upload.
            "patent_count": 45 if number == 0 else None, "invention_patent_count": 30 if number == 0 else None,
            "qualifications": ["specialized"] if enterprise and number == next(
                (i for i, u in enumerate(members) if u.kind not in RESEARCH_KINDS), None) else [],
        })
    save("members", {
        "lead": {"task_division": "总体设计与组织协调", "duties": "牵头组织联合攻关，统筹经费与成果转化",
                 "sales_revenue": Decimal("286000.00"), "rd_spend": Decimal("15200.00"),
                 "patent_count": 120, "invention_patent_count": 66},
        "rows": rows,
    })
    save("foundation", {
        "platforms": [{"name": f"江苏省{field}工程技术研究中心", "industry": field, "level": "provincial",
          "host_unit": consortium.lead_unit.name, "built_on": date(2019, 6, 1)},
         {"name": f"镇江市{field}重点实验室", "industry": field, "level": "municipal",
          "host_unit": members[0].name if members else consortium.lead_unit.name, "built_on": date(2021, 9, 1)}],
        "projects": [{"name": f"{field}关键部件国产化研发与应用", "industry": field, "level": "provincial",
                      "starts_on": date(today.year - 1, 3, 1), "ends_on": date(today.year + 1, 12, 31),
                      "undertaker": consortium.lead_unit.name}],
    })
    if not complete:
        return
    save("plan", {"plan": {
        "plan_significance": f"{field}是我市“四群八链”重点产业链之一。组建创新联合体，有利于整合产业链上下游创新资源，攻克制约产业发展的“卡脖子”技术。",
        "plan_foundation": "牵头单位建有省级工程技术研究中心，研发人员 300 余人；成员单位拥有相关学科国家重点实验室，双方已合作开展 5 项研发项目。",
        "plan_positioning": "立足镇江、面向长三角，建成国内一流的协同创新平台。",
        "plan_organization": "理事会—专家指导委员会—秘书处三级架构，实行牵头单位法人和首席科学家双重负责制。",
        "plan_mechanism": "共建共享实验平台；设立联合研发基金；知识产权按贡献共有，转化收益按协议分配。",
        "plan_funding": "牵头单位每年投入不少于 2000 万元，成员单位配套投入；积极争取各级科技计划支持。",
    }, "targets": [
        {"year": first_year, "tasks": "完成关键技术攻关路线设计", "research_plan": "立项联合攻关项目 3 项",
         "team_building": "引进高层次人才 5 名", "rd_investment": Decimal("3000.00")},
        {"year": first_year + 1, "tasks": "完成样机研制与中试验证", "research_plan": "申请发明专利 20 项",
         "team_building": "培养研发骨干 30 名", "rd_investment": Decimal("4200.00")},
        {"year": first_year + 2, "tasks": "实现成果产业化应用", "research_plan": "形成标准 2 项",
         "team_building": "建成创新团队 3 个", "rd_investment": Decimal("5000.00")},
    ]})
    memberships = list(consortium.memberships.current().select_related("unit"))
    lead_membership = next(m for m in memberships if m.role == MemberRole.LEAD)
    research = next((m for m in memberships if m.unit_kind in RESEARCH_KINDS), lead_membership)
    save("organization", {
        "organization": {
            "secretariat_head": "刘经理", "secretariat_unit": lead_membership.unit_name,
            "chief_expert_unit": research.unit_name, "chief_expert_field": f"{field}关键技术",
            "chief_expert_education": "1988—1998 年就读于东南大学，获工学学士、博士学位；2001—2002 年在德国亚琛工业大学从事博士后研究。",
            "chief_expert_achievements": "主持国家重点研发计划项目 2 项，获国家科学技术进步奖二等奖 1 项、江苏省科学技术奖一等奖 2 项，授权发明专利 40 余项。",
            "chief_expert_industry_roles": f"中国{field}产业技术创新战略联盟副理事长；江苏省{field}行业协会专家委员会主任。",
            "chief_expert_phone": "0511-88780000", "chief_expert_email": "sunlixin@example.edu.cn",
        },
        "seats": {
            "council": [{"role": "chair", "name": consortium.lead_unit.legal_representative or "赵总", "unit_name": lead_membership.unit_name,
                         "title": "董事长"}]
                       + [{"role": "member", "name": name, "unit_name": m.unit_name, "title": "副总经理" if m.unit_kind not in RESEARCH_KINDS else "副院长"}
                          for name, m in zip(COUNCIL_NAMES, [m for m in memberships if m.role == MemberRole.MEMBER])],
            "advisory": [{"role": "chair", "name": "孙立新", "unit_name": research.unit_name, "title": "教授"},
                         {"role": "member", "name": "周明华", "unit_name": "东南大学", "title": "教授"},
                         {"role": "member", "name": "陈思远", "unit_name": "江苏省产业技术研究院", "title": "研究员"}],
        },
    })
    save("intros", {
        m.pk: {
            "intro_overview": f"{m.unit_name}位于江苏省，是行业内具有较强影响力的单位。",
            "intro_research": "拥有高水平研发团队和省级以上研发平台，近三年研发投入持续增长。",
            "intro_honors": "拥有有效发明专利多项，获省部级科学技术奖多项。",
        }
        for m in memberships
    })
    signed_on = today - timedelta(days=10)
    signatures = {
        m.unit_id: {"capacity": SignatoryCapacity.LEGAL_REPRESENTATIVE, "person_name": m.unit.legal_representative or "张三",
                    "signed_on": signed_on, "upload": None}
        for m in memberships
    }
    signatures[lead_membership.unit_id]["person_name"] = application.legal_representative or lead_membership.unit.legal_representative
    if authorised:
        signer = next(m for m in memberships if m.role == MemberRole.MEMBER)
        letter = certificate("法定代表人授权书", signer.unit_name, signer.unit.credit_code)
        signatures[signer.unit_id] = {"capacity": SignatoryCapacity.AUTHORISED, "person_name": "钱科研", "signed_on": signed_on,
                                      "upload": (letter, uploads.inspect(letter))}
    save("charter", {
        "sections": {name: CHARTER[name].format(field=field) for name, _ in CHARTER_SECTIONS},
        "charter_text": "本协议自各方法定代表人或授权人签字并加盖公章之日起生效，有效期五年；协议的变更须经全体成员单位同意，以补充协议形式签署。",
        "signatures": signatures,
    })
    lead = consortium.lead_unit
    for m in memberships:
        if m.unit_kind not in RESEARCH_KINDS:
            services.add_attachment(application.pk, applicant, unit=m.unit, kind=AttachmentKind.LICENSE,
                                    title="营业执照", uploaded=certificate("营业执照", m.unit_name, m.unit.credit_code))
        proofs = [(AttachmentKind.PATENT, "发明专利证书")] * bool(m.patent_count) + [(AttachmentKind.QUALIFICATION, "专精特新企业证书")] * bool(m.qualifications)
        for kind, title in proofs if m.role == MemberRole.MEMBER else []:
            services.add_attachment(application.pk, applicant, unit=m.unit, kind=kind, title=title,
                                    uploaded=certificate(title, m.unit_name, m.unit.credit_code))
    for kind, title in ((AttachmentKind.QUALIFICATION, "高新技术企业证书"), (AttachmentKind.PATENT, "发明专利证书"),
                        (AttachmentKind.FORMATION_AGREEMENT, "组建协议（签署扫描件）")):
        services.add_attachment(application.pk, applicant, unit=lead, kind=kind, title=title,
                                uploaded=certificate(title, lead.name, lead.credit_code))
