"""The verification code printed on every page: the first 16 hex digits of the frozen version's SHA-256.

64 bits are enough to find one version among all the city will ever store and too many to guess;
the code is grouped by four (9F3A-1C2B-77D0-E4A5) so that it can be read out and typed.
"""

import re
from dataclasses import dataclass

from ..models import ApplicationVersion

CODE_DIGITS = 16
_CODE = re.compile(rf"^[0-9a-f]{{{CODE_DIGITS}}}$")


def code_for(sha256):
    digits = sha256[:CODE_DIGITS].upper()
    return "-".join(digits[i:i + 4] for i in range(0, CODE_DIGITS, 4))


def normalize(code):
    """The 16 lower-case hex digits of a typed code, or None when it cannot be a code."""
    digits = re.sub(r"[\s\-]", "", code or "").lower()
    return digits if _CODE.match(digits) else None


def find_version(code):
    """The version a code was printed from (the latest, if a resubmission froze identical content)."""
    digits = normalize(code)
    if digits is None:
        return None
    return (
        ApplicationVersion.objects.filter(sha256__startswith=digits)
        .select_related("application__consortium__lead_unit")
        .order_by("-submitted_at", "-number")
        .first()
    )


@dataclass
class Document:
    """A printed document of a later stage (an annual report, a notice) as the verify page describes it."""

    code: str
    title: str
    facts: list  # [(label, value)] as printed


# Later stages print documents whose code is the first 16 hex digits of their frozen content's SHA-256
# too; each registers how to find its documents: ``function(digits) -> Document or None``.
_document_finders = []


def document_finder(function):
    if function not in _document_finders:
        _document_finders.append(function)
    return function


def find_document(code):
    """The printed document of a later stage that a code belongs to, or None."""
    digits = normalize(code)
    if digits is None:
        return None
    for finder in _document_finders:
        found = finder(digits)
        if found is not None:
            return found
    return None
