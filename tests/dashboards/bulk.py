"""Many consortia at once for the list, export and statistics tests: bulk_create, a handful of queries
whatever the number (a service call per row would take seconds per hundred)."""

import itertools
from decimal import Decimal

from django.utils import timezone

from accounts.models import Bureau
from applications.choices import MemberRole, RegistrationStatus, Status, UnitKind
from applications.models import Application, ApplicationVersion, Consortium, IndustryField, Membership, Unit
from tests import factories

_serial = itertools.count(1)


def units(count, *, kind=UnitKind.ENTERPRISE, district="京口区", registered=True):
    bureau = Bureau.objects.get(district=district) if district else None
    made = []
    for _ in range(count):
        n = next(_serial)
        code = factories.credit_code("121000" if kind in (UnitKind.UNIVERSITY, UnitKind.INSTITUTE) else "913211")
        made.append(Unit(name=f"批量单位{n}", credit_code=code, kind=kind, bureau=bureau,
                         registration_status=RegistrationStatus.APPROVED if registered else RegistrationStatus.UNREGISTERED))
    return Unit.objects.bulk_create(made)


def consortia(count, *, status=Status.FILED, district="京口区", field=None, members=(), name="批量创新联合体"):
    """``count`` consortia led by new units of ``district``; ``members``: units each one lists besides its lead.

    Filed (and revoked, dissolved) ones get a record number and a filing date (15 January of this year, so that this
    year's report is owed whatever day the tests run); all but drafts a submitted version.
    """
    field = field or IndustryField.objects.order_by("sort_order").first()
    leads = units(count, district=district)
    filed_on = timezone.localdate().replace(month=1, day=15)
    numbered = status in (Status.FILED, Status.REVOKED, Status.DISSOLVED)
    made = Consortium.objects.bulk_create([
        Consortium(name=f"{name}{next(_serial)}", industry_field=field, lead_unit=lead, status=status,
                   record_number=f"镇创联备〔{filed_on.year}〕T{next(_serial):06d}号" if numbered else None, filed_on=filed_on if numbered else None)
        for lead in leads
    ])
    rows = []
    for consortium in made:
        lead = consortium.lead_unit
        rows.append(Membership(consortium=consortium, unit=lead, unit_name=lead.name, unit_kind=lead.kind, role=MemberRole.LEAD,
                               position=1, sales_revenue=Decimal("1234.50"), rd_spend=Decimal("100.25")))
        rows += [Membership(consortium=consortium, unit=unit, unit_name=unit.name, unit_kind=unit.kind, role=MemberRole.MEMBER,
                            position=position) for position, unit in enumerate(members, start=2)]
    Membership.objects.bulk_create(rows)
    applications = Application.objects.bulk_create([Application(consortium=c) for c in made])
    if status != Status.DRAFT:
        ApplicationVersion.objects.bulk_create([
            ApplicationVersion(application=a, number=1, content={}, sha256="0" * 64) for a in applications
        ])
    return made


def support(consortia):
    """Two records of support for each consortium: a 创新券 of this year and a district's 资助 of last year."""
    from evaluations.models import SupportRecord  # the after-filing records: only the tests that count them need them

    year = timezone.localdate().year
    SupportRecord.objects.bulk_create([
        record for consortium in consortia for record in (
            SupportRecord(consortium=consortium, kind="innovation_voucher", level="municipal", amount=Decimal("10.00"), year=year,
                          granting_body="镇江市科学技术局"),
            SupportRecord(consortium=consortium, kind="district_funding", level="district", amount=Decimal("25.50"), year=year - 1,
                          granting_body="京口区科学技术局"),
        )
    ])
    return consortia
