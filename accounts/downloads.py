"""Excel exports of the lists: the filtered rows, streamed to the browser as they are read and written, recorded in
the audit log before the first byte goes out.

Used by every list with an export: the bureaus' lists (dashboards) and the audit log.
"""

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from accounts import audit_actions as accounts_actions
from operations import clock

from . import audit
from .listing import export_headings, export_rows
from .xlsx import stream_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(request, title, columns, rows, filters):
    """The export of ``rows`` (a values() queryset, filtered and ordered as its list page) as .xlsx, streamed.

    ``filters`` says in words which filters were used; it goes into the file's 说明 sheet and, with the
    row count, into the audit event: every export is audited, once it is asked for (an export cut off by
    the browser is still one that was made).
    """
    now = clock.localtime()
    about = [
        ("名单", title), ("导出人", f"{request.user.display_name}（{request.user.get_role_display()}）"),
        ("导出时间", now.strftime("%Y-%m-%d %H:%M")), ("筛选条件", filters),
    ]
    count = rows.count()
    audit.record(accounts_actions.EXPORT, request=request, target=f"{title}（Excel）", detail=f"筛选条件：{filters}；共 {count} 行")
    content = stream_xlsx(title, export_headings(columns), export_rows(columns, rows.iterator(chunk_size=2000)), about)
    response = StreamingHttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{title}-{now:%Y%m%d-%H%M}.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response
