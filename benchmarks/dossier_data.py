"""A large, realistic 申请书 for the dossier benchmark (and for looking at the printed pages).

12 units, 10 platforms, 20 projects, 20,000 characters of plan text and 10 scanned PDFs of
3 pages each by default; every size is a parameter, so the same builder makes a 200-page book.
"""

import functools
import hashlib
import io
import itertools
import subprocess
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from accounts.models import Bureau, User
from accounts.roles import Role
from applications import services, workflow
from applications.choices import CHARTER_SECTIONS, AttachmentKind, MemberRole, RegistrationStatus, SeatRole, UnitKind
from applications.models import (
    AnnualTarget,
    Application,
    Attachment,
    BodySeat,
    IndustryField,
    Membership,
    Platform,
    Project,
    Signatory,
    Unit,
)
from applications.validators import credit_code_check_char
from operations import clock

SENTENCES = [
    "联合体围绕智能电网关键装备开展协同攻关，重点突破高压直流断路器、智能配电终端和电力电子变压器等核心技术",
    "牵头单位建有省级工程技术研究中心和企业技术中心，近三年研发投入占销售收入比例保持在百分之六以上",
    "成员单位江苏大学在电机与电器、电力系统自动化方向拥有国家级科研平台和高水平研究团队",
    "联合体将建设中试验证平台，面向产业链上下游企业开放共享检验检测仪器设备，提供技术服务",
    "通过项目加课题方式组织联合攻关，明确各成员单位的任务分工、经费投入和知识产权归属",
    "按照共建共享、风险共担、利益共享的原则，建立理事会决策、专家委员会咨询、秘书处执行的运行机制",
    "计划三年内申请发明专利六十项以上，制定行业或团体标准五项，培育高层次创新人才三十名",
    "推动高校院所研究成果在联合体内二次开发和中试熟化，打通科技成果转化最后一公里",
    "围绕镇江市四群八链重点产业，服务智能电气产业集群高质量发展，提升产业链自主可控水平",
    "设立联合体专项研发经费，由牵头单位统筹管理，实行项目制管理和年度绩效评价",
]
UNIT_NAMES = [
    ("江苏金港智能电气股份有限公司", UnitKind.ENTERPRISE), ("江苏大学", UnitKind.UNIVERSITY),
    ("江苏科技大学", UnitKind.UNIVERSITY), ("镇江市产业技术研究院", UnitKind.INSTITUTE),
    ("镇江华源精密机械有限公司", UnitKind.ENTERPRISE), ("镇江新能储能科技有限公司", UnitKind.ENTERPRISE),
    ("南京联芯电子有限公司", UnitKind.ENTERPRISE), ("丹阳光学材料有限公司", UnitKind.ENTERPRISE),
    ("扬中电缆附件有限公司", UnitKind.ENTERPRISE), ("句容智能装备有限公司", UnitKind.ENTERPRISE),
    ("镇江绿能电力设计院有限公司", UnitKind.ENTERPRISE), ("镇江开关柜制造有限公司", UnitKind.ENTERPRISE),
]
ATTACHMENT_KINDS = [
    (AttachmentKind.LICENSE, "营业执照"), (AttachmentKind.PATENT, "发明专利证书"),
    (AttachmentKind.QUALIFICATION, "高新技术企业证书"), (AttachmentKind.FORMATION_AGREEMENT, "创新联合体组建协议（签署页）"),
]
_serial = itertools.count(1)


def text(characters, offset=0):
    """Plausible plan prose of about ``characters`` characters, one paragraph every four sentences."""
    out, length = [], 0
    for n in itertools.count(offset):
        sentence = SENTENCES[n % len(SENTENCES)] + ("。\n" if n % 4 == 3 else "；")
        out.append(sentence)
        length += len(sentence)
        if length >= characters:
            return "".join(out).rstrip("；\n") + "。"


def credit_code():
    first17 = f"913211{next(_serial) + 90000:05d}MA0000"[:17]
    return first17 + credit_code_check_char(first17)


@functools.cache
def cjk_font(size):
    """Noto Serif CJK SC at ``size``, looked up once per size (fc-match is a process of its own)."""
    path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Serif CJK SC"], capture_output=True, text=True).stdout
    try:
        return ImageFont.truetype(path, size, index=2)
    except OSError:
        return ImageFont.load_default()


