"""Test data for the dossier (built with tests.factories) and readers for the rendered PDF."""

import hashlib
import io
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader, PdfWriter

from accounts.roles import Role
from applications import services, workflow
from applications.choices import AttachmentKind
from applications.dossier import render, source
from applications.models import AnnualTarget, Attachment, Membership, Platform, Project
from tests import factories
from tests.lifecycle import charter_data, organization_data

A4 = (595.28, 841.89)
MM = 72 / 25.4  # points in a millimetre
PART_TITLES = [
    "封面", "填报说明", "目录", "（一）基础信息表", "（二）创新联合体建设方案", "（三）单位简介",
    "（四）创新联合体章程（组建协议）", "（五）附件材料",
]


def text_pdf(*page_texts):
    """A small PDF whose pages carry the given ASCII texts (Helvetica), written by hand."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in page_texts:
        stream = f"BT /F1 24 Tf 72 700 Td ({text}) Tj ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {len(objects)} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>"
        )
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def encrypted_pdf():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf("SECRET"))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png(width=400, height=300):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def attach(consortium, unit, kind, data, *, title="", name="scan.pdf", content_type="application/pdf"):
    attachment = Attachment(
        consortium=consortium, unit=unit, kind=kind, title=title, original_name=name,
        content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
    )
    attachment.file.save(name, ContentFile(data), save=False)
    attachment.save()
    return attachment


def application(*, applicant=None, members=3, with_attachments=True):
    """A filled-in draft: the lead, a university and enterprises, one row of each table, two attachments."""
    applicant = applicant or factories.user(Role.APPLICANT)
    consortium = factories.consortium(lead=applicant.unit, chief_scientist="孙立新", chief_scientist_title="教授")
    university = factories.research_unit(name="江苏大学测试")
    factories.member(consortium, university, task_division="基础研究", duties="理论与仿真",
                     intro_overview="江苏大学团队共有教授十二人。", intro_research="团队主要成员简历。", intro_honors="获省科学技术奖。")
    for _ in range(members - 2):
        factories.member(consortium, task_division="中试验证", duties="样机试制", sales_revenue=Decimal("12800.5"),
                         rd_spend=Decimal("960"))
    lead = consortium.memberships.get(unit=applicant.unit)
    lead.task_division, lead.duties, lead.sales_revenue, lead.rd_spend = "总体设计", "组织协调", Decimal("52000"), Decimal("3100.25")
    lead.intro_overview = "牵头单位位于镇江市京口区，是高新技术企业。"
    lead.save()
    app = consortium.application
    app.contact_person, app.contact_phone = "刘经理", "0511-85001234"
    app.mailing_address, app.legal_representative = "镇江市京口区学府路 1 号", "张三"
    app.lead_types = ["high_tech", "specialized"]
    app.research_directions = "高压直流断路器。"
    app.governance = "理事会决策，专家委员会咨询。"
    app.staff_total, app.staff_professional, app.ip_total, app.ip_invention_patents = 4860, 1320, 652, 187
    app.plan_significance = "建设意义第一段。\n建设意义第二段。"
    app.plan_foundation = "建设基础。"
    app.charter_text = "第一条　本联合体名称。\n第二条　组建原则。"
    app.save()
    Platform.objects.create(application=app, position=1, name="省级工程技术研究中心", level="provincial", host_unit=applicant.unit.name)
    Project.objects.create(application=app, position=1, name="国家重点研发计划课题", level="national", undertaker=applicant.unit.name)
    AnnualTarget.objects.create(application=app, position=1, year=2026, tasks="建成中试平台。", rd_investment=Decimal("1500"))
    if with_attachments:
        attach(consortium, applicant.unit, AttachmentKind.LICENSE, text_pdf("ATTACHMENT-1 PAGE-1", "ATTACHMENT-1 PAGE-2"),
               title="营业执照")
        attach(consortium, university, AttachmentKind.PATENT, png(), title="发明专利证书", name="patent.png",
               content_type="image/png")
    app.refresh_from_db()
    return app


def complete_for_submission(app, applicant):
    """What 形式审查 asks beyond the small 申请书 these tests print, filled in the way the editor would: the
    情况说明 for fewer than four members, the plan, the organisation, the 组建协议, the scans still missing."""
    consortium = app.consortium
    memberships = consortium.memberships.current().select_related("unit")
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(
        intro_overview="单位总体情况。", intro_research="研发团队与方向。", intro_honors="荣誉与成果。")
    app.shortfall_statement = app.shortfall_statement or "本联合体现有成员单位少于 4 家，正与两家企业洽谈加入。"
    for name in ("plan_positioning", "plan_organization", "plan_mechanism", "plan_funding"):
        setattr(app, name, getattr(app, name) or "内容。")
    app.save()
    app.projects.filter(starts_on__isnull=True).update(starts_on=timezone.localdate().replace(month=1, day=1))
    services.save_part(app.pk, "organization", applicant, None, organization_data())
    services.save_part(app.pk, "charter", applicant, None, charter_data(memberships))
    for membership in memberships:
        kinds = [AttachmentKind.LICENSE] if membership.unit_kind == "enterprise" else []
        if membership.unit == applicant.unit:
            kinds += [AttachmentKind.QUALIFICATION, AttachmentKind.PATENT, AttachmentKind.FORMATION_AGREEMENT]
        for kind in kinds:
            if not app.consortium.attachments.filter(unit=membership.unit, kind=kind).exists():
                attach(consortium, membership.unit, kind, text_pdf(f"{kind}"), title=kind.label)
    app.refresh_from_db()
    return app


def submit(app, applicant):
    """Submission through the workflow, which runs 形式审查 and freezes the version."""
    complete_for_submission(app, applicant)
    workflow.transition(app.consortium_id, "submit", applicant)
    return app.versions.order_by("-number").first()


def rendered(app, *, copies=1, viewer=None):
    return render.render_source(source.resolve(app, viewer), copies=copies, site_url="https://kjj.example.gov.cn")


def page_texts(pdf, mode="-layout"):
    """The text of each page, as `pdftotext` reads it (-layout: as printed; -raw: in drawing order)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(["pdftotext", mode, handle.name, "-"], capture_output=True, check=True).stdout.decode()
    return text.split("\f")[:-1]


