"""Units and their bans."""

from applications.models import Consortium, Membership, Unit, UnitBan


def unit(user, pk):
    return Unit.objects.visible_to(user).filter(pk=pk).select_related("bureau").first()


def bans_of(unit):
    return list(UnitBan.objects.filter(unit=unit).select_related("consortium", "recorded_by", "lifted_by").order_by("-starts_on", "-pk"))


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
