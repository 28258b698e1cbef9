"""Bans (seed §六（二））: a lead unit whose consortium was revoked may not lead or join any consortium for 3 years.

The engine holds it: the guard "no_banned_unit" stands on every step that moves a consortium toward 备案 (submit,
resubmit, 初审 pass, start of 综合论证, 予以备案), judged on the units the consortium lists now; a member change judges
the list after the change in its own check, with the same function. The refusal names the unit and the day it is free.
"""


from datetime import date

from operations import clock
from operations.prepared import Prepared

from . import rules, workflow
from .models import UnitBan


@Prepared
def _in_force(codes: list[str], day: date):
    return UnitBan.objects.active(day).filter(unit__credit_code__in=codes).select_related("unit").order_by("-ends_on", "-pk")


def in_force(codes, on=None):
    """{credit code: the ban in force on ``on`` (today) that ends last} of the given units: one query, prepared."""
    found = {}
    for ban in _in_force(list(codes), on or clock.today()):
        found.setdefault(ban.unit.credit_code, ban)
    return found


@Prepared
def _of_unit(unit, day: date):
    return UnitBan.objects.active(day).filter(unit_id=unit).select_related("unit").order_by("-ends_on", "-pk")[:1]


def of_unit(unit, on=None):
    """The ban in force on ``on`` (today) of ``unit`` that ends last, or None: in_force() for one unit, prepared."""
    return next(iter(_of_unit(unit.pk, on or clock.today())), None)


def refusals(units, on=None):
    """The reason each banned unit among ``units`` ([(declared name, credit code)]) is refused, in their order."""
    units = list(units)
    bans = in_force([code for _, code in units], on)
    reasons = [rules.not_banned(name, bans.get(code))[1] for name, code in units if code in bans]
    return list(dict.fromkeys(reasons))


def listed_units(consortium):
    """[(declared name, credit code)] of the units the consortium lists now: the lead first, then its members."""
    return list(consortium.memberships.filter(left_on__isnull=True).order_by("position", "pk").values_list("unit_name", "unit__credit_code"))


@workflow.guard("no_banned_unit")
def no_banned_unit(consortium, actor, proposal):
    return refusals(listed_units(consortium))
