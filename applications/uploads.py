"""Uploaded files: PDF, JPG and PNG only, recognised by their content, never by their name.

``inspect()`` refuses, with a message for the applicant and before anything is stored:
a name that still carries a path or control characters; content that is none of the three formats
(a renamed program, an SVG, an HTML page) or does not match its name's extension; a PDF that
carries web code outside its PDF data (a PDF/HTML polyglot), is encrypted, claims more pages than
UPLOAD_MAX_PDF_PAGES, has a page tree that repeats or nests itself (a page-tree bomb), or whose
page content decompresses beyond PAGE_CONTENT_LIMIT (a Flate bomb); an image of more than
UPLOAD_MAX_IMAGE_PIXELS, measured from its header without decoding a pixel.

Links, JavaScript, automatic actions and embedded files are removed from a PDF rather than
refused: Word and WPS put links (table-of-contents, web addresses) into ordinary exports, and an
applicant cannot be asked to strip them. Only the pages are kept, with the annotations that draw
something and no actions, so nothing active is stored, shown to a reviewer or merged into the
printed dossier; what is printed is unchanged. The cleaned file replaces the upload's content in
place, so the caller stores it and its hash, and tells the uploader (was_cleaned, CLEANED_NOTE); a file
that cannot be cleaned is refused.
"""

import hashlib
import io
import os
import re
import unicodedata
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader, PdfWriter, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NullObject, StreamObject

KINDS = {
    # detected type: (content type, extension, names the user may have given it)
    "pdf": ("application/pdf", "pdf", {"pdf"}),
    "png": ("image/png", "png", {"png"}),
    "jpeg": ("image/jpeg", "jpg", {"jpg", "jpeg"}),
}
LABELS = {"pdf": "PDF 文件", "png": "PNG 图片", "jpeg": "JPG 图片"}
PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG"}

# Decoded page content (drawing instructions) allowed per PDF: a scanned page has a few hundred
# bytes, a dense vector drawing a few megabytes. Each stream is also capped at this while decoding.
PAGE_CONTENT_LIMIT = 64 * 1024 * 1024
PAGE_TREE_DEPTH_LIMIT = 32
# Objects looked at when searching a PDF for actions; a 300-page scan has a few thousand.
OBJECT_WALK_LIMIT = 200_000
# Web markup where a PDF has none: before its first kilobyte ends (where browsers sniff) or after
# its last %%EOF. A PDF/HTML polyglot puts its page there.
MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta)\b|javascript:", re.IGNORECASE)

# Keys and values that make a PDF do something rather than show something.
ACTION_KEYS = {"/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/URI", "/Launch",
               "/SubmitForm", "/ImportData", "/RichMedia", "/RichMediaContent", "/XFA", "/EF"}
ACTION_TYPES = {"/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/GoTo",
                "/Rendition", "/Sound", "/Movie", "/RichMediaExecute", "/Named", "/Hide", "/SetOCGState", "/Thread",
                "/ResetForm", "/Trans", "/GoTo3DView"}
ACTIVE_ANNOTATIONS = {"/Link", "/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"}
# Annotations kept when cleaning: they only draw (their actions are removed).
DRAWING_ANNOTATIONS = {"/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
                       "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink", "/Popup", "/Widget",
                       "/Watermark", "/Redact", "/PrinterMark", "/TrapNet"}
# Back-pointers and the tagged-PDF structure: nothing a viewer runs is reachable only through them.
NOT_FOLLOWED = {"/Parent", "/P", "/StructTreeRoot", "/ParentTree", "/IRT", "/Popup"}


def sniff(head):
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def safe_name(original, extension):
    """A file name safe on every file system, keeping Chinese characters; the extension follows the content."""
    stem = os.path.splitext(os.path.basename(original.replace("\\", "/")))[0]
    stem = unicodedata.normalize("NFKC", stem)
    stem = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", stem).strip(" ._") or "附件"
    return f"{stem[:80]}.{extension}"


