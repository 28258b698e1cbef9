"""Check constraints the models of several apps write alike."""

from django.db import models
from django.db.models import F, Q


def at_most(part, whole, name):
    """``part`` (其中 …) no more than its ``whole`` when both are filled in: a figure left empty is not yet given."""
    return models.CheckConstraint(
        condition=Q(**{f"{whole}__isnull": True}) | Q(**{f"{part}__isnull": True}) | Q(**{f"{part}__lte": F(whole)}),
        name=name,
    )


def capped(kind, cap, *, name, message):
    """The amount of a row of ``kind`` no more than ``cap`` (the plan's funding caps, §五)."""
    return models.CheckConstraint(condition=~Q(kind=kind) | Q(amount__lte=cap), name=name, violation_error_message=message)
