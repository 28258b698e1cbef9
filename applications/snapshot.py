"""The 申请书 as one plain dict: what a submission freezes, what versions compare, what the dossier prints.

Values are JSON-safe: money as "12800.00" strings, dates as ISO strings, choices as their
stored values (labels come from applications.choices when shown).
"""


from datetime import date

from django.db.models import OuterRef, Prefetch

from operations import clock
from operations.prepared import Prepared, attach, has_rows

from .choices import CHARTER_SECTIONS
from .models import AnnualTarget, Application, ApplicationVersion, Attachment, BodySeat, DraftInput, Membership, Platform, Project, Signatory

APPLICATION_FIELDS = [
    "contact_person", "contact_phone", "mailing_address", "legal_representative", "lead_types",
    "research_directions", "governance", "staff_total", "staff_professional", "ip_total",
    "ip_invention_patents", "plan_significance", "plan_foundation", "plan_positioning",
    "plan_organization", "plan_mechanism", "plan_funding", "charter_text", "shortfall_statement",
]
# Asked since the consortium's organisation (§四（二）（三）) was: a version frozen earlier has none of these keys,
# nor "signatories" and "bodies" (see predates_organisation).
CHIEF_EXPERT_FIELDS = [
    "chief_expert_unit", "chief_expert_field", "chief_expert_education", "chief_expert_achievements",
    "chief_expert_industry_roles", "chief_expert_phone", "chief_expert_email",
]
ORGANISATION_FIELDS = [name for name, _ in CHARTER_SECTIONS] + ["secretariat_head", "secretariat_unit"] + CHIEF_EXPERT_FIELDS
APPLICATION_FIELDS += ORGANISATION_FIELDS
# Of the registry row: what only a registered unit itself can say. Name and kind are the lead's declaration.
UNIT_FIELDS = ["credit_code", "legal_representative", "address", "qualifications"]
MEMBER_FIELDS = ["role", "task_division", "duties", "intro_overview", "intro_research", "intro_honors",
                 "qualifications", "patent_count", "invention_patent_count"]
SIGNATORY_FIELDS = ["capacity", "person_name", "signed_on"]
SEAT_FIELDS = ["body", "role", "name", "unit_name", "title"]
PLATFORM_FIELDS = ["name", "industry", "level", "host_unit", "built_on"]
PROJECT_FIELDS = ["name", "industry", "level", "starts_on", "ends_on", "undertaker"]
TARGET_FIELDS = ["year", "tasks", "research_plan", "team_building", "rd_investment"]
ATTACHMENT_FIELDS = ["kind", "title", "original_name", "content_type", "size", "sha256"]


def _plain(value):
    if value is None or isinstance(value, (str, int, bool, list)):
        return value
    return str(value)  # Decimal → "12.50", date → "2024-05-01"


def _row(obj, fields):
    return {field: _plain(getattr(obj, field)) for field in fields}


def _members():
    """The consortium's members today, as build() and the editor's member rows read them (consortium.current_members):
    made for each read, since a worker lives past midnight."""
    return Prefetch("consortium__memberships", Membership.objects.current(clock.today()).select_related("unit__bureau"),
                    to_attr="current_members")


def _everything():
    return (
        _members(),
        Prefetch("consortium__attachments", Attachment.objects.select_related("unit")),
        Prefetch("signatories", Signatory.objects.select_related("authorization")),
        "platforms", "projects", "targets", "body_seats",
    )


def queryset(*, whole=True):
    """Applications with their consortium, and (``whole``) everything build() reads, in a fixed number of queries.
    Without it, read_whole() reads the rest when (and if) the application is drawn."""
    applications = Application.objects.select_related("consortium__industry_field", "consortium__lead_unit__bureau")
    return applications.prefetch_related(*_everything()) if whole else applications


# What read_whole() reads of one application, each a prepared query (operations.prepared: compiled once per process),
# in the order its relation gives them, as queryset() prefetches them for many.
@Prepared
def _members_on(consortium, day: date):
    return Membership.objects.filter(consortium_id=consortium).current(day).select_related("unit__bureau")


_ATTACHMENTS = Prepared(lambda consortium: Attachment.objects.filter(consortium_id=consortium).select_related("unit"))
_APPLICATION_ROWS = {
    "signatories": Prepared(lambda application: Signatory.objects.filter(application_id=application).select_related("authorization")),
    "platforms": Prepared(lambda application: Platform.objects.filter(application_id=application)),
    "projects": Prepared(lambda application: Project.objects.filter(application_id=application)),
    "targets": Prepared(lambda application: AnnualTarget.objects.filter(application_id=application)),
    "body_seats": Prepared(lambda application: BodySeat.objects.filter(application_id=application)),
}


