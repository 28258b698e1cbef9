"""The shared model: units and the registry, consortia and their members, the 申请书 and its printed renders — one
module each (registry, consortium, application, renders).

Data and database constraints only; the use cases live in services.py, the seed's rules in rules.py, the lifecycle in
workflow.py.
"""

from .application import (
    AnnualTarget,
    Application,
    ApplicationVersion,
    Attachment,
    BodySeat,
    DraftInput,
    PartSave,
    Platform,
    Project,
    Signatory,
    SignatureBase,
    attachment_path,
)
from .consortium import MONEY, Consortium, ConsortiumQuerySet, Membership, MembershipQuerySet, StatusChange, users_who_see
from .registry import IndustryField, Registration, RegistrationQuerySet, Unit, UnitBan, UnitBanQuerySet, UnitQuerySet
from .renders import DocumentRender, DossierRender

__all__ = [
    "MONEY", "AnnualTarget", "Application", "ApplicationVersion", "Attachment", "BodySeat", "Consortium", "ConsortiumQuerySet",
    "DocumentRender", "DossierRender", "DraftInput", "IndustryField", "Membership", "MembershipQuerySet", "PartSave", "Platform",
    "Project", "Registration", "RegistrationQuerySet", "Signatory", "SignatureBase", "StatusChange", "Unit", "UnitBan",
    "UnitBanQuerySet", "UnitQuerySet", "attachment_path", "users_who_see",
]
