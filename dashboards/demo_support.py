"""Demo data of §五 support and of the consortia filed before the portal (issue 21.4, 21.5): support of every kind
the plan names, and one consortium brought in from a workbook. Idempotent, like the rest of the demo."""

from decimal import Decimal

from applications.models import Consortium, Unit
from applications.validators import credit_code_check_char
from evaluations.legacy import services as legacy_services
from evaluations.legacy import workbook
from evaluations.models import ImportedConsortium, SupportRecord
from evaluations.support import services as support_services

from .demo_history import at, today, years_ago

# The projects the demo's consortia carry already give 市级重点项目, 揭榜挂帅 and 省级以上计划; these add the rest.
SUPPORT = [
    # kind, level, amount, years ago, granting body, member unit (credit code) or None, note; who records it
    ("innovation_voucher", "provincial", "18.00", 2, "江苏省科学技术厅", "121000004660070001", "省创新券：委托江苏大学检测服务", "city"),
    ("innovation_voucher", "municipal", "9.50", 1, "镇江市科学技术局", None, "市创新券：大型科学仪器共享平台使用", "city"),
    ("instrument_sharing", "municipal", "6.00", 1, "镇江市科学技术局", None, "开放大型科学仪器共享服务补贴", "city"),
    ("district_funding", "district", "50.00", 1, "镇江高新区科发局", None, "协同攻关项目配套资助", "district"),
    ("platform", "provincial", "100.00", 2, "江苏省科学技术厅", None, "省级重点实验室建设", "city"),
    ("other", "municipal", "20.00", 0, "镇江市科学技术局", None, "产学研合作活动经费", "city"),
]


def support_of_every_kind(users, district_reviewer):
    """On 航空航天复合材料创新联合体 (hangyu, 镇江高新区): the kinds its projects do not already bring."""
    consortium = Consortium.objects.filter(lead_unit__accounts__username="hangyu", record_number__isnull=False).first()
    if consortium is None or SupportRecord.objects.filter(consortium=consortium, from_project=False).exists():
        return
    for kind, level, amount, years, body, unit_code, note, who in SUPPORT:
        actor = district_reviewer("镇江高新区") if who == "district" else users["shikeji"]
        with at(years_ago(years, 3, 15) if years else today()):
            support_services.record_support(consortium.pk, actor, {
                "kind": kind, "level": level, "amount": Decimal(amount), "year": today().year - years, "granting_body": body,
                "unit": Unit.objects.filter(credit_code=unit_code).first() if unit_code else None, "project": None, "note": note})


def _code(first17):
    return first17 + credit_code_check_char(first17)


def imported_consortium(users):
    """One consortium filed on paper before the portal, brought in by the system administrator from a workbook."""
    if ImportedConsortium.objects.exists():
        return
    year = today().year
    filed_year = year - 3
    number = "镇创联备〔{}〕{:03d}号".format(filed_year, 90)
    if Consortium.objects.filter(record_number=number).exists():
        return
    sheets = {
        workbook.CONSORTIA.name: [{
            "record_number": number, "filed_on": f"{filed_year}-02-20", "name": "镇江高端轴承（智能电气）创新联合体", "industry_field": "智能电气",
            "lead_name": "镇江金山精密轴承股份有限公司", "lead_code": _code("91321111MA1W00010"), "district": "润州区", "chief_scientist": "钱志远"}],
        workbook.MEMBERS.name: [
            {"record_number": number, "name": "江苏大学", "credit_code": "121000004660070001", "kind": "高校", "task_division": "轴承材料与摩擦学基础研究"},
            {"record_number": number, "name": "镇江市产业技术研究院", "credit_code": _code("12321100MB1X00000"), "kind": "科研院所",
             "task_division": "中试验证"},
            {"record_number": number, "name": "镇江华源精密机械有限公司", "credit_code": _code("91321100MA1Y00010"), "kind": "企业",
             "task_division": "精密加工", "sales_revenue": 5200, "rd_spend": 310},
            {"record_number": number, "name": "丹阳光学材料有限公司", "credit_code": _code("91321181MA1Y00040"), "kind": "企业",
             "joined_on": f"{filed_year + 1}-07-01", "task_division": "检测与光学测量", "sales_revenue": 2800, "rd_spend": 150},
        ],
        workbook.REPORTS.name: [{"record_number": number, "year": y, "submitted_on": f"{y}-12-{20 + i}"}
                                for i, y in enumerate(range(filed_year, year))],
        workbook.GRADES.name: [{"record_number": number, "year": y, "grade": grade, "basis": "专家评分", "decided_on": f"{y + 1}-03-1{i}",
                                "opinion": "年度目标任务完成，评价为" + grade + "。"}
                               for i, (y, grade) in enumerate(zip(range(filed_year, year), ["合格", "合格", "优秀"]))],
        workbook.SUPPORT.name: [
            {"record_number": number, "year": filed_year + 1, "kind": "市级重点项目", "level": "市级", "amount": 180, "granting_body": "镇江市科学技术局",
             "note": "高速精密轴承关键技术"},
            {"record_number": number, "year": filed_year + 2, "kind": "市区资助", "level": "区县级", "amount": 30, "granting_body": "润州区科技局"},
        ],
    }
    legacy_services.import_file(workbook.write(sheets), "门户上线前备案的创新联合体（演示）.xlsx", users["sysadmin"])
