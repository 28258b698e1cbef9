"""What every part of the after-filing stage starts from: the consortium in the user's scope, filed once."""


from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from accounts.scoped import Scoped
from applications.choices import Status
from applications.models import Consortium


def plain(value):
    return value if value is None or isinstance(value, (int, str)) else str(value)


def staff_only(actor, what):
    if actor.role != Role.MUNICIPAL_STAFF:
        raise PermissionDenied(f"只有市科技局可以{what}。")


def target(consortium):
    return f"创新联合体 {consortium.pk} {consortium.name}"


def filed_consortium(consortium_id, actor, *, lock=False):
    """A consortium the actor sees, filed; PermissionDenied when out of scope, ValidationError when not filed."""
    consortia = Consortium.objects.visible_to(actor).select_related("lead_unit")
    if lock:
        consortia = consortia.select_for_update(of=("self",))
    consortium = consortia.filter(pk=consortium_id).first()
    if consortium is None:
        raise PermissionDenied("没有找到该创新联合体。")
    if consortium.status != Status.FILED:
        raise ValidationError(f"该创新联合体当前状态为“{consortium.get_status_display()}”，不能办理。")
    return consortium


AFTER_FILING = (Status.FILED, Status.REVOKED, Status.DISSOLVED)


def in_scope(user, pk, statuses=AFTER_FILING):
    """The consortium ``pk`` among those the user may see, in one of ``statuses``, with its lead unit and field: the
    queryset consortium() prepares (a page may add to it, e.g. overview.selectors.page_consortium)."""
    return (Consortium.objects.visible_to(user).filter(pk=pk, status__in=statuses)
            .select_related("lead_unit__bureau", "industry_field"))


def _in_scope(statuses):
    """consortium()'s query for one list of statuses, prepared for the user's scope (accounts.scoped)."""
    return Scoped(lambda user, pk: in_scope(user, pk, statuses).order_by("pk")[:1])


_IN_SCOPE = {}


def consortium(user, pk, *, statuses=AFTER_FILING):
    """A consortium the user may see, filed once (filed, revoked or dissolved); None otherwise."""
    statuses = tuple(statuses)
    scoped = _IN_SCOPE.get(statuses) or _IN_SCOPE.setdefault(statuses, _in_scope(statuses))
    return next(iter(scoped(user, pk)), None)