def scan_pdf(title, unit_name, pages=3):
    """A scanned certificate: A4 pages at 150 dpi as JPEG, the way a photocopier delivers them."""
    images = []
    heading, body = cjk_font(64), cjk_font(34)
    for page in range(1, pages + 1):
        image = Image.new("RGB", (1240, 1754), (250, 249, 244))
        draw = ImageDraw.Draw(image)
        draw.rectangle((70, 70, 1170, 1684), outline=(170, 30, 30), width=8)
        draw.text((620, 230), title, font=heading, fill=(150, 20, 20), anchor="mm")
        for line, label in enumerate(("单位名称", "统一社会信用代码", "发证日期", "有效期至", "发证机关")):
            draw.text((180, 420 + line * 110), f"{label}：{unit_name if line == 0 else '—'}", font=body, fill=(30, 30, 30))
        draw.text((620, 1560), f"第 {page} 页 / 共 {pages} 页", font=body, fill=(60, 60, 60), anchor="mm")
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=150, save_all=True, append_images=images[1:], quality=80)
    return buffer.getvalue()


def attach(consortium, unit, kind, title, data, name="scan.pdf", content_type="application/pdf"):
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(
        consortium=consortium, unit=unit, kind=kind, title=title, original_name=name,
        content_type=content_type, size=len(data), sha256=digest,
    )
    attachment.file.save(name, ContentFile(data), save=False)
    attachment.save()
    return attachment


def build(*, units=12, platforms=10, projects=20, plan_characters=20_000, attachments=10, attachment_pages=3,
          submit=True):
    """The application, filled in; frozen and submitted unless ``submit`` is false."""
    bureau = Bureau.objects.get(district="京口区")
    serial = next(_serial)
    names = [(name if serial == 1 else f"{name}（{serial}）", kind) for name, kind in itertools.islice(itertools.cycle(UNIT_NAMES), units)]
    lead = Unit.objects.create(
        name=names[0][0], credit_code=credit_code(), kind=UnitKind.ENTERPRISE, bureau=bureau,
        legal_representative="赵建国", address="江苏省镇江市京口区学府路 88 号",
        qualifications=["high_tech", "specialized", "listed"], registration_status=RegistrationStatus.APPROVED,
    )
    applicant = User.objects.create(username=f"bench{serial}", full_name="刘晓明", role=Role.APPLICANT, unit=lead,
                                    phone="0511-85550000")
    consortium = services.start_application(
        applicant, name=f"镇江智能电气创新联合体{'' if serial == 1 else serial}", industry_field=IndustryField.objects.get(name="智能电气"),
    )
    consortium.chief_scientist, consortium.chief_scientist_title = "孙立新", "首席科学家/教授"
    consortium.save(update_fields=["chief_scientist", "chief_scientist_title"])
    lead_membership = consortium.memberships.get(role=MemberRole.LEAD)
    fill_member(lead_membership, 0)
    members = [lead]
    for position, (name, kind) in enumerate(names[1:], start=2):
        unit = Unit.objects.create(
            name=name, credit_code=credit_code(), kind=kind, bureau=bureau if kind == UnitKind.ENTERPRISE else None,
            legal_representative="王强",
        )
        members.append(unit)
        fill_member(Membership(consortium=consortium, unit=unit, unit_name=unit.name, unit_kind=unit.kind, role=MemberRole.MEMBER,
                               position=position), position)
    application = consortium.application
    fill_application(application, plan_characters)
    for n in range(1, platforms + 1):
        Platform.objects.create(
            application=application, position=n, name=f"江苏省智能电气装备工程技术研究中心（{n}）", industry="智能电气",
            level=["national", "provincial", "municipal"][n % 3], host_unit=members[n % len(members)].name,
            built_on=date(2015 + n % 8, 1 + n % 12, 1),
        )
    this_year = clock.today().year  # 近三年: every project began within the three years before submission
    for n in range(1, projects + 1):
        Project.objects.create(
            application=application, position=n, name=f"高压直流输电关键装备研制与产业化示范（课题{n}）", industry="智能电气",
            level=["national", "provincial"][n % 2], starts_on=date(this_year - n % 3, 1, 1), ends_on=date(this_year + 2 - n % 3, 12, 31),
            undertaker=members[n % len(members)].name,
        )
    for n, year in enumerate((2026, 2027, 2028), start=1):
        AnnualTarget.objects.create(
            application=application, position=n, year=year, tasks=text(160, n), research_plan=text(90, n + 3),
            team_building=text(70, n + 5), rd_investment=Decimal("1500.00") * n,
        )
    fill_organisation(application, consortium)
    for n in range(attachments):
        kind, title = ATTACHMENT_KINDS[n % len(ATTACHMENT_KINDS)]
        unit = members[n % len(members)]
        attach(consortium, unit, kind, title, scan_pdf(title, unit.name, attachment_pages), name=f"scan-{n + 1}.pdf")
    attach_missing_proofs(consortium, lead)
    if submit:  # through the workflow, as in production: 形式审查 runs and the version is frozen
        workflow.transition(consortium.pk, "submit", applicant)
    return Application.objects.get(pk=application.pk)


