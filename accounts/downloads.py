"""Excel exports of the lists: the filtered rows, written as they are read, recorded in the audit log.

Used by every list with an export: the bureaus' lists (dashboards) and the audit log.
"""

import tempfile

from django.http import FileResponse
from django.utils import timezone

from accounts import audit_actions as accounts_actions

from . import audit
from .exports import write_xlsx
from .listing import export_headings, export_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Exports up to this size are built in memory; larger ones in a temporary file.
IN_MEMORY_BYTES = 8 * 1024 * 1024


def xlsx_response(request, title, columns, rows, filters):
    """The export of ``rows`` (a values() queryset, filtered and ordered as its list page) as .xlsx.

    ``filters`` says in words which filters were used; it goes into the file's 说明 sheet and, with the
    row count, into the audit event: every export is audited.
    """
    now = timezone.localtime()
    target = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)
    about = [
        ("名单", title), ("导出人", f"{request.user.display_name}（{request.user.get_role_display()}）"),
        ("导出时间", now.strftime("%Y-%m-%d %H:%M")), ("筛选条件", filters),
    ]
    count = write_xlsx(target, title, export_headings(columns), export_rows(columns, rows.iterator(chunk_size=2000)), about)
    audit.record(accounts_actions.EXPORT, request=request, target=f"{title}（Excel）", detail=f"筛选条件：{filters}；共 {count} 行")
    target.seek(0)
    response = FileResponse(target, as_attachment=True, filename=f"{title}-{now:%Y%m%d-%H%M}.xlsx", content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response
