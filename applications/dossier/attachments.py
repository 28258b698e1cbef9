"""Uploaded 附件材料 made ready for the book: checked against the snapshot, opened, counted.

Each attachment becomes a list of PDF pages (an image becomes one page) or, when it cannot be
used, a reason that the book prints in its place and the render records as a warning.
"""

import io
import logging
from dataclasses import dataclass, field

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PasswordType, PdfReader

from ..attachment_files import Unavailable, read_verified, stored_name
from ..choices import AttachmentKind

logger = logging.getLogger(__name__)

# The seed's 附件材料 order: licences, patents, qualification proofs; then the rest.
KIND_ORDER = [
    AttachmentKind.LICENSE, AttachmentKind.PATENT, AttachmentKind.QUALIFICATION,
    AttachmentKind.FORMATION_AGREEMENT, AttachmentKind.AUTHORIZATION, AttachmentKind.SUPPLEMENTARY_AGREEMENT, AttachmentKind.OTHER,
]
IMAGE_MAX_PIXELS = 2480  # the long side of A4 at 300 dpi; larger scans are scaled down
IMAGE_DPI = 150


@dataclass
class PreparedAttachment:
    number: int
    kind: str
    kind_label: str
    title: str
    unit_name: str
    entry_id: int | None = None  # the attachment's id in the snapshot (a 授权书 is named by it)
    pages: list = field(default_factory=list)  # pypdf PageObjects, in order
    failure: str = ""

    @property
    def caption(self):
        return f"附件{self.number} {self.title}" + (f" — {self.unit_name}" if self.unit_name else "")

    @property
    def anchor(self):
        return f"att-{self.number}"

    @property
    def slot_ids(self):
        return [f"slot-{self.number}-{index}" for index in range(1, len(self.pages) + 1)]

    @property
    def warning(self):
        owner = f"（{self.unit_name}）" if self.unit_name else ""
        return f"附件{self.number}《{self.title}》{owner}未能编入申请书：{self.failure}"


class Unusable(Exception):
    """The file cannot go into the book; the message says why, in Chinese."""


def ordered(entries, unit_positions):
    kind_rank = {kind: rank for rank, kind in enumerate(KIND_ORDER)}
    return sorted(entries, key=lambda e: (
        kind_rank.get(e.get("kind"), len(KIND_ORDER)),
        unit_positions.get(e.get("unit_credit_code"), len(unit_positions) + 1),
        e.get("id") or 0,
    ))


def prepare(content):
    """The snapshot's attachments in book order, each opened or with the reason it could not be."""
    unit_positions = {m["unit"]["credit_code"]: n for n, m in enumerate(content.get("members", []))}
    entries = ordered(content.get("attachments", []), unit_positions)
    labels = dict(AttachmentKind.choices)
    prepared = []
    for number, entry in enumerate(entries, start=1):
        item = PreparedAttachment(
            number=number, kind=entry.get("kind", ""), kind_label=labels.get(entry.get("kind"), ""),
            title=entry.get("title") or labels.get(entry.get("kind")) or entry.get("original_name", ""),
            unit_name=entry.get("unit_name", ""), entry_id=entry.get("id"),
        )
        try:
            data = read_checked(entry, content["consortium"]["id"])
            item.pages = pages_of(data)
        except Unusable as reason:
            item.failure = str(reason)
        prepared.append(item)
    return prepared


def read_checked(entry, consortium_id):
    """The file's bytes, if it is still the one the snapshot recorded (see applications.attachment_files)."""
    try:
        return read_verified(stored_name(consortium_id, entry.get("id"), entry.get("sha256")), entry.get("sha256"))
    except Unavailable as reason:
        raise Unusable(str(reason)) from None


def pages_of(data):
    if b"%PDF-" in data[:1024]:
        return pdf_pages(data)
    return [image_page(data)]


def pdf_pages(data):
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise Unusable("文件已加密，需要密码才能打开。")
        pages = list(reader.pages)
        for page in pages:  # parse now, so that a damaged page fails here and not half-way through the merge
            _ = (page.rotation, page.cropbox.width, page.cropbox.height, page.get_contents())
            if float(page.cropbox.width) <= 0 or float(page.cropbox.height) <= 0:
                raise Unusable("文件中有尺寸为零的页面。")
    except Unusable:
        raise
    except Exception as error:  # untrusted upload: pypdf raises many kinds of errors on damaged files
        logger.info("attachment PDF unreadable: %s", error)
        if "encrypt" in str(error).lower() or "password" in str(error).lower():
            raise Unusable("文件已加密，无法读取。") from None
        raise Unusable("文件已损坏，无法读取。") from None
    if not pages:
        raise Unusable("文件中没有页面。")
    return pages


def image_page(data):
    """A scan or photo as one PDF page (upright, RGB, at most A4 at 300 dpi), for the same merge as PDFs."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
        image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise Unusable("文件格式不支持（仅支持 PDF、JPG、PNG），或图片已损坏。") from None
    except (OSError, ValueError, SyntaxError):
        raise Unusable("图片已损坏，无法读取。") from None
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flattened = Image.new("RGB", image.size, "white")
        flattened.paste(image, mask=image.getchannel("A"))
        image = flattened
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((IMAGE_MAX_PIXELS, IMAGE_MAX_PIXELS))
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=IMAGE_DPI, quality=88)
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
