"""Demo data of the bureaus' own work (issue 21): 京口区's 培育库 with a candidate in every status (and the city's
市级主导 ones), and the 科技联络员's visits, meetings and follow-ups, one overdue, with a consortium not visited for long.
Built through the services, on the days they happened (demo_history.at); each part is skipped once it exists."""

from datetime import timedelta

from accounts.models import Bureau
from applications.models import IndustryField
from candidates import services as candidate_services
from candidates.models import Candidate
from evaluations.liaison import services as liaison_services
from evaluations.models import WorkRecord

from .demo_history import at, today, years_ago

# name, credit code, district, field, contact, reason, who adds it ("district" or "city"), then what happens to it
CANDIDATES = [
    ("镇江京华智能传感有限公司", "91321102MA1X00170", "京口区", "智能电气", "周经理",
     "国家级专精特新“小巨人”企业，智能传感器国内市场占有率居前，与江苏大学共建联合实验室，具备牵头组建创新联合体的基础。", "district", None),
    ("镇江恒泰新材料科技有限公司", "91321102MA1X00030", "京口区", "高性能材料", "刘经理",
     "高性能合金材料细分领域龙头，研发投入强度 5.2%，已牵头承担省级科技项目。", "district", None),
    ("江苏金港智能电气股份有限公司", "91321102MA1X00010", "京口区", "智能电气", "刘经理",
     "上市企业，智能电网装备产业链链主企业，已整合上下游 6 家单位开展联合攻关。", "district", None),
    ("镇江启明数字科技有限公司", "91321102MA1X00100", "京口区", "数字经济", "孙经理",
     "工业软件新锐企业，国家高新技术企业，近两年销售收入年均增长 40%。", "district", "invite"),
    ("镇江智航新材料有限公司", "91321102MA1X00180", "京口区", "航空航天", "钱经理",
     "航空复合材料配套企业，正在申报国家高新技术企业，建议持续培育。", "district", None),
    ("镇江东润纺织机械有限公司", "91321102MA1X00190", "京口区", "智能电气", "吴经理",
     "纺织机械骨干企业，智能化改造成效明显。", "district", "drop"),
    ("镇江航宇航空科技股份有限公司", "91321191MA1X00070", "镇江高新区", "航空航天", "刘经理",
     "航空航天产业链链主企业，市级主导组建航空航天复合材料创新联合体。", "city", None),
    ("丹阳天工精密光学有限公司", "91321181MA1X00050", "丹阳市", "高性能材料", "刘经理",
     "精密光学元件龙头企业，与长春光机所长期合作。", "district", None),
]
DROPPED_REASON = "企业主营业务调整，近期暂无牵头组建创新联合体的意向，转为一般联系。"


def candidates(users, reviewer_of, code):
    """The 培育库, filled before the consortia are made: their registration, submission and 备案 move it themselves."""
    if Candidate.objects.exists():
        return
    for name, first17, district, field, contact, reason, by, then in CANDIDATES:
        actor = users["shikeji"] if by == "city" else reviewer_of(district)
        with at(years_ago(3, 1, 10) if by == "city" else today() - timedelta(days=40)):
            candidate = candidate_services.add_candidate(actor, {
                "name": name, "credit_code": code(first17[:17]), "bureau": Bureau.objects.get(district=district),
                "industry_field": IndustryField.objects.get(name=field), "contact_name": contact,
                "contact_phone": "13905110088", "contact_email": f"contact{first17[-3:]}@example.com", "reason": reason,
            })
        if then == "invite":
            with at(today() - timedelta(days=12)):
                candidate_services.invite(candidate.pk, actor)
        elif then == "drop":
            with at(today() - timedelta(days=20)):
                candidate_services.drop(candidate.pk, actor, DROPPED_REASON)


def work_records(consortia, users, reviewer_of):
    """The 科技联络员 (lianluo) visits 航空航天复合材料 regularly (the last visit left a follow-up overdue) and has not
    visited 新能源汽车动力系统 for more than LIAISON_VISIT_INTERVAL_DAYS; the district records a coordination item; the
    liaison gave an opinion on this year's evaluation and on the pending dissolution request."""
    hangyu, huarui = consortia["hangyu"], consortia["huarui"]
    if WorkRecord.objects.filter(consortium__in=[hangyu, huarui]).exists():
        return
    liaison, now = users["lianluo"], today()
    _record(hangyu, liaison, years_ago(1, 6, 18), "visit", "市科技局 王联络；航宇航空 赵总、技术中心刘主任；江苏大学 孙教授",
            "复合材料构件自动化成型中试线年内调试完成；联合申报省级创新联合体。",
            [("协调江苏大学开放共享热压罐设备", years_ago(1, 8, 31), years_ago(1, 8, 20))])
    _record(hangyu, reviewer_of("镇江高新区"), years_ago(0, 3, 5) if years_ago(0, 3, 5) < now else now - timedelta(days=60),
            "coordination", "镇江高新区科发局 园区服务科；航宇航空 行政部", "中试线扩建用地由园区协调，规划手续同步办理。", [])
    _record(hangyu, liaison, now - timedelta(days=24), "visit", "市科技局 王联络；航宇航空 赵总；镇江市产业技术研究院 钱主任",
            "大尺寸构件无损检测平台向成员单位开放；下一年度工作计划增加成果转化指标。",
            [("督促报送中试平台开放共享制度", now - timedelta(days=10), None),
             ("对接市级重点项目申报辅导", now + timedelta(days=20), None)])
    _record(hangyu, liaison, now - timedelta(days=15), "meeting", "理事会成员单位代表 9 人；市科技局 王联络",
            "召开理事会年度会议，审议通过下一年度攻关任务分工。", [])
    _record(huarui, liaison, now - timedelta(days=200), "visit", "市科技局 王联络；华瑞新能源 刘经理",
            "了解电驱动系统项目进展；提醒按期报送年度运行情况总结。", [("跟踪年度报告报送情况", now - timedelta(days=170), None)])
    with at(now):
        liaison_services.write_opinion(hangyu.pk, liaison, "evaluation", now.year,
                                       "本年度走访 2 次、参加理事会 1 次，中试线已投运，成员单位协同紧密，建议评价为优秀。")
        pending = huarui.dissolution_requests.filter(status="pending").first()
        if pending is not None:
            liaison_services.write_opinion(huarui.pk, liaison, "dissolution", pending.pk,
                                           "在研省级项目尚未结题，建议待项目结题后再办理解散。")


def _record(consortium, actor, day, kind, participants, agreed, follow_ups):
    with at(day):
        record = liaison_services.record_work(consortium.pk, actor, {
            "kind": kind, "happened_on": day, "participants": participants, "agreed": agreed},
            [{"task": task, "due_on": due_on} for task, due_on, _ in follow_ups])
    for item, (_, _, done_on) in zip(record.follow_ups.order_by("pk"), follow_ups):
        if done_on is not None:
            with at(done_on):
                liaison_services.set_follow_up(item.pk, actor, True)
