"""The 申请书 snapshot turned into what the printed page shows: labels, 万元 with two decimals, empty cells.

Input is the plain dict of applications.snapshot (a frozen version's content or the live draft);
nothing here touches the database.
"""

import base64
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import qrcode
import qrcode.image.svg

from operations import clock

from .. import rules
from ..choices import (
    CHARTER_SECTIONS,
    RESEARCH_KINDS,
    SEAT_LABELS,
    Body,
    MemberRole,
    PlatformLevel,
    ProjectLevel,
    Qualification,
    SignatoryCapacity,
    UnitKind,
)
from ..snapshot import NOT_ASKED, predates_organisation

ENTERPRISE_OUTLINE = ("企业总体情况", "企业技术创新情况", "企业科技成果、荣誉情况")
RESEARCH_OUTLINE = ("团队人数、学历等总体情况", "团队主要成员简历、研发方向", "团队及主要成员获得的奖项、荣誉")
INTRO_FIELDS = ("intro_overview", "intro_research", "intro_honors")


def blank(value):
    """What an empty value prints as: nothing, never "None"."""
    return "" if value is None else str(value)


def money(value):
    """万元 with two decimals ("12800.00"); empty stays empty."""
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(str(value)):.2f}"
    except InvalidOperation:
        return blank(value)


