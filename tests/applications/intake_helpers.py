"""Build a complete, valid 申请书 through the same services the editor uses, and POST bodies for its pages."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from applications import services
from tests import factories



def png_bytes():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 56), "white").save(buffer, "PNG")
    return buffer.getvalue()


PNG = png_bytes()


def pdf_bytes():
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name="证书.png", content=PNG, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def member_post(rows, lock_version, lead=None):
    data = {"lock_version": str(lock_version), **management("members", len(rows))}
    lead = lead or {"task_division": "总体设计", "duties": "组织协调", "sales_revenue": "1000.00", "rd_spend": "100.00"}
    data.update({f"lead-{k}": v for k, v in lead.items()})
    for i, row in enumerate(rows):
        data.update({f"members-{i}-{k}": v for k, v in row.items()})
    return data


def member_row(name, code, kind="enterprise", **fields):
    row = {"unit_name": name, "credit_code": code, "unit_kind": kind, "task_division": "联合攻关",
           "duties": "承担子课题", "sales_revenue": "500.00" if kind == "enterprise" else "",
           "rd_spend": "50.00" if kind == "enterprise" else ""}
    row.update(fields)
    return row


def complete_application(applicant=None, *, with_university=True, members=3):
    """A draft that passes every readiness check (or lacks only the 高校 when asked)."""
    applicant = applicant or factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="镇江测试创新联合体", industry_field=factories.industry_field())
    application = consortium.application
    save = lambda part, writer: services.save_part(application.pk, part, applicant, None, writer)  # noqa: E731
    save("basic", services.basic_writer({
        "name": consortium.name, "industry_field": consortium.industry_field, "chief_scientist": "孙立新",
        "chief_scientist_title": "教授", "mailing_address": "镇江市京口区学府路 1 号", "legal_representative": "张三",
        "lead_types": ["high_tech"], "contact_person": "李明", "contact_phone": "0511-85000000",
        "research_directions": "关键技术攻关", "governance": "理事会决策", "staff_total": 100,
        "staff_professional": 30, "ip_total": 10, "ip_invention_patents": 2,
    }))
    units = []
    if with_university:
        units.append(factories.research_unit(name="江苏大学测试"))
    while len(units) < members:
        units.append(factories.unit(registration_status="unregistered"))
    rows = [{"unit_name": u.name, "credit_code": u.credit_code, "unit_kind": u.kind, "task_division": "攻关",
             "duties": "研发", "sales_revenue": None if u.kind == "university" else Decimal("10.00"),
             "rd_spend": None if u.kind == "university" else Decimal("1.00")} for u in units]
    save("members", services.members_writer({"task_division": "牵头", "duties": "组织", "sales_revenue": Decimal("100.00"),
                                             "rd_spend": Decimal("10.00")}, rows))
    save("plan", services.plan_writer({f: "内容" for f in ["plan_significance", "plan_foundation", "plan_positioning",
                                                          "plan_organization", "plan_mechanism", "plan_funding"]},
                                      [{"year": 2027, "tasks": "攻关", "research_plan": "", "team_building": "",
                                        "rd_investment": Decimal("100.00")}]))
    memberships = consortium.memberships.all()
    save("intros", services.intros_writer({m.pk: {"intro_overview": "一", "intro_research": "二", "intro_honors": "三"}
                                           for m in memberships}))
    save("charter", services.charter_writer("章程全文"))
    for m in memberships.select_related("unit"):
        if m.unit.kind == "enterprise":
            services.add_attachment(application.pk, applicant, unit=m.unit, kind="license", title="营业执照", uploaded=upload())
    lead = consortium.lead_unit
    for kind in ("qualification", "patent", "agreement"):
        services.add_attachment(application.pk, applicant, unit=lead, kind=kind, title=kind, uploaded=upload())
    application.refresh_from_db()
    return applicant, application
