"""Files to upload and POST bodies for the pages of the 申请书 editor."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from applications.choices import CHARTER_SECTIONS


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 56), "white").save(buffer, "PNG")
    return buffer.getvalue()


PNG = png_bytes()


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name="证书.png", content=PNG, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def member_post(rows, lock_version, lead=None):
    data = {"lock_version": str(lock_version), **management("members", len(rows))}
    lead = lead or {"task_division": "总体设计", "duties": "组织协调", "sales_revenue": "1000.00", "rd_spend": "100.00"}
    data.update({f"lead-{k}": v for k, v in lead.items()})
    for i, row in enumerate(rows):
        data.update({f"members-{i}-{k}": v for k, v in row.items()})
    return data


def member_row(name, code, kind="enterprise", **fields):
    row = {"unit_name": name, "credit_code": code, "unit_kind": kind, "task_division": "联合攻关",
           "duties": "承担子课题", "sales_revenue": "500.00" if kind == "enterprise" else "",
           "rd_spend": "50.00" if kind == "enterprise" else ""}
    row.update(fields)
    return row


def charter(other_terms="", **sections):
    """The 章程 part's data as its writer takes it: the eight sections (blank unless given), other terms, no signatures."""
    return {"sections": {name: sections.get(name, "") for name, _ in CHARTER_SECTIONS}, "charter_text": other_terms, "signatures": {}}
