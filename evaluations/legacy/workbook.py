"""The workbook of consortia filed before the portal: one sheet per kind, its headings, the template, the reading.

A sheet is read by its headings (columns may be in any order; extra columns are ignored); every row keeps its row
number so that the dry run can name it. Values stay as openpyxl read them (a date cell is a datetime, a typed date a
string): checks.py reads them.
"""

import io
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple  # (key, heading, required)
    example: tuple  # one example row, in column order

    def headings(self):
        return [heading for _, heading, _ in self.columns]


CONSORTIA = Sheet("创新联合体", (
    ("record_number", "备案编号", True), ("filed_on", "备案日期", True), ("name", "创新联合体名称", True),
    ("industry_field", "产业领域", True), ("lead_name", "牵头单位名称", True), ("lead_code", "牵头单位统一社会信用代码", True),
    ("district", "牵头单位所在辖区", True), ("chief_scientist", "首席专家", False),
), ("镇创联备〔2023〕001号", "2023-06-30", "镇江智能电网装备（智能电气）创新联合体", "智能电气", "江苏示例电气股份有限公司",
    "91321100MA1P2Q3R4A", "京口区", "张三"))
MEMBERS = Sheet("成员单位", (
    ("record_number", "备案编号", True), ("name", "单位名称", True), ("credit_code", "统一社会信用代码", True),
    ("kind", "单位类型", True), ("joined_on", "加入日期", False), ("task_division", "任务分工", False),
    ("sales_revenue", "近一年销售收入（万元）", False), ("rd_spend", "近一年研发投入（万元）", False),
), ("镇创联备〔2023〕001号", "江苏大学", "12320000466007263H", "高校", "", "基础研究与人才培养", "", ""))
REPORTS = Sheet("年度报告", (
    ("record_number", "备案编号", True), ("year", "年度", True), ("submitted_on", "报送日期", True),
), ("镇创联备〔2023〕001号", 2023, "2023-12-20"))
GRADES = Sheet("绩效评价", (
    ("record_number", "备案编号", True), ("year", "评价年度", True), ("grade", "评价结果", True), ("basis", "评价依据", True),
    ("decided_on", "评价日期", True), ("institution", "第三方评价机构", False), ("opinion", "评价意见", False),
), ("镇创联备〔2023〕001号", 2023, "合格", "专家评分", "2024-03-15", "", "年度目标基本完成。"))
SUPPORT = Sheet("支持记录", (
    ("record_number", "备案编号", True), ("year", "年度", True), ("kind", "支持类别", True), ("level", "级别", True),
    ("amount", "金额（万元）", True), ("granting_body", "支持部门", True), ("unit_code", "受支持单位统一社会信用代码", False),
    ("note", "说明", False),
), ("镇创联备〔2023〕001号", 2024, "市级重点项目", "市级", 150, "镇江市科学技术局", "", "“项目+课题”重点项目"))

SHEETS = (CONSORTIA, MEMBERS, REPORTS, GRADES, SUPPORT)

ABOUT = [
    "镇江市创新联合体历史备案导入模板：每类内容一个工作表，第一行为标题（请勿修改标题文字），自第二行起每行一条；示例行请删除后填写。",
    "备案编号格式：镇创联备〔年份〕序号号，如 镇创联备〔2023〕001号；同一编号在“成员单位”“年度报告”“绩效评价”“支持记录”中用于关联创新联合体。",
    "日期写作 2024-05-01（或 Excel 日期格式）；统一社会信用代码 18 位；金额单位为万元。",
    "单位类型：企业、高校、科研院所、其他。评价结果：优秀、合格、不合格。评价依据：专家评分、第三方评价报告。",
    "支持类别：市级重点项目、揭榜挂帅、省级以上计划、创新券（省/市）、仪器共享补贴、市区资助、平台建设、其他；级别：国家级、省级、市级、区县级。",
    "上传后先检查（不写入任何数据），逐行列出错误和提醒；没有错误时方可确认导入，全部内容在一个事务中导入。",
]


def template():
    """The template .xlsx: each sheet's headings and one example row, and a 说明 sheet."""
    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        page = book.create_sheet(sheet.name)
        page.append(sheet.headings())
        page.append(list(sheet.example))
        for cell in page[1]:
            cell.font = Font(bold=True)
        for index, heading in enumerate(sheet.headings(), start=1):
            page.column_dimensions[page.cell(1, index).column_letter].width = max(12, len(heading) * 2 + 4)
        page.freeze_panes = "A2"
    about = book.create_sheet("说明")
    for line in ABOUT:
        about.append([line])
    about.column_dimensions["A"].width = 120
    target = io.BytesIO()
    book.save(target)
    return target.getvalue()


def write(rows):
    """A workbook of ``rows`` ({sheet name: [{key: value}]}) under the template's headings (the demo data, the tests)."""
    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        page = book.create_sheet(sheet.name)
        page.append(sheet.headings())
        for row in rows.get(sheet.name, []):
            page.append([row.get(key) for key, _, _ in sheet.columns])
    target = io.BytesIO()
    book.save(target)
    return target.getvalue()


class UnreadableWorkbook(Exception):
    pass


def read(content):
    """{sheet name: [(row number, {key: value})]} of the sheets found, and [(sheet, heading)] of required headings
    missing. Blank rows are skipped."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as error:
        raise UnreadableWorkbook("无法读取该文件：请上传 Excel 工作簿（.xlsx），可先下载模板填写。") from error
    try:
        rows, missing = {}, []
        for sheet in SHEETS:
            if sheet.name not in book.sheetnames:
                rows[sheet.name] = []
                continue
            rows[sheet.name], absent = _read_sheet(book[sheet.name], sheet)
            missing += [(sheet.name, heading) for heading in absent]
        return rows, missing
    finally:
        book.close()


def _read_sheet(page, sheet):
    found = page.iter_rows(values_only=True)
    headings = [str(value).strip() if value is not None else "" for value in next(found, ())]
    where = {heading: index for index, heading in enumerate(headings)}
    absent = [heading for _, heading, required in sheet.columns if required and heading not in where]
    rows = []
    for number, values in enumerate(found, start=2):
        row = {key: _cell(values, where.get(heading)) for key, heading, _ in sheet.columns}
        if any(value not in (None, "") for value in row.values()):
            rows.append((number, row))
    return rows, absent


def _cell(values, index):
    if index is None or index >= len(values):
        return None
    value = values[index]
    return value.strip() if isinstance(value, str) else value
