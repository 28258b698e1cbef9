"""The dry run: every row of the workbook checked, each finding named by sheet and row, in Chinese.

Errors stop the import (a row the database could not hold, or would hold wrongly); warnings are the plan's rules a
consortium filed on paper did not meet (fewer than 4 members, a late report, two 不合格 in a row …): shown, not
refused — the record is what happened. Nothing here writes.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings

from accounts.models import Bureau
from accounts.roles import BureauKind
from applications.choices import LIVE_STATUSES, ProjectLevel, UnitKind
from applications.models import Consortium, IndustryField, Unit
from applications.validators import credit_code_problem, normalize_credit_code
from operations import clock

from .. import rules
from ..choices import SUPPORT_KIND_LEVELS, EvaluationBasis, Grade, SupportKind
from ..models import FiledImport, ImportStatus
from . import workbook

ERROR, WARNING = "错误", "提醒"
RECORD_NUMBER = re.compile(r"^镇创联备〔(\d{4})〕(\d{3,})号$")
FIRST_YEAR = 2023  # the work plan 镇科机〔2023〕104号
RESEARCH = (UnitKind.UNIVERSITY, UnitKind.INSTITUTE)
IMPORTED_BASES = {EvaluationBasis.EXPERTS.label: EvaluationBasis.EXPERTS, EvaluationBasis.THIRD_PARTY.label: EvaluationBasis.THIRD_PARTY,
                  "第三方评价": EvaluationBasis.THIRD_PARTY}


@dataclass
class Finding:
    sheet: str
    row: int  # 0: the workbook as a whole
    severity: str
    message: str

    def as_dict(self):
        return {"sheet": self.sheet, "row": self.row, "severity": self.severity, "message": self.message}


@dataclass
class Plan:
    """What the workbook would bring in, keyed by record number, and what the dry run found."""

    findings: list = field(default_factory=list)
    consortia: dict = field(default_factory=dict)  # record number → dict
    members: dict = field(default_factory=dict)  # record number → [dict]
    reports: dict = field(default_factory=dict)  # record number → {year: date submitted}
    grades: dict = field(default_factory=dict)  # record number → {year: dict}
    support: dict = field(default_factory=dict)  # record number → [dict]

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity == WARNING]

    def counts(self):
        return {"创新联合体": len(self.consortia), "成员单位": sum(map(len, self.members.values())),
                "年度报告": sum(map(len, self.reports.values())), "绩效评价": sum(map(len, self.grades.values())),
                "支持记录": sum(map(len, self.support.values()))}


class Rows:
    """One sheet's checks: each problem is recorded against its row; a row with an error is left out of the plan."""

    def __init__(self, plan, sheet):
        self.plan, self.sheet, self.row, self.failed = plan, sheet, 0, False

    def start(self, number):
        self.row, self.failed = number, False

    def error(self, message):
        self.plan.findings.append(Finding(self.sheet, self.row, ERROR, message))
        self.failed = True

    def warn(self, message):
        self.plan.findings.append(Finding(self.sheet, self.row, WARNING, message))

    def text(self, row, key, heading, required=True, limit=200):
        value = row.get(key)
        value = "" if value is None else str(value).strip()
        if required and not value:
            self.error(f"“{heading}”未填写。")
        elif len(value) > limit:
            self.error(f"“{heading}”最多 {limit} 字，当前 {len(value)} 字。")
        return value

    def day(self, row, key, heading, required=True):
        value = row.get(key)
        if value in (None, ""):
            if required:
                self.error(f"“{heading}”未填写。")
            return None
        if isinstance(value, datetime):  # an Excel date cell: a naive datetime at midnight, no time zone to convert
            value = date(value.year, value.month, value.day)
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value).strip().replace("/", "-").replace(".", "-"))
            except ValueError:
                self.error(f"“{heading}”“{row.get(key)}”不是有效日期，请写作 2024-05-01。")
                return None
        if value > clock.today():
            self.error(f"“{heading}”{value.isoformat()} 晚于今天。")
            return None
        return value

    def year(self, row, key, heading):
        value = row.get(key)
        try:
            year = int(str(value).strip().removesuffix("年")) if value not in (None, "") else None
        except ValueError:
            year = None
        if year is None or not FIRST_YEAR <= year <= clock.today().year:
            self.error(f"“{heading}”应为 {FIRST_YEAR} 至 {clock.today().year} 之间的年份，当前为“{value or ''}”。")
            return None
        return year

    def code(self, row, key, heading, required=True):
        raw = self.text(row, key, heading, required=required, limit=40)
        if not raw:
            return ""
        code = normalize_credit_code(raw)
        problem = credit_code_problem(code)
        if problem:
            self.error(f"{heading}“{raw}”：{problem}")
            return ""
        return code

    def choice(self, row, key, heading, labels):
        value = self.text(row, key, heading)
        if value and value not in labels:
            self.error(f"“{heading}”“{value}”不是可选值（{'、'.join(labels)}）。")
            return None
        return labels.get(value)


