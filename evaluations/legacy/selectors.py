"""The import page's reads."""

from operations.prepared import Prepared

from ..models import FiledImport, ImportedConsortium

SHOWN = 20


def recent_imports():
    return list(FiledImport.objects.select_related("uploaded_by").order_by("-uploaded_at", "-pk")[:SHOWN])


def batch(pk):
    return FiledImport.objects.select_related("uploaded_by").filter(pk=pk).first()


def imported_consortia(batch):
    return list(ImportedConsortium.objects.filter(batch=batch).select_related("consortium").order_by("consortium__record_number"))


@Prepared
def _import_marks(consortium):
    return ImportedConsortium.objects.filter(consortium_id=consortium).select_related("batch").order_by("pk")


def import_mark(consortium):
    """The 历史导入 mark of a consortium (with its workbook), or None."""
    return next(iter(_import_marks(consortium.pk)), None)
