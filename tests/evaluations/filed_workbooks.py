"""Workbooks of consortia filed before the portal, written in the tests, by the template's headings."""

from evaluations.legacy import workbook as layout
from tests import factories


def xlsx(**sheets):
    """sheets: consortia=[{key: value}], members=…, reports=…, grades=…, support=… (keys of evaluations.legacy.workbook)."""
    names = {"consortia": layout.CONSORTIA, "members": layout.MEMBERS, "reports": layout.REPORTS, "grades": layout.GRADES,
             "support": layout.SUPPORT}
    return layout.write({names[key].name: rows for key, rows in sheets.items()})


def code():
    return factories.credit_code()
