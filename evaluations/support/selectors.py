"""The projects a consortium carries."""

from ..models import SupportProject


def support_projects(consortium):
    return list(SupportProject.objects.filter(consortium=consortium).order_by("-starts_on", "pk"))


def project(consortium, pk):
    """One of this consortium's 市级以上 projects; None otherwise."""
    return SupportProject.objects.filter(consortium=consortium, pk=pk).first()
