"""Dissolution requests of a consortium."""

from ..models import DissolutionRequest


def requests():
    """Dissolution requests, newest first, with who asked and who settled them."""
    return DissolutionRequest.objects.select_related("requested_by", "decided_by")


def dissolution_requests(consortium):
    return list(requests().filter(consortium=consortium))
