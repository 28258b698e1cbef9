"""An .xlsx written as it is sent: the lists' Excel exports streamed to the browser, row after row.

openpyxl's write-only mode still keeps the whole sheet in a temporary file and builds the zip at the end, and it
makes a cell object per value. Here the workbook's few fixed parts are constants and the sheet is XML written from
the rows directly into a zip whose bytes are handed out as they are made (zipfile writes to a stream that cannot
seek). What the file holds is what openpyxl made before (tests/dashboards/test_exports.py reads it with openpyxl):
the heading row bold, frozen, filterable and repeated on printed pages, landscape and a page wide, dates and money
as numbers with their formats, column widths fitted to the heading and the first rows, and a second sheet, 说明.
"""

import itertools
import math
import re
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone

from operations import clock

from .exports import (
    DATE,
    DATETIME,
    FORMATTED_WIDTHS,
    INTEGER,
    MAX_WIDTH,
    MIN_WIDTH,
    MONEY,
    SHEET_TITLE_REFUSED,
    WIDTH_SAMPLE_ROWS,
    display_width,
    safe_cell,
)

# Styles (cellXfs below): 1 the bold centred heading, then one per number format.
STYLE = {DATE: 2, DATETIME: 3, MONEY: 4, INTEGER: 5}
# Characters XML 1.0 cannot hold at all (a control character pasted into a text): left out of the cell.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EPOCH = datetime(1899, 12, 30)
EPOCH_DAY = date(1899, 12, 30)
CHUNK_BYTES = 64 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
PACKAGE_RELATIONS = HEAD + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELATIONS = HEAD + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONS}/worksheet" Target="worksheets/sheet2.xml"/>'
    f'<Relationship Id="rId3" Type="{RELATIONS}/styles" Target="styles.xml"/></Relationships>'
)
_NUMBER_XF = '<xf numFmtId="{}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
STYLES = HEAD + (
    f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center" vertical="center"/></xf>'
    + "".join(_NUMBER_XF.format(number) for number in (164, 165, 4, 1))
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def column_letter(index):
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _serial(value):
    """A date or time as Excel's day number (days since 1899-12-30; the time as a fraction)."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = clock.localtime(value).replace(tzinfo=None)
        delta = value - EPOCH
        return f"{delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000:.10g}"
    return str((value - EPOCH_DAY).days)


def _cell(value, style=""):
    """One <c> (no reference: Excel, WPS, LibreOffice and openpyxl place cells in order)."""
    if value is None or value == "":
        return "<c/>"  # an empty cell keeps its place: the cells carry no reference
    if isinstance(value, bool):
        return f'<c t="b"{style}><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f"<c{style}><v>{value}</v></c>"
    if isinstance(value, (date, datetime)):
        return f"<c{style}><v>{_serial(value)}</v></c>"
    if isinstance(value, time):
        value = value.isoformat()
    text = NOT_XML.sub("", str(value))
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _widths(headings, sample):
    """Each column's width, fitted as before: the heading and the sample's values, a tenth more."""
    widths = []
    for index, (label, kind) in enumerate(headings):
        found = [display_width(label) + 2]
        if kind in FORMATTED_WIDTHS:
            found.append(FORMATTED_WIDTHS[kind])
        else:
            found += [math.ceil(display_width(row[index]) * 1.1) + 2 for row in sample if row[index] is not None]
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, max(found))))
    return widths


class _Pipe:
    """What zipfile writes to: kept until taken (zipfile sees a stream it cannot seek, so it writes sizes after data)."""

    def __init__(self):
        self.parts, self.size, self.offset = [], 0, 0

    def write(self, data):
        self.parts.append(bytes(data))
        self.size += len(data)
        self.offset += len(data)
        return len(data)

    def tell(self):
        return self.offset

    def flush(self):
        pass

    def take(self):
        data, self.parts, self.size = b"".join(self.parts), [], 0
        return data


def stream_xlsx(title, headings, rows, about=(), counted=None):
    """The .xlsx of ``rows`` (lists of values in the order of ``headings``: (label, kind) pairs, already made safe),
    as bytes given out as they are written. ``counted`` (a list) receives the row count at the end."""
    sheet_name = SHEET_TITLE_REFUSED.sub("", title)[:31] or "Sheet1"
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    styles = [f' s="{STYLE[kind]}"' if kind in STYLE else "" for _label, kind in headings]
    pipe = _Pipe()
    archive = zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELATIONS),
                       ("xl/_rels/workbook.xml.rels", WORKBOOK_RELATIONS), ("xl/styles.xml", STYLES)):
        archive.writestr(name, text)
    count = 0
    with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
        columns = "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                          for n, width in enumerate(_widths(headings, sample), start=1))
        heading = "".join(_cell(label, ' s="1"') for label, _kind in headings)
        sheet.write((
            f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            f'</sheetView></sheetViews>{"<cols>" + columns + "</cols>" if columns else ""}<sheetData><row r="1">{heading}</row>'
        ).encode())
        lines = []
        for row in itertools.chain(sample, rows):
            count += 1
            lines.append(f'<row r="{count + 1}">{"".join(_cell(value, style) for value, style in zip(row, styles))}</row>')
            if len(lines) == 200:
                sheet.write("".join(lines).encode())
                lines = []
                if pipe.size >= CHUNK_BYTES:
                    yield pipe.take()
        last = column_letter(len(headings)) if headings else "A"
        sheet.write(("".join(lines) + "</sheetData>" + (f'<autoFilter ref="A1:{last}{count + 1}"/>' if headings else "")
                     + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
                     '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>').encode())
    notes = "".join(f'<row r="{n}">{_cell(label)}{_cell(safe_cell(value))}</row>' for n, (label, value) in enumerate([*about, ("行数", count)], start=1))
    archive.writestr("xl/worksheets/sheet2.xml", (
        f'{HEAD}<worksheet xmlns="{MAIN}"><cols><col min="1" max="1" width="12" customWidth="1"/>'
        f'<col min="2" max="2" width="80" customWidth="1"/></cols><sheetData>{notes}</sheetData></worksheet>'
    ))
    quoted = sheet_name.replace("'", "''")
    defined = (f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">\'{escape(quoted)}\'!$A$1:${last}${count + 1}</definedName>'
               f'<definedName name="_xlnm.Print_Titles" localSheetId="0">\'{escape(quoted)}\'!$1:$1</definedName></definedNames>') if headings else ""
    archive.writestr("xl/workbook.xml", (
        f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}"><sheets>'
        f'<sheet name="{escape(sheet_name, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/><sheet name="说明" sheetId="2" r:id="rId2"/></sheets>'
        f"{defined}</workbook>"
    ))
    archive.close()
    if counted is not None:
        counted.append(count)
    yield pipe.take()
