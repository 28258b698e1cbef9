"""Units and their bans; the places banned units still hold in other consortia."""

from datetime import date

from django.db.models import Exists, OuterRef

from applications.choices import Status
from applications.models import Consortium, Membership, Unit, UnitBan
from operations import clock
from operations.prepared import Prepared


def unit(user, pk):
    return Unit.objects.visible_to(user).filter(pk=pk).select_related("bureau").first()


def bans_of(unit):
    return list(_history(unit.pk).select_related("consortium", "recorded_by", "lifted_by", "lift_proposed_by"))


def _history(unit):
    return UnitBan.objects.filter(unit_id=unit).order_by("-starts_on", "-pk")


_BAN_HISTORY = Prepared(_history)


def ban_history(unit):
    """The unit's bans, newest first: their dates and reasons (bans_of adds who recorded and lifted them); prepared."""
    return _BAN_HISTORY(unit.pk)


def unit_memberships(user, unit):
    """The consortia the unit leads or belongs to, as far as the user may see them; past memberships too."""
    return list(
        Membership.objects.filter(unit=unit, consortium__in=Consortium.objects.visible_to(user))
        .select_related("consortium").order_by("-consortium__created_at", "pk")
    )


def bans(active_only=False, today=None):
    """Every ban, newest first (municipal staff only: the view says so)."""
    found = UnitBan.objects.select_related("unit", "consortium").order_by("-starts_on", "-pk")
    return found.active(today) if active_only else found


def _banned_places(today):
    """Current places (lead or member) of units under a ban in force on ``today``."""
    in_force = UnitBan.objects.active(today).filter(unit=OuterRef("unit"))
    return Membership.objects.filter(left_on__isnull=True).filter(Exists(in_force))


def consortia_with_banned_units(user, today=None):
    """Filed consortia in the user's scope that list a unit under a ban in force (DESIGN.md rule 6: flagged for the
    city to settle by a member change): one query, for counts and lists."""
    places = _banned_places(today or clock.today()).filter(consortium=OuterRef("pk"))
    return Consortium.objects.visible_to(user).filter(status=Status.FILED).filter(Exists(places))


def consortia_listing_banned_unit(unit, *, excluding=None):
    """The filed consortia whose current members include ``unit`` (besides the one it was revoked with)."""
    found = Consortium.objects.filter(status=Status.FILED, memberships__unit=unit, memberships__left_on__isnull=True).distinct()
    return found.exclude(pk=excluding) if excluding else found


# banned_members_map's two queries, prepared (operations.prepared: compiled once per process and length of the list).
@Prepared
def _banned_places_in(consortia: list, day: date):
    return _banned_places(day).filter(consortium_id__in=consortia, consortium__status=Status.FILED).order_by("consortium_id", "position")


@Prepared
def _bans_of(units: list, day: date):
    return UnitBan.objects.active(day).filter(unit_id__in=units).order_by("-ends_on")


def banned_members_map(consortia, today=None):
    """{consortium pk: [(declared name, ban)]} of the filed consortia among ``consortia``: two queries, however many."""
    today = today or clock.today()
    # Asked for every consortium shown, filed or not: one query whenever the list has rows, so that a list's query count
    # does not depend on which statuses happen to be on its page.
    ids = [c.pk for c in consortia]
    places = _banned_places_in(ids, today) if ids else []
    bans = {}
    for ban in _bans_of(sorted({p.unit_id for p in places}), today) if places else ():
        bans.setdefault(ban.unit_id, ban)
    found = {}
    for place in places:
        found.setdefault(place.consortium_id, []).append((place.unit_name, bans[place.unit_id]))
    return found


def ban(pk):
    """A ban with its unit, consortium and the officer who proposed lifting it (bans are the city's record: no scope)."""
    return UnitBan.objects.select_related("unit", "consortium", "lift_proposed_by").filter(pk=pk).first()
