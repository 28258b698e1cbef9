"""The member list of any day, its history and the changes asked and recorded."""

from datetime import date

from django.db.models import Prefetch

from applications.models import Membership
from operations.prepared import Prepared

from ..models import MemberChange, MemberChangeSignatory


@Prepared
def _members_on(consortium, day: date):
    return Membership.objects.filter(consortium_id=consortium).current(day).select_related("unit").order_by("position", "pk")


@Prepared
def _member_history(consortium):
    return Membership.objects.filter(consortium_id=consortium).select_related("unit").order_by("position", "pk")


def members_on(consortium, day):
    return _members_on(consortium.pk, day)


def member_history(consortium):
    """Every membership the consortium ever had, with the dates it began and ended (None: from the start / still), as
    declared, with its unit of the registry."""
    return _member_history(consortium.pk)


def members_among(history, day):
    """The members on ``day`` among ``history`` (member_history's rows, in its order): members_on(consortium, day) for a
    page that shows the history too, without reading the memberships again."""
    return [membership for membership in history if membership.member_on(day)]


def member_changes(consortium):
    return list(
        MemberChange.objects.filter(consortium=consortium).select_related("requested_by", "decided_by", "supplementary_agreement")
        .prefetch_related("items").order_by("-requested_at", "-pk")
    )


def member_change(user, pk):
    return (
        MemberChange.objects.visible_to(user).filter(pk=pk)
        .select_related("consortium__lead_unit__bureau", "consortium__industry_field", "supplementary_agreement", "requested_by", "decided_by")
        .prefetch_related("items__membership__unit", Prefetch("signatories", MemberChangeSignatory.objects.select_related("authorization")))
        .first()
    )
