"""Protected downloads: every view that hands out an uploaded file or a dossier answers through here,
after it has checked that the user may have the file.

PROTECTED_FILES_SERVED_BY = "django" (default): the portal streams the file itself, from the local
disk or from the object storage bucket alike.

PROTECTED_FILES_SERVED_BY = "nginx": the portal answers with an empty response carrying
X-Accel-Redirect, and nginx sends the file from an `internal` location that no browser can reach
directly (deploy/nginx/zhenjiang.conf):
- files on the local disk: PROTECTED_FILES_INTERNAL_URL + the file's name, an alias of MEDIA_ROOT;
- files in object storage: PROTECTED_FILES_INTERNAL_URL + "s3/" + a short-lived pre-signed URL's
  path and query, which nginx passes on to the MinIO/S3 endpoint.
"""

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

MISSING = "文件已不存在，请联系系统管理员。"
PRESIGNED_SECONDS = 60


def protected_file_response(field_file, *, filename, content_type, missing_message=MISSING):
    """The response that sends ``field_file`` (a FieldFile) as a download named ``filename``."""
    if not field_file:
        raise Http404(missing_message)
    if settings.PROTECTED_FILES_SERVED_BY == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = _internal_location(field_file)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        try:
            handle = field_file.open("rb")
        except (OSError, ValueError):  # removed from the disk, or missing from the bucket
            raise Http404(missing_message) from None
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _internal_location(field_file):
    prefix = settings.PROTECTED_FILES_INTERNAL_URL
    storage = field_file.storage
    if getattr(storage, "bucket_name", None):  # django-storages' S3Storage
        signed = urlsplit(storage.url(field_file.name, expire=PRESIGNED_SECONDS))
        return f"{prefix}s3{signed.path}?{signed.query}"
    return prefix + quote(field_file.name)
