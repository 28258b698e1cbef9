"""The projects a consortium carries."""

from ..models import SupportProject


def support_projects(consortium):
    return list(SupportProject.objects.filter(consortium=consortium).order_by("-starts_on", "pk"))