def sha256_of(content):
    return hashlib.sha256(content).hexdigest()


def check(content):
    """The plan of a workbook and what the dry run found, row by row."""
    plan = Plan()
    try:
        rows, missing = workbook.read(content)
    except workbook.UnreadableWorkbook as error:
        plan.findings.append(Finding("文件", 0, ERROR, str(error)))
        return plan
    for sheet, heading in missing:
        plan.findings.append(Finding(sheet, 1, ERROR, f"缺少标题为“{heading}”的列（请使用模板的标题行）。"))
    if missing:
        return plan
    sha256 = sha256_of(content)
    if FiledImport.objects.filter(sha256=sha256, status=ImportStatus.IMPORTED).exists():
        plan.findings.append(Finding("文件", 0, ERROR, f"该文件（SHA-256 {sha256[:16]}…）已导入过，不能重复导入。"))
    _consortia(plan, rows[workbook.CONSORTIA.name])
    if not plan.consortia and not plan.errors:
        plan.findings.append(Finding(workbook.CONSORTIA.name, 0, ERROR, "没有可导入的创新联合体：请在“创新联合体”工作表中自第二行起填写。"))
    _members(plan, rows[workbook.MEMBERS.name])
    _reports(plan, rows[workbook.REPORTS.name])
    _grades(plan, rows[workbook.GRADES.name])
    _support(plan, rows[workbook.SUPPORT.name])
    _consortium_rules(plan)
    plan.findings.sort(key=lambda f: ([s.name for s in workbook.SHEETS] + ["文件"]).index(f.sheet) if f.sheet != "文件" else -1)
    return plan


def _consortia(plan, rows):
    check = Rows(plan, workbook.CONSORTIA.name)
    fields = {f.name: f for f in IndustryField.objects.all()}
    districts = {b.district: b for b in Bureau.objects.filter(kind=BureauKind.DISTRICT)}
    taken = set(Consortium.objects.filter(record_number__isnull=False).values_list("record_number", flat=True))
    leading = {code: name for code, name in Consortium.objects.filter(status__in=LIVE_STATUSES)
               .values_list("lead_unit__credit_code", "name")}
    leads = {}
    for number, row in rows:
        check.start(number)
        record_number = _record_number(check, row, taken, plan.consortia)
        filed_on = check.day(row, "filed_on", "备案日期")
        name = check.text(row, "name", "创新联合体名称", limit=128)
        field_name = check.text(row, "industry_field", "产业领域", limit=64)
        if field_name and field_name not in fields:
            check.error(f"产业领域“{field_name}”不在产业领域名录中（{'、'.join(fields)}）。")
        lead_name = check.text(row, "lead_name", "牵头单位名称", limit=128)
        lead_code = check.code(row, "lead_code", "牵头单位统一社会信用代码")
        district = check.text(row, "district", "牵头单位所在辖区", limit=32)
        if district and district not in districts:
            check.error(f"辖区“{district}”不是镇江市的辖市区（{'、'.join(districts)}）。")
        if lead_code in leading:
            check.error(f"牵头单位（{lead_code}）已牵头“{leading[lead_code]}”，一家牵头单位只能牵头一个创新联合体。")
        elif lead_code in leads:
            check.error(f"牵头单位（{lead_code}）在本表第 {leads[lead_code]} 行已牵头另一个创新联合体。")
        if record_number and filed_on:
            if int(RECORD_NUMBER.match(record_number).group(1)) != filed_on.year:
                check.warn(f"备案编号的年份与备案日期（{filed_on.isoformat()}）的年份不同。")
            if filed_on < date(FIRST_YEAR, 1, 1):
                check.warn(f"备案日期 {filed_on.isoformat()} 早于《工作方案》（2023 年）。")
        _unit_name_differs(check, lead_code, lead_name)
        if not check.failed:
            leads[lead_code] = number
            plan.consortia[record_number] = {
                "row": number, "record_number": record_number, "filed_on": filed_on, "name": name, "industry_field": fields[field_name],
                "lead_name": lead_name, "lead_code": lead_code, "bureau": districts[district],
                "chief_scientist": check.text(row, "chief_scientist", "首席专家", required=False, limit=64),
            }


