"""Protected downloads: every view that hands out an uploaded file or a dossier answers through here,
after it has checked that the user may have the file.

PROTECTED_FILES_SERVED_BY = "django" (default): the portal streams the file itself.

PROTECTED_FILES_SERVED_BY = "nginx": for files on the server's disk (MEDIA_STORAGE=local) the portal
answers with an empty response carrying X-Accel-Redirect: PROTECTED_FILES_INTERNAL_URL + the file's
name, which nginx serves from an `internal` alias of MEDIA_ROOT that no browser can reach directly
(deploy/nginx/zhenjiang.conf).

Files in object storage (MEDIA_STORAGE=s3) are always streamed by the portal from the bucket: the
bucket stays private and reachable from the application servers only, with no signed address to
leak or to reproduce in nginx. A file is at most UPLOAD_MAX_MB, so this costs little.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

MISSING = "文件已不存在，请联系系统管理员。"


def protected_file_response(field_file, *, filename, content_type, missing_message=MISSING):
    """The response that sends ``field_file`` (a FieldFile) as a download named ``filename``."""
    if not field_file:
        raise Http404(missing_message)
    if settings.PROTECTED_FILES_SERVED_BY == "nginx" and isinstance(field_file.storage, FileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PROTECTED_FILES_INTERNAL_URL + quote(field_file.name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        try:
            handle = field_file.open("rb")
        except (OSError, ValueError):  # removed from the disk, or missing from the bucket
            raise Http404(missing_message) from None
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