def inspect(uploaded):
    """Check an upload; return (content type, safe file name, sha256). Raises ValidationError in Chinese.

    A PDF with links, scripts or embedded files is cleaned: ``uploaded`` then holds the cleaned
    file (its content and size), and the hash is the cleaned file's.
    """
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            f"文件大小为 {uploaded.size / 1024 / 1024:.1f} MB，超过 {limit // 1024 // 1024} MB 的上限，请压缩后再上传。",
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError("文件是空的。", code="empty")
    _check_name(uploaded.name)
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
    if kind == "pdf":
        _check_pdf(uploaded)
    else:
        _check_image(kind, uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return content_type, safe_name(uploaded.name, extension), digest.hexdigest()


def _check_name(name):
    """Django's upload parser already drops directories and invisible characters from names sent by a
    browser; what still carries them (a full-width ／, a name given by other code) is refused."""
    normal = unicodedata.normalize("NFKC", name)
    if "/" in normal or "\\" in normal or any(unicodedata.category(char).startswith("C") for char in normal):
        shown = "".join(char if unicodedata.category(char)[0] != "C" else "?" for char in name)
        raise ValidationError(
            f"文件名“{shown}”含有路径符号（/ 或 \\）或控制字符，请改用普通的文件名后重新上传。", code="name"
        )


# --- Images ------------------------------------------------------------------------------------


def _check_image(kind, uploaded):
    """The size is read from the header; verify() checks the structure without decoding pixels."""
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own, lower limit applies
            with Image.open(uploaded, formats=[PILLOW_FORMATS[kind]]) as image:
                width, height = image.size
                if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(f"图片为 {width}×{height} 像素（约 {_pixels(width * height)}像素），")
                image.verify()
    except Image.DecompressionBombError:  # Pillow's own limit, far above ours: the size was absurd
        raise _too_many_pixels("图片的像素数过多，") from None
    except ValidationError:
        raise
    except Exception:
        raise ValidationError("文件已损坏，无法打开，请重新导出或扫描后上传。", code="corrupt") from None
    finally:
        uploaded.seek(0)


def _pixels(count):
    return f"{count / 1e8:.2f} 亿" if count >= 1e8 else f"{count / 1e4:.0f} 万"


def _too_many_pixels(prefix):
    return ValidationError(
        f"{prefix}超过 {_pixels(settings.UPLOAD_MAX_IMAGE_PIXELS)}像素的上限，请降低分辨率（扫描件用 300 dpi 即可）后重新上传。",
        code="too_many_pixels",
    )


# --- PDF ---------------------------------------------------------------------------------------


def _corrupt():
    return ValidationError("文件已损坏，无法打开，请重新导出或扫描后上传。", code="corrupt")


def _malformed():
    return ValidationError(
        "PDF 文件的页面结构异常（页面被重复引用或层级过深），可能是恶意构造的文件，请重新导出或扫描后上传。", code="page_tree"
    )


def _bomb():
    return ValidationError(
        "PDF 文件中的压缩数据解压后过大，可能是恶意构造的文件，请重新导出或扫描后上传。", code="decompression_bomb"
    )


def _check_pdf(uploaded):
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    end = data.rfind(b"%%EOF")
    if MARKUP.search(data[:1024]) or (end >= 0 and MARKUP.search(data[end + 5:])):
        raise ValidationError(
            f"文件“{uploaded.name}”在 PDF 内容之外还夹带了网页代码，可能是伪装的文件，请从原文档重新导出 PDF 后上传。",
            code="polyglot",
        )
    limits = dict(
        zlib_maximum_output_length=PAGE_CONTENT_LIMIT, lzw_maximum_output_length=PAGE_CONTENT_LIMIT,
        run_length_maximum_output_length=PAGE_CONTENT_LIMIT, array_based_stream_maximum_output_length=PAGE_CONTENT_LIMIT,
        brotli_maximum_output_length=PAGE_CONTENT_LIMIT, page_tree_maximum_depth=PAGE_TREE_DEPTH_LIMIT,
    )
    try:
        with apply_configuration(**limits):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise ValidationError("PDF 文件已加密或设置了打开密码，请上传未加密的文件。", code="encrypted")
            pages = page_count(reader)
            _check_page_content(reader)
            if has_active_content(reader):
                _replace(uploaded, _cleaned(reader, pages))
    except ValidationError:
        raise
    except LimitReachedError:
        raise _bomb() from None
    except RecursionError:
        raise _malformed() from None
    except Exception:  # untrusted upload: pypdf raises many kinds of errors on damaged files
        raise _corrupt() from None


def page_count(reader):
    """Count the pages by walking the page tree ourselves, bounded: every node at most once (a tree that
    refers to a node twice can claim billions of pages in a few bytes), at most PAGE_TREE_DEPTH_LIMIT
    deep, and no further than UPLOAD_MAX_PDF_PAGES leaves."""
    limit = settings.UPLOAD_MAX_PDF_PAGES
    root = reader.trailer["/Root"].get_object()
    seen = set()
    pages = 0
    stack = [(root.get("/Pages"), 0)]
    while stack:
        reference, depth = stack.pop()
        if isinstance(reference, IndirectObject):
            if (reference.idnum, reference.generation) in seen:
                raise _malformed()
            seen.add((reference.idnum, reference.generation))
        node = reference.get_object() if reference is not None else None
        if not isinstance(node, DictionaryObject):
            raise _malformed()
        if node.get("/Type") == "/Page" or "/Kids" not in node:
            pages += 1
            if pages > limit:
                raise ValidationError(f"PDF 文件超过 {limit} 页的上限，请拆分或删减后上传。", code="too_many_pages")
            continue
        kids = node["/Kids"].get_object()
        if not isinstance(kids, ArrayObject) or depth >= PAGE_TREE_DEPTH_LIMIT:
            raise _malformed()
        if len(seen) + len(stack) + len(kids) > 4 * limit + 64:  # far more nodes than pages could need
            raise _malformed()
        stack.extend((kid, depth + 1) for kid in reversed(kids))
    if pages == 0:
        raise ValidationError("PDF 文件没有页面。", code="empty")
    if len(reader.pages) != pages:
        raise _malformed()
    return pages


def _check_page_content(reader):
    """Decode every page's content streams (as the dossier's merge will), at most PAGE_CONTENT_LIMIT in all."""
    decoded = 0
    for page in reader.pages:
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else ArrayObject()
        if isinstance(contents, NullObject):  # a blank page
            continue
        for stream in contents if isinstance(contents, ArrayObject) else [contents]:
            stream = stream.get_object()
            if not isinstance(stream, StreamObject):
                raise _corrupt()
            decoded += len(stream.get_data())
            if decoded > PAGE_CONTENT_LIMIT:
                raise _bomb()


def has_active_content(reader):
    """Whether anything a viewer would run or open can be reached from the document: actions (links,
    JavaScript, automatic actions), embedded files, forms that submit, multimedia."""
    seen = set()
    budget = OBJECT_WALK_LIMIT
    stack = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        budget -= 1
        if budget < 0:
            raise ValidationError("PDF 文件结构过于复杂，无法完成安全检查，请重新导出或扫描后上传。", code="too_complex")
        if isinstance(item, DictionaryObject):  # stream dictionaries too; their data is not decoded
            if _is_active(item):
                return True
            stack.extend(value for name, value in item.items() if name not in NOT_FOLLOWED)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def _is_active(node):
    if ACTION_KEYS.intersection(node.keys()):
        return True
    if node.get("/Subtype") in ACTIVE_ANNOTATIONS or node.get("/S") in ACTION_TYPES:
        return True
    action = node.get("/A")
    return action is not None and isinstance(action.get_object(), DictionaryObject) and "/S" in action.get_object()


def _cleaned(reader, pages):
    """The document as pages only: no catalogue actions, outlines, names, forms or attachments; each
    page without its automatic actions, and with only the annotations that draw, stripped of actions."""
    writer = PdfWriter()
    for page in reader.pages:
        if "/AA" in page:
            del page["/AA"]
        annotations = page.get("/Annots")
        if annotations is not None:
            kept = ArrayObject()
            for reference in annotations.get_object():
                annotation = reference.get_object()
                if isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") in DRAWING_ANNOTATIONS:
                    for key in ("/A", "/AA", "/Parent", "/P", "/Popup", "/IRT"):
                        annotation.pop(key, None)
                    kept.append(reference)
            if kept:
                page[NameObject("/Annots")] = kept
            else:
                del page["/Annots"]
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    cleaned = buffer.getvalue()
    check = PdfReader(io.BytesIO(cleaned), strict=False)
    if page_count(check) != pages or has_active_content(check):
        raise ValidationError(
            "PDF 文件中的链接、脚本或嵌入文件无法安全移除，请用“打印为 PDF”重新生成后上传。", code="active_content"
        )
    return cleaned


def _replace(uploaded, data):
    """Write the cleaned PDF into the upload itself (memory or temporary file alike), so that storing the
    upload stores the cleaned file."""
    handle = uploaded.file
    handle.seek(0)
    handle.truncate()
    handle.write(data)
    handle.flush()
    handle.seek(0)
    uploaded.size = len(data)
    uploaded.cleaned = True


CLEANED_NOTE = "文件中的链接、脚本和嵌入文件已按安全要求移除，页面内容不变。"


def was_cleaned(uploaded):
    """Whether inspect() took links, scripts or embedded files out of this upload (the page tells the uploader)."""
    return getattr(uploaded, "cleaned", False)