def attach_missing_proofs(consortium, lead):
    """The one-page scans 形式审查 still asks for: each enterprise's 营业执照, the lead's qualification proof, an
    invention patent and the signed 组建协议 (of any unit)."""
    wanted = [(m.unit, AttachmentKind.LICENSE, "营业执照") for m in consortium.memberships.current().select_related("unit")
              if m.unit.kind == UnitKind.ENTERPRISE] + [(lead, AttachmentKind.QUALIFICATION, "高新技术企业证书")]
    for unit, kind, title in wanted:
        if not consortium.attachments.filter(unit=unit, kind=kind).exists():
            attach(consortium, unit, kind, title, scan_pdf(title, unit.name, 1), name=f"{kind}-{unit.pk}.pdf")
    for kind, title in ((AttachmentKind.PATENT, "发明专利证书"), (AttachmentKind.FORMATION_AGREEMENT, "创新联合体组建协议（签署页）")):
        if not consortium.attachments.filter(kind=kind).exists():
            attach(consortium, lead, kind, title, scan_pdf(title, lead.name, 1), name=f"{kind}-{lead.pk}.pdf")


def fill_organisation(application, consortium):
    """The 组建协议 signed by every unit's 法定代表人, a 理事会 of every unit, a 专家指导委员会 of five, the 首席专家."""
    memberships = list(consortium.memberships.current().select_related("unit"))
    Signatory.objects.bulk_create([
        Signatory(application=application, unit=m.unit, unit_name=m.unit_name, position=n, capacity="legal_representative",
                  person_name=m.unit.legal_representative or "王强", signed_on=date(2026, 3, 1))
        for n, m in enumerate(memberships, start=1)
    ])
    seats = [BodySeat(application=application, body="council", position=n, role=SeatRole.CHAIR if n == 1 else SeatRole.MEMBER,
                      name=f"理事{n}", unit_name=m.unit_name, title="董事长" if n == 1 else "副总经理")
             for n, m in enumerate(memberships, start=1)]
    seats += [BodySeat(application=application, body="advisory", position=len(memberships) + n, role=SeatRole.CHAIR if n == 1 else SeatRole.MEMBER,
                       name=f"委员{n}", unit_name="江苏大学", title="教授") for n in range(1, 6)]
    BodySeat.objects.bulk_create(seats)


def fill_member(membership, position):
    enterprise = membership.unit.kind == UnitKind.ENTERPRISE
    membership.task_division = "关键共性技术联合攻关" if position % 2 else "中试验证与产业化"
    membership.duties = "承担子课题研发、样机试制与中试验证，开放共享检测设备"
    membership.sales_revenue = Decimal("12800.50") + position if enterprise else None
    membership.rd_spend = Decimal("960.00") + position if enterprise else None
    membership.intro_overview = text(180, position)
    membership.intro_research = text(180, position + 1)
    membership.intro_honors = text(120, position + 2)
    membership.save()


def fill_application(application, plan_characters):
    share = plan_characters // 6
    for n, key in enumerate(("significance", "foundation", "positioning", "organization", "mechanism", "funding")):
        setattr(application, f"plan_{key}", text(share, n))
    application.research_directions = "1. 高压直流断路器与柔性输电装备；\n2. 智能配电终端与边缘计算；\n3. 电力电子变压器与储能变流器。"
    application.governance = text(200, 5)
    application.charter_text = "\n".join(f"第{n}条　{SENTENCES[n % len(SENTENCES)]}。" for n in range(1, 16))
    for n, (name, _) in enumerate(CHARTER_SECTIONS):
        setattr(application, name, text(160, n))
    application.secretariat_head, application.secretariat_unit = "刘晓明", "江苏金港智能电气股份有限公司"
    application.chief_expert_unit, application.chief_expert_field = "江苏大学", "电力电子与智能电网"
    application.chief_expert_education = application.chief_expert_achievements = application.chief_expert_industry_roles = text(120, 2)
    application.chief_expert_phone, application.chief_expert_email = "0511-88780000", "sun@example.edu.cn"
    application.staff_total, application.staff_professional = 4860, 1320
    application.ip_total, application.ip_invention_patents = 652, 187
    application.save()
