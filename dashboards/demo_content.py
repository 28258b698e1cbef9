"""The text of the demo 申请书: complete enough to pass the readiness check, plausible to read."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from applications import services
from applications.choices import RESEARCH_KINDS, AttachmentKind

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


def fill(application, applicant, members, *, complete=True, first_year):
    """Write every part of the 申请书 through the services, as the editor would; the 建设方案's yearly targets
    run for three years from ``first_year``."""
    consortium = application.consortium
    field = consortium.industry_field.name
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
    for unit in members:
        enterprise = unit.kind not in RESEARCH_KINDS
        rows.append({
            "unit_name": unit.name, "credit_code": unit.credit_code, "unit_kind": unit.kind,
            "task_division": "基础研究与关键技术攻关" if not enterprise else "工程化验证与产业化应用",
            "duties": "承担子课题研发，开放共享实验条件" if not enterprise else "提供应用场景，承担中试验证",
            "sales_revenue": Decimal("15600.00") if enterprise else None,
            "rd_spend": Decimal("1280.50") if enterprise else None,
        })
    save("members", {
        "lead": {"task_division": "总体设计与组织协调", "duties": "牵头组织联合攻关，统筹经费与成果转化",
                 "sales_revenue": Decimal("286000.00"), "rd_spend": Decimal("15200.00")},
        "rows": rows,
    })
    save("foundation", {
        "platforms": [{"name": f"江苏省{field}工程技术研究中心", "industry": field, "level": "provincial",
          "host_unit": consortium.lead_unit.name, "built_on": date(2019, 6, 1)},
         {"name": f"镇江市{field}重点实验室", "industry": field, "level": "municipal",
          "host_unit": members[0].name if members else consortium.lead_unit.name, "built_on": date(2021, 9, 1)}],
        "projects": [{"name": f"{field}关键部件国产化研发与应用", "industry": field, "level": "provincial",
                      "starts_on": date(2023, 1, 1), "ends_on": date(2025, 12, 31), "undertaker": consortium.lead_unit.name}],
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
    save("intros", {
        m.pk: {
            "intro_overview": f"{m.unit_name}位于江苏省，是行业内具有较强影响力的单位。",
            "intro_research": "拥有高水平研发团队和省级以上研发平台，近三年研发投入持续增长。",
            "intro_honors": "拥有有效发明专利多项，获省部级科学技术奖多项。",
        }
        for m in memberships
    })
    save("charter", (
        "第一章 总则\n第一条 为推动创新链和产业链深度融合，各成员单位按照公平、自愿的原则，共同组建本创新联合体。\n"
        "第二章 组织机构\n第二条 设立理事会、专家指导委员会和秘书处。\n第三章 知识产权与收益分配\n第三条 联合研发形成的知识产权按贡献共有。"
    ))
    lead = consortium.lead_unit
    for m in memberships:
        if m.unit_kind not in RESEARCH_KINDS:
            services.add_attachment(application.pk, applicant, unit=m.unit, kind=AttachmentKind.LICENSE,
                                    title="营业执照", uploaded=certificate("营业执照", m.unit_name, m.unit.credit_code))
    for kind, title in ((AttachmentKind.QUALIFICATION, "高新技术企业证书"), (AttachmentKind.PATENT, "发明专利证书"),
                        (AttachmentKind.AGREEMENT, "组建协议（签署扫描件）")):
        services.add_attachment(application.pk, applicant, unit=lead, kind=kind, title=title,
                                uploaded=certificate(title, lead.name, lead.credit_code))
