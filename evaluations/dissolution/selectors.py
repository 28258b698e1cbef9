"""Dissolution requests of a consortium."""

from ..models import DissolutionRequest


def dissolution_requests(consortium):
    return list(DissolutionRequest.objects.filter(consortium=consortium).select_related("requested_by", "decided_by"))
