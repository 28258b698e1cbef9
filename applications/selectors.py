"""The read side of the applications app: every list and lookup starts from a visible_to scope."""

from datetime import date

from django.db.models import Count

from accounts.listing import PreparedRows
from accounts.scoped import Scoped
from operations import clock
from operations.prepared import Prepared, PreparedCount, first_and_total, has_rows, marks, with_total

from . import snapshot
from .choices import MemberRole, RegistrationStatus, SignatoryCapacity, Status
from .models import ApplicationVersion, Attachment, Consortium, DraftInput, Membership, Registration, Signatory


def pending_registrations(user):
    """Registrations waiting for this district reviewer, oldest first."""
    return (
        Registration.objects.visible_to(user).filter(status=RegistrationStatus.PENDING)
        .select_related("applicant", "bureau").order_by("created_at", "pk")
    )


def pending_page(user):
    """pending_registrations(user) for the queue's paginator (accounts.listing.PreparedRows): the count and a page of
    registrations with their applicants, by prepared queries (accounts.scoped) rather than a queryset for each page."""
    return PreparedRows(lambda: _PENDING_COUNT(user), lambda rows: _PENDING_ROWS(user, rows))


def _pending_rows(user, rows: slice):
    return Registration.objects.visible_to(user).filter(status=RegistrationStatus.PENDING).select_related("applicant").order_by(
        "created_at", "pk")[rows]


_PENDING_ROWS = Scoped(_pending_rows)


def pending_preview(user):
    """(the first PREVIEW_ROWS registrations waiting for this district reviewer, how many there are): one prepared query
    (accounts.scoped), for the district's dashboard."""
    return first_and_total(_PENDING_FIRST(user))


PREVIEW_ROWS = 5
_PENDING_FIRST = Scoped(lambda user: with_total(pending_registrations(user))[:PREVIEW_ROWS])
_PENDING_COUNT = Scoped(pending_registrations, PreparedCount)  # the registration queue's (pending_page)


def declarations_of(user, codes):
    """{credit code: [memberships declaring it]} — consortia the user may see that already list these codes as
    a member (a district: its own district's, never a draft; issue 19): one prepared query (accounts.scoped)."""
    found = {}
    for membership in _DECLARATIONS(user, list(codes), clock.today()) if codes else ():
        found.setdefault(membership.unit.credit_code, []).append(membership)
    return found


def _declarations(user, codes: list[str], day: date):
    return (
        Membership.objects.current(day)
        .filter(unit__credit_code__in=codes, role=MemberRole.MEMBER, consortium__in=Consortium.objects.visible_to(user))
        .select_related("consortium", "unit").order_by("consortium__name")
    )


_DECLARATIONS = Scoped(_declarations)


def consortia_list(user, statuses=None):
    """Consortia for a list page: one query however many rows."""
    consortia = Consortium.objects.visible_to(user).select_related("lead_unit__bureau", "industry_field")
    if statuses:
        consortia = consortia.filter(status__in=statuses)
    return consortia


_STATUS_COUNTS = Scoped(lambda user: Consortium.objects.visible_to(user).values("status").annotate(n=Count("id")).order_by())


def status_counts(user):
    """(status, label, how many of the user's consortia have it) for every status: one prepared query (accounts.scoped)."""
    counts = {row["status"]: row["n"] for row in _STATUS_COUNTS(user)}
    return [(status, label, counts.get(status, 0)) for status, label in Status.choices]


class NotFound(Exception):
    pass


def _in_scope(applications, user, consortium_pk):
    return applications.filter(consortium__in=Consortium.objects.visible_to(user), consortium_id=consortium_pk).order_by("pk")[:1]


# The application and its consortium alone (not whole), for the editor with who saved it last, and for an editor page
# that only draws (``marked``) with which of its tables have rows (snapshot.SECTIONS): prepared (accounts.scoped).
_ALONE = {
    (False, False): Scoped(lambda user, consortium: _in_scope(snapshot.queryset(whole=False), user, consortium)),
    (True, False): Scoped(lambda user, consortium: _in_scope(snapshot.queryset(whole=False).select_related("updated_by"), user, consortium)),
    (True, True): Scoped(lambda user, consortium: _in_scope(snapshot.queryset(whole=False).select_related("updated_by")
                                                             .annotate(**marks(snapshot.SECTIONS)), user, consortium)),
}


def application_for(user, consortium_pk, *, editor=False, whole=True, marked=False):
    """The 申请书 of a consortium the user may see, ready for snapshot.build() (and, for the ``editor``, with who
    saved it last); NotFound otherwise. Not ``whole``: the application and its consortium only, the rest read by
    snapshot.read_whole() if it is drawn (a save that succeeds draws nothing); ``marked`` (an editor page that writes
    nothing): read_whole(), latest_version() and pending_parts() ask only for the tables that have rows."""
    if whole:
        applications = snapshot.queryset(whole=True)
        found = list(_in_scope(applications.select_related("updated_by") if editor else applications, user, consortium_pk))
    else:
        found = _ALONE[editor, editor and marked](user, consortium_pk)
    if not found:
        raise NotFound
    return found[0]


_LATEST_VERSION = Prepared(lambda application: ApplicationVersion.objects.filter(application_id=application)
                           .only("pk", "application_id", "number").order_by("-number")[:1])
_PENDING_PARTS = Prepared(lambda application: DraftInput.objects.filter(application_id=application).order_by().values_list("part"))


def latest_version(application):
    """The 申请书's latest frozen version, without its content (an editor page shows its number), or None: prepared."""
    return next(iter(_LATEST_VERSION(application.pk)), None) if has_rows(application, "versions") else None


def pending_parts(application):
    """The parts with input kept as typed because it did not validate yet (DraftInput): prepared."""
    return {part for (part,) in _PENDING_PARTS(application.pk)} if has_rows(application, "draft_inputs") else set()


def attachment_for(user, attachment_id):
    return Attachment.objects.filter(consortium__in=Consortium.objects.visible_to(user), pk=attachment_id).first()


_FIRST_REGISTRATION = Scoped(lambda user: Registration.objects.visible_to(user).order_by("created_at", "id")[:1])


def registration_of(user, pk=None):
    """The user's own registration (an applicant), or the one ``pk`` among those the user decides; None if out of scope.
    The user's first (the applicant's own, on every workbench) is prepared (accounts.scoped)."""
    if pk is None:
        return next(iter(_FIRST_REGISTRATION(user)), None)
    return Registration.objects.visible_to(user).filter(pk=pk).first()


def signatures(application):
    """The 组建协议's signatures by unit id; the lead's, until first saved, proposes its 法定代表人 as declared."""
    current = {s.unit_id: s for s in application.signatories.select_related("authorization")}
    lead = application.consortium.lead_unit_id
    if lead not in current and application.legal_representative:
        current[lead] = Signatory(capacity=SignatoryCapacity.LEGAL_REPRESENTATIVE, person_name=application.legal_representative)
    return current


_LIVE_LED = Prepared(lambda unit: Consortium.objects.live().filter(lead_unit_id=unit).order_by("pk")[:1])
_LIVE_LED_BUT = Prepared(lambda unit, excluding: Consortium.objects.live().filter(lead_unit_id=unit).exclude(pk=excluding)
                         .order_by("pk")[:1])


def other_live_consortium(unit, excluding=None):
    """A consortium in the making or filed that ``unit`` leads (other than ``excluding``), or None: prepared."""
    found = _LIVE_LED(unit.pk) if excluding is None else _LIVE_LED_BUT(unit.pk, excluding.pk)
    return next(iter(found), None)