def _record_number(check, row, taken, seen):
    value = check.text(row, "record_number", "备案编号", limit=32)
    if not value:
        return ""
    if not RECORD_NUMBER.match(value):
        check.error(f"备案编号“{value}”格式不对，应为 镇创联备〔年份〕序号号，如 镇创联备〔2023〕001号。")
        return ""
    if value in taken:
        check.error(f"备案编号“{value}”已被门户中的创新联合体使用。")
    elif value in seen:
        check.error(f"备案编号“{value}”与本表第 {seen[value]['row']} 行重复。")
    return value


def _unit_name_differs(check, code, name):
    if code and name:
        known = Unit.objects.filter(credit_code=code).values_list("name", flat=True).first()
        if known and known != name:
            check.warn(f"统一社会信用代码 {code} 在单位名录中的名称为“{known}”，导入后名录保持原名称，本联合体按所填名称列示。")


def _consortium_of(check, plan, row):
    record_number = check.text(row, "record_number", "备案编号", limit=32)
    if record_number and record_number not in plan.consortia:
        check.error(f"备案编号“{record_number}”不在“创新联合体”工作表中（或该行有错误）。")
        return None
    return plan.consortia.get(record_number)


def _members(plan, rows):
    check = Rows(plan, workbook.MEMBERS.name)
    kinds = {label: value for value, label in UnitKind.choices}
    for number, row in rows:
        check.start(number)
        consortium = _consortium_of(check, plan, row)
        name = check.text(row, "name", "单位名称", limit=128)
        code = check.code(row, "credit_code", "统一社会信用代码")
        kind = check.choice(row, "kind", "单位类型", kinds)
        joined_on = check.day(row, "joined_on", "加入日期", required=False)
        listed = plan.members.setdefault(consortium["record_number"], []) if consortium else []
        if consortium and code == consortium["lead_code"]:
            check.error("该单位是牵头单位，已在“创新联合体”工作表中填写，不必再列为成员单位。")
        elif code and any(m["credit_code"] == code for m in listed):
            check.error(f"统一社会信用代码 {code} 在该创新联合体中重复列出。")
        if consortium and joined_on and joined_on < consortium["filed_on"]:
            check.warn(f"加入日期 {joined_on.isoformat()} 早于备案日期，按自组建起列示。")
            joined_on = None
        _unit_name_differs(check, code, name)
        if not check.failed and consortium:
            listed.append({"row": number, "name": name, "credit_code": code, "kind": kind, "joined_on": joined_on,
                           "task_division": check.text(row, "task_division", "任务分工", required=False),
                           "sales_revenue": _amount(check, row, "sales_revenue", "近一年销售收入（万元）", required=False),
                           "rd_spend": _amount(check, row, "rd_spend", "近一年研发投入（万元）", required=False)})


def _reports(plan, rows):
    check = Rows(plan, workbook.REPORTS.name)
    for number, row in rows:
        check.start(number)
        consortium = _consortium_of(check, plan, row)
        year = check.year(row, "year", "年度")
        submitted_on = check.day(row, "submitted_on", "报送日期")
        reports = plan.reports.setdefault(consortium["record_number"], {}) if consortium else {}
        if year in reports:
            check.error(f"{year} 年度报告在本表中重复。")
        if consortium and year:
            first = rules.first_report_year(consortium["filed_on"])
            if year < first:
                check.error(f"{consortium['filed_on'].isoformat()} 备案的创新联合体自 {first} 年度起报送年度报告，不应有 {year} 年度报告。")
            if submitted_on and submitted_on < date(year, 1, 1):
                check.error(f"报送日期 {submitted_on.isoformat()} 早于 {year} 年度开始。")
            elif submitted_on and submitted_on > rules.report_due_on(year):
                check.warn(f"{year} 年度报告于 {submitted_on.isoformat()} 报送，晚于 {rules.report_due_on(year).isoformat()}（逾期报送）。")
        if not check.failed and consortium:
            reports[year] = submitted_on


