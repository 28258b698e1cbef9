"""Uploaded files: PDF, JPG and PNG only, recognised by their content, never by their name."""

import hashlib
import os
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader

KINDS = {
    # detected type: (content type, extension, names the user may have given it)
    "pdf": ("application/pdf", "pdf", {"pdf"}),
    "png": ("image/png", "png", {"png"}),
    "jpeg": ("image/jpeg", "jpg", {"jpg", "jpeg"}),
}
LABELS = {"pdf": "PDF 文件", "png": "PNG 图片", "jpeg": "JPG 图片"}


def sniff(head):
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def _opens(kind, uploaded):
    uploaded.seek(0)
    try:
        if kind == "pdf":
            reader = PdfReader(uploaded)
            if reader.is_encrypted:
                raise ValidationError("PDF 文件已加密或设置了打开密码，请上传未加密的文件。", code="encrypted")
            if len(reader.pages) == 0:
                raise ValidationError("PDF 文件没有页面。", code="empty")
        else:
            with Image.open(uploaded) as image:
                image.verify()
    except ValidationError:
        raise
    except Exception:
        raise ValidationError("文件已损坏，无法打开，请重新导出或扫描后上传。", code="corrupt") from None
    finally:
        uploaded.seek(0)


def safe_name(original, extension):
    """A file name safe on every file system, keeping Chinese characters; the extension follows the content."""
    stem = os.path.splitext(os.path.basename(original.replace("\\", "/")))[0]
    stem = unicodedata.normalize("NFKC", stem)
    stem = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", stem).strip(" ._") or "附件"
    return f"{stem[:80]}.{extension}"


def inspect(uploaded):
    """Check an upload; return (content type, safe file name, sha256). Raises ValidationError in Chinese."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            f"文件大小为 {uploaded.size / 1024 / 1024:.1f} MB，超过 {limit // 1024 // 1024} MB 的上限，请压缩后再上传。",
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError("文件是空的。", code="empty")
    uploaded.seek(0)
    kind = sniff(uploaded.read(16))
    if kind is None:
        raise ValidationError(
            f"只接受 PDF、JPG、PNG 文件；“{uploaded.name}”的内容不是这三种格式。", code="type"
        )
    content_type, extension, names = KINDS[kind]
    given = os.path.splitext(uploaded.name)[1].lower().lstrip(".")
    if given and given not in names:
        raise ValidationError(
            f"文件“{uploaded.name}”的内容是{LABELS[kind]}，与文件名后缀“.{given}”不符，请核对后重新上传。", code="mismatch"
        )
    _opens(kind, uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return content_type, safe_name(uploaded.name, extension), digest.hexdigest()