@dataclass
class Word:
    """A word as `pdftotext -bbox` boxes it, in millimetres from the page's top left corner."""

    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def size(self):
        """The font size in points: pdftotext's box is the em box."""
        return (self.bottom - self.top) * MM

    @property
    def middle(self):
        return (self.top + self.bottom) / 2


def word_boxes(pdf):
    """[[Word]] per page, as `pdftotext -bbox` reads them."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        xhtml = subprocess.run(["pdftotext", "-bbox", handle.name, "-"], capture_output=True, check=True).stdout
    namespace = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in ElementTree.fromstring(xhtml).iter(f"{namespace}page"):
        pages.append([Word(w.text, *(float(w.get(k)) / MM for k in ("xMin", "yMin", "xMax", "yMax")))
                      for w in page.iter(f"{namespace}word")])
    return pages


def outline(pdf):
    """[(depth, title, page index)] of the PDF bookmarks, depth-first."""
    reader = PdfReader(io.BytesIO(pdf))
    items = []

    def walk(nodes, depth):
        for node in nodes:
            if isinstance(node, list):
                walk(node, depth + 1)
            else:
                items.append((depth, node.title, reader.get_destination_page_number(node)))

    walk(reader.outline, 0)
    return items


def text_runs(page):
    """[(text, x, y, size)] of a pypdf page, in PDF points, the size as printed."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            a, b, _, _, e, f = (float(v) for v in tm)
            ca, cb, cc, cd, ce, cf = (float(v) for v in cm)
            scale = ((a * ca + b * cc) ** 2 + (a * cb + b * cd) ** 2) ** 0.5
            runs.append((text.strip(), e * ca + f * cc + ce, e * cb + f * cd + cf, size * scale))

    page.extract_text(visitor_text=visit)
    return runs


def pages(pdf):
    return PdfReader(io.BytesIO(pdf)).pages