# Whether the application has rows of each table read_whole() reads, and of the versions and kept drafts an editor page
# shows (operations.prepared.marks: an EXISTS each, in the query that reads the application, for a page that writes
# nothing first): a table with no row is not asked. A 申请书 begun a moment ago has none yet; a whole one has them all.
SECTIONS = {
    "attachments": lambda: Attachment.objects.filter(consortium=OuterRef("consortium")),
    "signatories": lambda: Signatory.objects.filter(application=OuterRef("pk")),
    "platforms": lambda: Platform.objects.filter(application=OuterRef("pk")),
    "projects": lambda: Project.objects.filter(application=OuterRef("pk")),
    "targets": lambda: AnnualTarget.objects.filter(application=OuterRef("pk")),
    "body_seats": lambda: BodySeat.objects.filter(application=OuterRef("pk")),
    "versions": lambda: ApplicationVersion.objects.filter(application=OuterRef("pk")),
    "draft_inputs": lambda: DraftInput.objects.filter(application=OuterRef("pk")),
}


def current_members(application):
    """The consortium's current members (read now unless the application was read whole)."""
    consortium = application.consortium
    if not hasattr(consortium, "current_members"):
        consortium.current_members = _members_on(consortium.pk, clock.today())
        for membership in consortium.current_members:
            Membership.consortium.field.set_cached_value(membership, consortium)
    return consortium.current_members


def read_whole(application):
    """``application`` ready for build(): what queryset(whole=False) left out, one query each (none for a table the
    application was read without: SECTIONS); nothing when read whole."""
    current_members(application)
    consortium = application.consortium
    if "attachments" not in getattr(consortium, "_prefetched_objects_cache", {}):
        attach(consortium, "attachments", _ATTACHMENTS(consortium.pk) if has_rows(application, "attachments") else [])
    for related_name, prepared in _APPLICATION_ROWS.items():
        if related_name not in getattr(application, "_prefetched_objects_cache", {}):
            attach(application, related_name, prepared(application.pk) if has_rows(application, related_name) else [])
    return application


def load(application_id):
    return queryset().get(pk=application_id)


def build(application):
    consortium = application.consortium
    members = consortium.current_members
    declared = {m.unit_id: m.unit_name for m in members}
    return {
        "consortium": {
            "id": consortium.pk,
            "name": consortium.name,
            "industry_field": consortium.industry_field.name,
            "chief_scientist": consortium.chief_scientist,
            "chief_scientist_title": consortium.chief_scientist_title,
            "lead_unit": consortium.lead_unit.name,
            "lead_district": consortium.lead_unit.bureau.district if consortium.lead_unit.bureau else "",
        },
        "application": _row(application, APPLICATION_FIELDS),
        "members": [
            {
                **_row(m, MEMBER_FIELDS),
                "unit": {
                    "name": m.unit_name, "kind": m.unit_kind, **_row(m.unit, UNIT_FIELDS),
                    "district": m.unit.bureau.district if m.unit.bureau else "",
                },
                "sales_revenue": _plain(m.sales_revenue),
                "rd_spend": _plain(m.rd_spend),
            }
            for m in members
        ],
        "platforms": [_row(p, PLATFORM_FIELDS) for p in application.platforms.all()],
        "projects": [_row(p, PROJECT_FIELDS) for p in application.projects.all()],
        "targets": [_row(t, TARGET_FIELDS) for t in application.targets.all()],
        "signatories": _signatories(application, members),
        "bodies": [_row(seat, SEAT_FIELDS) for seat in application.body_seats.all()],
        "attachments": [
            {
                "id": a.pk,
                **_row(a, ATTACHMENT_FIELDS),
                "unit_name": declared.get(a.unit_id, a.unit.name) if a.unit else "",
                "unit_credit_code": a.unit.credit_code if a.unit else "",
            }
            for a in consortium.attachments.all()
        ],
    }


def _signatories(application, members):
    """The 组建协议's signatures of the current units, in the member table's order (a unit not signed yet has no row)."""
    signed = {s.unit_id: s for s in application.signatories.all()}
    rows = []
    for m in members:
        s = signed.get(m.unit_id)
        if s is None:
            continue
        rows.append({
            "unit_credit_code": m.unit.credit_code, "unit_name": m.unit_name, **_row(s, SIGNATORY_FIELDS),
            "authorization_id": s.authorization_id,
            "authorization_sha256": s.authorization.sha256 if s.authorization else "",
        })
    return rows


NOT_ASKED = "（本版本未填报）"  # shown where a version frozen before a part was asked has nothing to show


def predates_organisation(content):
    """A version frozen before the 组建协议's sections, its signatories and the organs were asked."""
    return "signatories" not in content


def with_attachment_links(content, url_for):
    """A copy of a snapshot whose attachments carry the URL a page may link them with."""
    return {**content, "attachments": [{**a, "url": url_for(a["id"])} for a in content["attachments"]]}
