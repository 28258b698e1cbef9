"""The projects a consortium carries."""

from operations.prepared import Prepared

from ..models import SupportProject, SupportRecord


def support_projects(consortium):
    return list(SupportProject.objects.filter(consortium=consortium).order_by("-starts_on", "pk"))


def project(consortium, pk):
    """One of this consortium's 市级以上 projects; None otherwise."""
    return SupportProject.objects.filter(consortium=consortium, pk=pk).first()


@Prepared
def _support_records(consortium):
    return SupportRecord.objects.filter(consortium_id=consortium).select_related("unit", "project").order_by("-year", "kind", "pk")


def support_records(consortium):
    return _support_records(consortium.pk)


def support_record(user, consortium, record_id):
    """A record the user may change: in the user's scope, not a project's own funding (that follows the project)."""
    return (SupportRecord.objects.visible_to(user).filter(consortium=consortium, pk=record_id, from_project=False)
            .select_related("unit", "project").first())
