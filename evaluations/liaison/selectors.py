"""Who followed a consortium as its 科技联络员."""

from ..models import LiaisonAssignment


def liaison_history(consortium):
    return list(LiaisonAssignment.objects.filter(consortium=consortium).select_related("officer", "assigned_by"))
