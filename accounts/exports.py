"""Cells for spreadsheet and CSV exports. Bottom layer: imports nothing of ours.

A cell whose text begins with = + - @ (or a tab or carriage return) is run as a formula when the
file is opened in Excel, WPS or LibreOffice: a typed ``=HYPERLINK("http://…","点击")`` becomes a
live link in an official export. Every exported text cell goes through ``safe_cell``, which puts a
``'`` in front of such text so that it is shown exactly as typed and never evaluated. The full-width
forms (＝ ＋ － ＠) are included: spreadsheets set up for Chinese input turn them into formulas too.

``write_xlsx`` writes the Excel exports of the lists (accounts/listing.py).
"""

import itertools
import math
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


def write_xlsx(target, title, headings, rows, about=()):
    """Write one sheet to ``target`` (a file object) in openpyxl's write-only mode; return the row count.

    ``headings``: (label, kind) per column; ``rows``: lists of values in that order, already made safe
    (safe_cell). Rows are streamed to a temporary file as they come, so memory does not grow with the
    export, except the first WIDTH_SAMPLE_ROWS, held back to fit the column widths. The heading row is
    bold, frozen and filterable, and repeats on every printed page; ``about`` ((label, value) pairs:
    exporter, time, filters) goes on a second sheet, 说明.
    """
    # Imported here: openpyxl is heavy and only exports need it.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE_REFUSED.sub("", title)[:31] or "Sheet1")
    kinds = [kind for _, kind in headings]
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    for index, (label, kind) in enumerate(headings, start=1):
        widths = [display_width(label) + 2]
        if kind in FORMATTED_WIDTHS:
            widths.append(FORMATTED_WIDTHS[kind])
        else:
            # A column unit is the width of a digit: capitals (credit codes) and other fonts than Calibri (LibreOffice,
            # WPS) are wider, so the text's width gets a tenth more and a margin.
            widths += [math.ceil(display_width(row[index - 1]) * 1.1) + 2 for row in sample if row[index - 1] is not None]
        sheet.column_dimensions[get_column_letter(index)].width = max(MIN_WIDTH, min(MAX_WIDTH, max(widths)))
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    bold = Font(bold=True)
    heading_cells = []
    for label, _ in headings:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font, cell.alignment = bold, Alignment(horizontal="center", vertical="center")
        heading_cells.append(cell)
    sheet.append(heading_cells)
    # One styled cell per formatted column, refilled for each row: append() writes a row out at once.
    formatted = {}
    for index, kind in enumerate(kinds):
        if kind in NUMBER_FORMATS:
            formatted[index] = WriteOnlyCell(sheet)
            formatted[index].number_format = NUMBER_FORMATS[kind]
    count = 0
    for row in itertools.chain(sample, rows):
        values = list(row)
        for index, cell in formatted.items():
            if values[index] is not None:
                cell.value = values[index]
                values[index] = cell
        sheet.append(values)
        count += 1
    if headings:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{count + 1}"

    notes = workbook.create_sheet("说明")
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 12, 80
    for label, value in [*about, ("行数", count)]:
        notes.append([label, safe_cell(value)])
    workbook.save(target)
    return count
