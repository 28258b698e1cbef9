"""Cells for spreadsheet and CSV exports. Bottom layer: imports nothing of ours.

A cell whose text begins with = + - @ (or a tab or carriage return) is run as a formula when the
file is opened in Excel, WPS or LibreOffice: a typed ``=HYPERLINK("http://…","点击")`` becomes a
live link in an official export. Every exported text cell goes through ``safe_cell``, which puts a
``'`` in front of such text so that it is shown exactly as typed and never evaluated. The full-width
forms (＝ ＋ － ＠) are included: spreadsheets set up for Chinese input turn them into formulas too.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value):
    """The value to write into a cell: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values):
    return [safe_cell(value) for value in values]
