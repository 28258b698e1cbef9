"""Test data built in code: each helper makes one valid object, overrides by keyword."""

import itertools
from decimal import Decimal

from accounts import reference as accounts_reference
from accounts.models import Bureau, User
from accounts.reference import MUNICIPAL_BUREAU
from accounts.roles import Role
from applications import reference as applications_reference
from applications.choices import MemberRole, RegistrationStatus, UnitKind
from applications.models import Application, Consortium, IndustryField, Membership, Registration, Unit
from applications.validators import credit_code_check_char
from evaluations import reference as evaluations_reference
from evaluations.models import EvaluationCriterion
from reviews import reference as reviews_reference
from reviews.models import Criterion

PASSWORD = "Test@pass2026"
_serial = itertools.count(1)


def credit_code(prefix="913211"):
    first17 = f"{prefix}MA{next(_serial):09d}"[:17]
    return first17 + credit_code_check_char(first17)


def longest_name(n, suffix="有限公司"):
    """A name at the forms' maximum, 128 characters, ending in ``suffix``; ``n`` tells them apart."""
    return (f"江苏镇江第{n}号" + "高端装备智能制造与新一代信息技术新材料产业协同创新研究" * 5)[:128 - len(suffix)] + suffix


def reference_data():
    """The bureaus, industry fields and criteria that migrations install, installed again when a transactional test
    emptied every table (tests/conftest.py, _reference_data)."""
    if not Bureau.objects.exists():
        accounts_reference.install(Bureau)
        applications_reference.install(IndustryField)
        reviews_reference.install(Criterion)
        reviews_reference.mark_evidence(Criterion)  # as the migrations do (reviews.0004): experts see the 申请书 beside them
        evaluations_reference.install(EvaluationCriterion)


def district(name="京口区"):
    return Bureau.objects.get(district=name)


def municipal_bureau():
    return Bureau.objects.get(name=MUNICIPAL_BUREAU)


def unit(**fields):
    n = next(_serial)
    defaults = {
        "name": f"测试企业{n}有限公司", "credit_code": credit_code(), "kind": UnitKind.ENTERPRISE,
        "bureau": district(), "legal_representative": "张三", "address": "镇江市京口区学府路 1 号",
        "registration_status": RegistrationStatus.APPROVED,
    }
    defaults.update(fields)
    return Unit.objects.create(**defaults)


def registration(applicant=None, **fields):
    """A pending registration (单位注册) with its applicant account, as the register page makes it."""
    n = next(_serial)
    applicant = applicant or user(Role.APPLICANT, unit=None)
    defaults = {
        "applicant": applicant, "name": f"注册企业{n}有限公司", "credit_code": credit_code(), "bureau": district(),
        "legal_representative": "李四", "address": "镇江市京口区学府路 2 号", "status": RegistrationStatus.PENDING,
    }
    defaults.update(fields)
    return Registration.objects.create(**defaults)


def research_unit(**fields):
    fields.setdefault("kind", UnitKind.UNIVERSITY)
    fields.setdefault("registration_status", RegistrationStatus.UNREGISTERED)
    fields.setdefault("name", f"测试大学{next(_serial)}")
    fields.setdefault("credit_code", credit_code("121000"))  # 12…: a 事业单位, as universities are
    return unit(**fields)


def user(role=Role.APPLICANT, **fields):
    n = next(_serial)
    defaults = {"username": f"user{n}", "full_name": f"测试用户{n}", "role": role, "email": f"user{n}@example.com"}
    if role == Role.APPLICANT and "unit" not in fields:  # unit=None: an account whose registration is not approved
        defaults["unit"] = unit()
    if role == Role.DISTRICT_REVIEWER and "bureau" not in fields:
        defaults["bureau"] = district()
    if role == Role.MUNICIPAL_STAFF and "bureau" not in fields:
        defaults["bureau"] = municipal_bureau()
    defaults.update(fields)
    account = User(**defaults)
    account.set_password(PASSWORD)
    account.save()
    return account


def industry_field():
    return IndustryField.objects.order_by("sort_order").first()


def consortium(lead=None, **fields):
    lead = lead or unit()
    defaults = {"name": f"测试创新联合体{next(_serial)}", "industry_field": industry_field(), "lead_unit": lead}
    defaults.update(fields)
    created = Consortium.objects.create(**defaults)
    Membership.objects.create(consortium=created, unit=lead, unit_name=lead.name, unit_kind=lead.kind, role=MemberRole.LEAD, position=1)
    Application.objects.create(consortium=created)
    return created


def member(consortium, member_unit=None, **fields):
    """A member as its lead declared it: by default with the registry's name and kind."""
    member_unit = member_unit or unit(registration_status=RegistrationStatus.UNREGISTERED)
    defaults = {"role": MemberRole.MEMBER, "position": consortium.memberships.count() + 1,
                "unit_name": member_unit.name, "unit_kind": member_unit.kind,
                "sales_revenue": Decimal("100.00") if member_unit.is_enterprise else None}
    defaults.update(fields)
    return Membership.objects.create(consortium=consortium, unit=member_unit, **defaults)
