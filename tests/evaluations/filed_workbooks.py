"""Workbooks of consortia filed before the portal, written in the tests (openpyxl), by the template's headings."""

import io

from openpyxl import Workbook

from evaluations.legacy import workbook as layout
from tests import factories


def xlsx(**sheets):
    """sheets: consortia=[{key: value}], members=…, reports=…, grades=…, support=… (keys of evaluations.legacy.workbook)."""
    book = Workbook()
    book.remove(book.active)
    for sheet, key in ((layout.CONSORTIA, "consortia"), (layout.MEMBERS, "members"), (layout.REPORTS, "reports"),
                       (layout.GRADES, "grades"), (layout.SUPPORT, "support")):
        page = book.create_sheet(sheet.name)
        page.append(sheet.headings())
        for row in sheets.get(key, []):
            page.append([row.get(column) for column, _, _ in sheet.columns])
    target = io.BytesIO()
    book.save(target)
    return target.getvalue()


def code():
    return factories.credit_code()