def paragraphs(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def month(value):
    """A date as the forms write it: 2024年5月."""
    day = _date(value)
    return f"{day.year}年{day.month}月" if day else ""


def period(starts, ends):
    start, end = month(starts), month(ends)
    return f"{start}—{end}" if start or end else ""


def label(choices, value):
    return dict(choices.choices).get(value, blank(value))


def qr_data_uri(text):
    """A QR code as an SVG data URI: vector, so it prints sharp, and no file to fetch."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


@dataclass
class UnitIntro:
    number: int
    name: str
    kind_label: str
    is_lead: bool
    sections: list = field(default_factory=list)  # (一/二/三, outline heading, [paragraphs])


def member_rows(members):
    rows = []
    for number, member in enumerate(members, start=1):
        unit = member["unit"]
        enterprise = unit.get("kind") == UnitKind.ENTERPRISE
        rows.append({
            "number": number,
            "name": blank(unit.get("name")),
            "is_lead": member.get("role") == MemberRole.LEAD,
            "credit_code": blank(unit.get("credit_code")),
            "task_division": blank(member.get("task_division")),
            "duties": blank(member.get("duties")),
            "sales_revenue": money(member.get("sales_revenue")) if enterprise else "",
            "rd_spend": money(member.get("rd_spend")) if enterprise else "",
        })
    return rows


def unit_intros(members):
    intros = []
    for number, member in enumerate(members, start=1):
        unit = member["unit"]
        outline = RESEARCH_OUTLINE if unit.get("kind") in RESEARCH_KINDS else ENTERPRISE_OUTLINE
        intros.append(UnitIntro(
            number=number,
            name=blank(unit.get("name")),
            kind_label=label(UnitKind, unit.get("kind")),
            is_lead=member.get("role") == MemberRole.LEAD,
            sections=[(ordinal, heading, paragraphs(member.get(key)))
                      for ordinal, heading, key in zip("一二三", outline, INTRO_FIELDS)],
        ))
    return intros


def platform_rows(platforms):
    return [
        {
            "number": number, "name": blank(p.get("name")), "industry": blank(p.get("industry")),
            "level": label(PlatformLevel, p.get("level")), "host_unit": blank(p.get("host_unit")),
            "built_on": month(p.get("built_on")),
        }
        for number, p in enumerate(platforms, start=1)
    ]


def project_rows(projects):
    return [
        {
            "number": number, "name": blank(p.get("name")), "industry": blank(p.get("industry")),
            "level": label(ProjectLevel, p.get("level")), "period": period(p.get("starts_on"), p.get("ends_on")),
            "undertaker": blank(p.get("undertaker")),
        }
        for number, p in enumerate(projects, start=1)
    ]


def target_rows(targets):
    return [
        {
            "year": f"{t['year']}年" if t.get("year") else "",
            "tasks": paragraphs(t.get("tasks")), "research_plan": paragraphs(t.get("research_plan")),
            "team_building": paragraphs(t.get("team_building")), "rd_investment": money(t.get("rd_investment")),
        }
        for t in targets
    ]


def lead_type_boxes(selected):
    chosen = set(selected or [])
    return [(text, value in chosen) for value, text in Qualification.choices]


def count(value):
    return "" if value is None else str(value)


def day(value):
    """A date as printed: 2026年5月1日."""
    found = _date(value)
    return f"{found.year}年{found.month}月{found.day}日" if found else ""


def dual_responsibility(content):
    """双重负责制 (§四（三）): the lead's 法定代表人 (as declared) and the 首席科学家."""
    legal = blank(content["application"].get("legal_representative")) or "（未填写）"
    chief = blank(content["consortium"].get("chief_scientist")) or "（未填写）"
    return f"牵头单位法定代表人 {legal}；首席科学家 {chief}"


def signatory_rows(content, attachment_numbers):
    """The 组建协议's signatures, one row per unit of the member table (a unit that has not signed shows empty)."""
    signed = {row["unit_credit_code"]: row for row in content.get("signatories", [])}
    capacities = dict(SignatoryCapacity.choices)
    rows = []
    for number, member in enumerate(content["members"], start=1):
        row = signed.get(member["unit"]["credit_code"], {})
        authorised = row.get("capacity") == SignatoryCapacity.AUTHORISED
        attachment = attachment_numbers.get(row.get("authorization_id"))
        rows.append({
            "number": number, "unit_name": blank(member["unit"].get("name")),
            "capacity": capacities.get(row.get("capacity"), ""), "person_name": blank(row.get("person_name")),
            "signed_on": day(row.get("signed_on")),
            "authorization": (f"见附件{attachment}" if attachment else "已上传" if row.get("authorization_id") else "未上传") if authorised else "—",
        })
    return rows


def body_rows(content):
    """The organs (§四（三）) as printed: [(organ, [(role, name, unit, title)])], the 秘书处 last."""
    grouped = []
    for body in Body:
        seats = [seat for seat in content.get("bodies", []) if seat.get("body") == body]
        grouped.append((body.label, [(SEAT_LABELS[body].get(seat.get("role"), ""), blank(seat.get("name")), blank(seat.get("unit_name")),
                                      blank(seat.get("title"))) for seat in seats]))
    application = content["application"]
    head, host = blank(application.get("secretariat_head")), blank(application.get("secretariat_unit"))
    grouped.append(("秘书处", [("秘书长", head, f"依托单位：{host}" if host else "", "")] if head or host else []))
    return grouped


def chief_expert(content):
    application, consortium = content["application"], content["consortium"]
    return {
        "name": blank(consortium.get("chief_scientist")), "title": blank(consortium.get("chief_scientist_title")),
        "unit": blank(application.get("chief_expert_unit")), "field": blank(application.get("chief_expert_field")),
        "education": paragraphs(application.get("chief_expert_education")),
        "achievements": paragraphs(application.get("chief_expert_achievements")),
        "industry_roles": paragraphs(application.get("chief_expert_industry_roles")),
        "phone": blank(application.get("chief_expert_phone")), "email": blank(application.get("chief_expert_email")),
    }


def organisation(content, attachment_numbers=None):
    """The 组建协议 in its sections with who signed it, the organs and the 首席专家, as shown and printed.

    A version frozen before these were asked has none of them: ``asked`` is False, each section's paragraphs
    and each table are None, and the pages say NOT_ASKED in their place; its one charter text is kept as the
    other terms. ``attachment_numbers``: {attachment id: its number in the dossier}, to point at a 授权书.
    """
    application = content["application"]
    asked = not predates_organisation(content)
    return {
        "asked": asked,
        "not_asked": NOT_ASKED,
        "sections": [(ordinal, heading, paragraphs(application.get(name)) if asked else None)
                     for ordinal, (name, heading) in zip("一二三四五六七八", CHARTER_SECTIONS)],
        "other": paragraphs(application.get("charter_text")),
        "signatories": signatory_rows(content, attachment_numbers or {}) if asked else None,
        "bodies": body_rows(content) if asked else None,
        "chief_expert": chief_expert(content) if asked else None,
        "dual_responsibility": dual_responsibility(content),
    }


def book_context(content, *, dated, code, verify_url, attachments, is_draft):
    """Everything the dossier templates read, from one snapshot."""
    consortium, application = content["consortium"], content["application"]
    members = content.get("members", [])
    lead = next((m for m in members if m.get("role") == MemberRole.LEAD), None)
    intros = unit_intros(members)
    return {
        "is_draft": is_draft,
        "code": code,
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url) if code else "",
        "dated": dated,
        "year_made": (dated or clock.today()).year,
        "consortium": {key: blank(value) for key, value in consortium.items()},
        "application": {key: blank(value) for key, value in application.items() if not isinstance(value, list)},
        "lead_name": blank(lead["unit"]["name"]) if lead else blank(consortium.get("lead_unit")),
        "lead_types": lead_type_boxes(application.get("lead_types")),
        "research_directions": paragraphs(application.get("research_directions")),
        "governance": paragraphs(application.get("governance")),
        "counts": {key: count(application.get(key)) for key in ("staff_total", "staff_professional", "ip_total", "ip_invention_patents")},
        "members": member_rows(members),
        "platforms": platform_rows(content.get("platforms", [])),
        "projects": project_rows(content.get("projects", [])),
        "targets": target_rows(content.get("targets", [])),
        "plan": {key: paragraphs(application.get(f"plan_{key}")) for key in
                 ("significance", "foundation", "positioning", "organization", "mechanism", "funding")},
        "lead_intros": [intro for intro in intros if intro.is_lead],
        "member_intros": [intro for intro in intros if not intro.is_lead],
        "org": organisation(content, {a.entry_id: a.number for a in attachments}),
        # 情况说明 for a 原则上 shortfall, printed after the 基础信息表 (only while the shortfall is real).
        "shortfalls": rules.member_shortfalls([(m["unit"].get("kind"), m.get("role") == MemberRole.LEAD) for m in members]),
        "statement": paragraphs(application.get("shortfall_statement")),
        "attachments": attachments,
        "agreement_numbers": [a.number for a in attachments if a.kind == "agreement"],
    }