def _grades(plan, rows):
    check = Rows(plan, workbook.GRADES.name)
    grades_by_label = {label: value for value, label in Grade.choices}
    for number, row in rows:
        check.start(number)
        consortium = _consortium_of(check, plan, row)
        year = check.year(row, "year", "评价年度")
        grade = check.choice(row, "grade", "评价结果", grades_by_label)
        basis = check.choice(row, "basis", "评价依据", IMPORTED_BASES)
        decided_on = check.day(row, "decided_on", "评价日期")
        institution = check.text(row, "institution", "第三方评价机构", required=False)
        if basis == EvaluationBasis.THIRD_PARTY and not institution:
            check.error("评价依据为第三方评价报告时，请填写第三方评价机构。")
        graded = plan.grades.setdefault(consortium["record_number"], {}) if consortium else {}
        if year in graded:
            check.error(f"{year} 年度的评价在本表中重复。")
        if consortium and year and year < rules.first_report_year(consortium["filed_on"]):
            check.error(f"{consortium['filed_on'].isoformat()} 备案的创新联合体自 {rules.first_report_year(consortium['filed_on'])} 年度起评价。")
        if year and decided_on and decided_on.year < year:
            check.error(f"评价日期 {decided_on.isoformat()} 早于评价年度 {year} 年。")
        if not check.failed and consortium:
            graded[year] = {"row": number, "grade": grade, "basis": basis, "decided_on": decided_on, "institution": institution,
                            "opinion": check.text(row, "opinion", "评价意见", required=False, limit=2000)}


def _support(plan, rows):
    check = Rows(plan, workbook.SUPPORT.name)
    kinds = {label: value for value, label in SupportKind.choices}
    levels = {label: value for value, label in ProjectLevel.choices}
    for number, row in rows:
        check.start(number)
        consortium = _consortium_of(check, plan, row)
        year = check.year(row, "year", "年度")
        kind = check.choice(row, "kind", "支持类别", kinds)
        level = check.choice(row, "level", "级别", levels)
        amount = _amount(check, row)
        granting_body = check.text(row, "granting_body", "支持部门", limit=100)
        unit_code = check.code(row, "unit_code", "受支持单位统一社会信用代码", required=False)
        for ok, reason in (rules.kind_level_valid(kind, level, SUPPORT_KIND_LEVELS) if kind and level else (True, ""),
                           rules.within_funding_cap(kind, amount) if kind else (True, "")):
            if not ok:
                check.error(reason)
        if consortium and unit_code and unit_code != consortium["lead_code"] and unit_code not in {
                m["credit_code"] for m in plan.members.get(consortium["record_number"], [])}:
            check.error(f"受支持单位（{unit_code}）不是该创新联合体的牵头或成员单位。")
        if consortium and year and year < consortium["filed_on"].year:
            check.warn(f"支持年度 {year} 早于备案年度 {consortium['filed_on'].year}。")
        if not check.failed and consortium:
            plan.support.setdefault(consortium["record_number"], []).append({
                "row": number, "year": year, "kind": kind, "level": level, "amount": amount, "granting_body": granting_body,
                "unit_code": unit_code, "note": check.text(row, "note", "说明", required=False)})


def _amount(check, row, key="amount", heading="金额（万元）", required=True):
    value = row.get(key)
    if value in (None, "") and not required:
        return None
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01")) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or amount < 0 or amount >= Decimal("10000000000"):
        check.error(f"“{heading}”应为不小于 0 的数字（万元），当前为“{value or ''}”。")
        return None
    return amount


def _consortium_rules(plan):
    """The plan's rules a consortium filed on paper may not have met: warnings on its row of the first sheet."""
    minimum = settings.CONSORTIUM_MIN_MEMBERS
    for record_number, consortium in plan.consortia.items():
        check = Rows(plan, workbook.CONSORTIA.name)
        check.start(consortium["row"])
        members = plan.members.get(record_number, [])
        if len(members) < minimum:
            check.warn(f"“{consortium['name']}”列出成员单位 {len(members)} 家，少于《工作方案》原则上的 {minimum} 家。")
        if not any(m["kind"] in RESEARCH for m in members):
            check.warn(f"“{consortium['name']}”的成员单位中没有高校或科研院所。")
        graded = sorted((year, g["grade"]) for year, g in plan.grades.get(record_number, {}).items())
        pair = rules.consecutive_unqualified(graded)
        if pair:
            check.warn(f"“{consortium['name']}”{pair[0]}、{pair[1]} 年度连续 2 次评价为“不合格”，导入后应由市科技局作出取消资格决定。")
        reports = plan.reports.get(record_number, {})
        for year, grade in plan.grades.get(record_number, {}).items():
            if year not in reports:
                check.warn(f"“{consortium['name']}”{year} 年度有评价而无年度报告，按“逾期未报送”列示。")
