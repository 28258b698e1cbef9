"""Who followed a consortium as its 科技联络员; the bureaus' work records, follow-ups and opinions as pages read them."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import F, Max, Q

from accounts.scoped import Scoped
from applications.choices import Status
from applications.models import Consortium
from operations.prepared import TOTAL, Prepared, attach, first_and_total, with_total

from ..models import FollowUp, LiaisonAssignment, LiaisonOpinion, WorkKind, WorkRecord

SHORT_LIST = 50


def liaison_history(consortium):
    return list(LiaisonAssignment.objects.filter(consortium=consortium).select_related("officer", "assigned_by"))


# The consortium page's reads, prepared (accounts.scoped, operations.prepared: compiled once per role, per process).
_WORK_RECORDS = Scoped(lambda user, consortium: WorkRecord.objects.visible_to(user).filter(consortium_id=consortium)
                       .select_related("recorded_by").order_by("-happened_on", "-id"))


@Prepared
def _follow_ups(records: list):
    return FollowUp.objects.filter(record_id__in=records).select_related("done_by").order_by("due_on", "id")


def work_records(user, consortium):
    """The consortium's work records the user may read (none for applicants), newest first, with their follow-ups."""
    records = _WORK_RECORDS(user, consortium.pk)
    follow_ups = {record.pk: [] for record in records}
    for follow_up in _follow_ups(list(follow_ups)) if records else ():
        follow_ups[follow_up.record_id].append(follow_up)
    for record in records:
        attach(record, "follow_ups", follow_ups[record.pk])
    return records


def _liaison_of(user):
    return Consortium.objects.filter(status=Status.FILED, liaisons__officer=user, liaisons__ended_at__isnull=True)


def open_follow_ups(user):
    """(the first SHORT_LIST open follow-ups of the consortia this 科技联络员 follows, earliest due first; how many in all):
    one prepared query (accounts.scoped), as the dashboard's other lists."""
    return first_and_total(_OPEN_FIRST(user))


def _open_of_liaison(user):
    return FollowUp.objects.visible_to(user).open().filter(record__consortium__in=_liaison_of(user))


_OPEN_FIRST = Scoped(lambda user: with_total(_open_of_liaison(user)).select_related("record__consortium").order_by("due_on", "pk")[:SHORT_LIST])


def district_follow_ups(user):
    """(the first DISTRICT_SHORT_LIST open follow-ups on the filed consortia of a district, earliest due first; how many in
    all): one prepared query (accounts.scoped), for the district's dashboard."""
    return first_and_total(_DISTRICT_FIRST(user))


def _district_open(user):
    return FollowUp.objects.visible_to(user).open().filter(record__consortium__status=Status.FILED)


DISTRICT_SHORT_LIST = 5
_DISTRICT_FIRST = Scoped(lambda user: with_total(_district_open(user)).select_related("record__consortium").order_by("due_on", "pk")[:DISTRICT_SHORT_LIST])


def not_visited(user, today):
    """(the first SHORT_LIST consortia this 科技联络员 follows with no 走访 in LIAISON_VISIT_INTERVAL_DAYS, longest first; how
    many in all; the days): one prepared query (accounts.scoped). A consortium filed more recently than that is not late yet."""
    days = settings.LIAISON_VISIT_INTERVAL_DAYS
    rows, late = first_and_total(_NOT_VISITED_FIRST(user, today - timedelta(days=days)))
    return rows, late, days


def _not_visited_since(user, since: date):
    return (_liaison_of(user).annotate(last_visit=Max("work_records__happened_on", filter=Q(work_records__kind=WorkKind.VISIT)))
            .filter(Q(last_visit__lt=since) | Q(last_visit__isnull=True, filed_on__lt=since)))


def _first_not_visited(user, since: date):
    return (with_total(_not_visited_since(user, since)).order_by(F("last_visit").asc(nulls_first=True), "filed_on", "pk")
            .values("pk", "name", "filed_on", "last_visit", TOTAL)[:SHORT_LIST])


_NOT_VISITED_FIRST = Scoped(_first_not_visited)


def opinions_on(user, consortium, about, subject_id):
    """The 科技联络员's opinions on one subject, for the staff deciding it (and the liaison); none for applicants."""
    return list(LiaisonOpinion.objects.visible_to(user).filter(consortium=consortium, about=about, subject_id=subject_id)
                .select_related("officer"))
