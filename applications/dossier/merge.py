"""PDF work after layout: attachment pages placed into their slots, and the three-copy print file.

The book is laid out by WeasyPrint with an empty slot for every attachment page; each slot page
already carries the caption, the page number, the footer with the verification code and the
watermark. The attachment page is scaled into the slot and drawn *under* that page, so the
watermark stays on top of a scan and nothing covers the page number.
"""

import io

from pypdf import PdfReader, PdfWriter, Transformation

CSS_PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (1/96 in); PDF user space is points (1/72 in)


def slot_boxes(document):
    """{slot id: (page index, (left, bottom, width, height) in PDF points)} from the laid-out book."""
    boxes = {}
    for index, page in enumerate(document.pages):
        page_height = page.height * CSS_PX_TO_PT
        for anchor, (x0, y0, x1, y1) in page.anchors.items():
            if anchor.startswith("slot-"):
                left, top = x0 * CSS_PX_TO_PT, page_height - y0 * CSS_PX_TO_PT
                width, height = (x1 - x0) * CSS_PX_TO_PT, (y1 - y0) * CSS_PX_TO_PT
                boxes[anchor] = (index, (left, top - height, width, height))
    return boxes


def fit(source_page, box):
    """The transformation that turns a page upright (its /Rotate) and scales it into the box,
    centred across and aligned to the top."""
    left, bottom, width, height = box
    crop = source_page.cropbox
    upright = Transformation().rotate(-(source_page.rotation % 360))
    corners = [upright.apply_on((float(x), float(y))) for x in (crop.left, crop.right) for y in (crop.bottom, crop.top)]
    min_x, min_y = min(x for x, _ in corners), min(y for _, y in corners)
    shown_width = max(x for x, _ in corners) - min_x
    shown_height = max(y for _, y in corners) - min_y
    scale = min(width / shown_width, height / shown_height)
    dx = left + (width - shown_width * scale) / 2 - min_x * scale
    dy = bottom + height - shown_height * scale - min_y * scale
    return upright.scale(scale, scale).translate(dx, dy)


def place_attachments(book_pdf, boxes, attachments):
    """The book with every attachment page drawn into its slot; the outline and links are kept."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(book_pdf)))
    for attachment in attachments:
        for slot, source_page in zip(attachment.slot_ids, attachment.pages):
            index, box = boxes[slot]
            writer.pages[index].merge_transformed_page(source_page, fit(source_page, box), over=False)
    return _bytes(writer)


def three_copies(book_pdf, labels_pdf, copies):
    """One print file of ``copies`` books: 第N份 on each cover, each copy starting on a recto.

    A copy with an odd number of pages gets the cover's blank verso once more at its end, so the
    next cover falls on a new sheet.
    """
    writer = PdfWriter()
    labels = PdfReader(io.BytesIO(labels_pdf))
    for number in range(copies):
        book = PdfReader(io.BytesIO(book_pdf))  # a reader per copy: each copy gets its own page objects
        start = len(writer.pages)
        writer.append(book, outline_item=f"第{number + 1}份")
        writer.pages[start].merge_page(labels.pages[number])
        if len(book.pages) % 2:
            writer.append(PdfReader(io.BytesIO(book_pdf)), pages=[1], import_outline=False)
    return _bytes(writer)


def _bytes(writer):
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
