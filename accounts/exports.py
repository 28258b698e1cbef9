"""Cells for spreadsheet and CSV exports. Bottom layer: imports nothing of ours.

A cell whose text begins with = + - @ (or a tab or carriage return) is run as a formula when the
file is opened in Excel, WPS or LibreOffice: a typed ``=HYPERLINK("http://…","点击")`` becomes a
live link in an official export. Every exported text cell goes through ``safe_cell``, which puts a
``'`` in front of such text so that it is shown exactly as typed and never evaluated. The full-width
forms (＝ ＋ － ＠) are included: spreadsheets set up for Chinese input turn them into formulas too.

accounts/xlsx.py writes the Excel exports of the lists (accounts/listing.py) with what is below.
"""

import re
import unicodedata
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value):
    """The value to write into a cell: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values):
    return [safe_cell(value) for value in values]


# --- Excel (.xlsx) -------------------------------------------------------------------------------------
# What a column holds, so that the spreadsheet keeps dates as dates and money as numbers.
TEXT, DATE, DATETIME, MONEY, INTEGER = "text", "date", "datetime", "money", "integer"
NUMBER_FORMATS = {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm", MONEY: "#,##0.00", INTEGER: "0"}
FORMATTED_WIDTHS = {DATE: 11, DATETIME: 17}
# Column widths are fitted to the heading and the first rows; a long text column stops at this width.
WIDTH_SAMPLE_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 6, 60
# Characters a sheet's name may not hold (Excel's rule, which openpyxl enforces); its length is 31 at most.
SHEET_TITLE_REFUSED = re.compile(r"[\[\]:*?/\\]")


def display_width(value):
    """Characters as a spreadsheet lays them out: a Chinese character is two columns wide."""
    text = value if isinstance(value, str) else f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
