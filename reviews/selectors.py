from django.db.models import Count, Max, Prefetch, Q

from accounts.scoped import Scoped
from applications.choices import Status
from applications.models import Application, ApplicationVersion, Consortium, StatusChange
from operations.prepared import Prepared, attach, attach_each

from .models import Criterion, ExpertAssignment, RoundEntry, Score


def queue(user):
    """Applications a reviewer may act on or look back at, with their latest submission time; one query."""
    return (
        Consortium.objects.visible_to(user)
        .select_related("lead_unit__bureau", "industry_field")
        .annotate(submitted_at=Max("application__versions__submitted_at"))
        .order_by("submitted_at", "pk")
    )


def awaiting_appraisal(user):
    return queue(user).filter(status=Status.DISTRICT_PASSED)


def counted(user, status):
    """The consortia of ``queue(user)`` in ``status``, as a queue's pager counts them: without the latest submission's
    time, whose join through every version made the count group them all (3.1 against 0.1 ms for a thousand waiting)."""
    return Consortium.objects.visible_to(user).filter(status=status)


# The review page's reads, prepared (accounts.scoped, operations.prepared: compiled once per role, per process).
_REVIEWED = Scoped(lambda user, consortium: (
    Application.objects.select_related("consortium__industry_field", "consortium__lead_unit__bureau")
    .filter(consortium__in=Consortium.objects.visible_to(user), consortium_id=consortium).order_by("pk")[:1]))


# Every frozen version, newest first, without its content: the page lists the others by number and date, and reads
# what it shows of the latest two through applications.frozen, which reads their content only the first time.
_VERSIONS = Prepared(lambda application: ApplicationVersion.objects.filter(application_id=application).defer("content").order_by("-number"))


_TIMELINE = Prepared(lambda consortium: StatusChange.objects.filter(consortium_id=consortium).select_related("actor"))


def review_application(user, consortium_pk):
    """The 申请书 with what the review page shows (its frozen versions, the timeline), or None when out of the user's
    scope. The live rows are not read: the page shows the latest frozen version (snapshot.load when there is none)."""
    application = next(iter(_REVIEWED(user, consortium_pk)), None)
    if application is not None:
        attach(application, "versions", _VERSIONS(application.pk))
        attach(application.consortium, "status_changes", _TIMELINE(consortium_pk))
    return application


def _with_scores(entries):
    return entries.select_related("round", "decided_by").prefetch_related(
        Prefetch("assignments", ExpertAssignment.objects.select_related("expert").prefetch_related(
            Prefetch("scores", Score.objects.select_related("criterion"))
        ))
    )


_ENTRIES = Scoped(lambda user, consortium: RoundEntry.objects.visible_to(user).filter(consortium_id=consortium)
                  .select_related("round", "decided_by").order_by("-round__created_at", "-pk"))


@Prepared
def _assignments(entries: list):
    return ExpertAssignment.objects.filter(entry_id__in=entries).select_related("expert").order_by("entry", "id")


@Prepared
def _scores(assignments: list):
    return Score.objects.filter(assignment_id__in=assignments).select_related("criterion").order_by("pk")


def appraisal_record(user, consortium):
    """Every 综合论证 of a consortium, running or decided, with experts and scores — municipal staff only. Prepared: the
    entries, then their experts' tasks, then those tasks' scores, each handed to its parent."""
    entries = _ENTRIES(user, consortium.pk)
    assignments = _assignments([entry.pk for entry in entries]) if entries else []
    attach_each(entries, "assignments", assignments, "entry_id")
    attach_each(assignments, "scores", _scores([assignment.pk for assignment in assignments]) if assignments else [], "assignment_id")
    return entries


def entry_for_opinion(user, consortium_pk, entry_id):
    return _with_scores(RoundEntry.objects.visible_to(user).filter(consortium_id=consortium_pk, pk=entry_id)).select_related(
        "consortium__lead_unit", "consortium__industry_field"
    ).first()


def expert_assignments(user):
    """An expert's tasks, those still to score first (on every database: PostgreSQL sorts NULL last), newest first."""
    return (
        ExpertAssignment.objects.visible_to(user)
        .select_related("entry__consortium__lead_unit", "entry__consortium__industry_field", "entry__round")
        .to_do_first()
    )


def entries_in_progress(user):
    """Running 综合论证, newest round first, with how many experts take part and how many have scored."""
    taking_part = Q(assignments__conflict_declared=False)
    return (
        RoundEntry.objects.visible_to(user).filter(decided_at__isnull=True)
        .annotate(expert_count=Count("assignments", filter=taking_part),
                  scored_count=Count("assignments", filter=taking_part & Q(assignments__submitted_at__isnull=False)))
        .order_by("-round__created_at", "pk")
    )


def active_criteria():
    return list(Criterion.objects.filter(is_active=True))


def visible_consortia(user):
    return Consortium.objects.visible_to(user)


def filed(user, pk):
    """A filed consortium (one with a 备案编号) the user may see, for its 备案通知书; None otherwise."""
    return (Consortium.objects.visible_to(user).select_related("lead_unit", "application")
            .filter(pk=pk, record_number__isnull=False).first())


def entry(user, pk, consortium_id=None):
    """A 综合论证 entry the user may see (of ``consortium_id`` when given); None otherwise."""
    entries = RoundEntry.objects.visible_to(user)
    if consortium_id is not None:
        entries = entries.filter(consortium_id=consortium_id)
    return entries.filter(pk=pk).first()
