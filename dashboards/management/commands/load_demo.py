"""Demo data: one user per role, units, and consortia in every state of the lifecycle.

Idempotent: what exists is left as it is. Every status is reached through the
workflow, as a real user would reach it.
"""

import contextlib
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings

from accounts.models import Bureau, User
from accounts.reference import MUNICIPAL_BUREAU
from accounts.roles import Role
from applications import services, workflow
from applications.choices import RegistrationStatus, UnitKind
from applications.models import Consortium, IndustryField, Unit
from applications.validators import credit_code_check_char
from dashboards import demo_bureaus, demo_content, demo_history, demo_support
from dashboards.demo_history import at, today, years_ago
from evaluations.dissolution import services as dissolution_services
from evaluations.grading import services as grading_services
from evaluations.liaison import services as liaison_services
from evaluations.membership import services as membership_services
from evaluations.sanctions import services as sanctions_services
from operations import clock
from reviews import services as review_services
from reviews.models import Criterion, ExpertAssignment

DEMO_PASSWORD = "Zj@demo2026"


def code(first17):
    return first17 + credit_code_check_char(first17)


# username, full name, role, bureau district (or municipal), note
STAFF = [
    ("jingkou", "王审核", Role.DISTRICT_REVIEWER, "京口区", "京口区科学技术局初审人员（培育库：培育中、已邀请注册、已提交申请、已备案、不再跟进）"),
    ("danyang", "陈审核", Role.DISTRICT_REVIEWER, "丹阳市", "丹阳市科学技术局初审人员"),
    ("shikeji", "李处长", Role.MUNICIPAL_STAFF, MUNICIPAL_BUREAU, "市科技局业务处室"),
    ("lianluo", "王联络", Role.MUNICIPAL_STAFF, MUNICIPAL_BUREAU, "市科技局业务处室，科技联络员（联系航空航天复合材料、新能源汽车动力系统 2 个创新联合体；走访记录、逾期跟进事项）"),
    ("zhuanjia1", "周教授", Role.EXPERT, None, "评审专家（东南大学）"),
    ("zhuanjia2", "吴研究员", Role.EXPERT, None, "评审专家（南京工业大学）"),
    ("zhuanjia3", "郑教授", Role.EXPERT, None, "评审专家（江苏大学，遇江苏大学参与的联合体自动回避）"),
    ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN, None, "系统管理员"),
    ("auditor", "安全审计员", Role.AUDIT_ADMIN, None, "安全审计员"),
]
EXPERT_EMPLOYERS = {"zhuanjia1": "东南大学", "zhuanjia2": "南京工业大学", "zhuanjia3": "江苏大学"}

# Universities, institutes and member enterprises (typed in by leads, never registered).
MEMBERS = [
    ("江苏大学", "121000004660070001", UnitKind.UNIVERSITY, None),
    ("江苏科技大学", code("12320000466008000"), UnitKind.UNIVERSITY, None),
    ("镇江市产业技术研究院", code("12321100MB1X00000"), UnitKind.INSTITUTE, None),
    ("中国船舶集团第七二三研究所", code("12100000400000723"), UnitKind.INSTITUTE, None),
    ("镇江华源精密机械有限公司", code("91321100MA1Y00010"), UnitKind.ENTERPRISE, "京口区"),
    ("镇江新能储能科技有限公司", code("91321100MA1Y00020"), UnitKind.ENTERPRISE, "镇江经开区"),
    ("南京联芯电子有限公司", code("91320100MA1Y00030"), UnitKind.ENTERPRISE, None),
    ("丹阳光学材料有限公司", code("91321181MA1Y00040"), UnitKind.ENTERPRISE, "丹阳市"),
]

# One lead enterprise per consortium; the last item says how far along the lifecycle it goes — every
# status of applications.workflow is reached by at least one.
CONSORTIA = [
    # lead unit, credit code, district, applicant username, consortium name, field, path
    ("江苏金港智能电气股份有限公司", code("91321102MA1X00010"), "京口区", "qiye", "镇江智能电气创新联合体", "智能电气", []),
    ("镇江恒泰新材料科技有限公司", code("91321102MA1X00030"), "京口区", "hengtai", "高性能合金材料创新联合体", "高性能材料", ["submit"]),
    # Registered in 京口区 after moving from 南京: its code (3201…) was issued there; 京口区 sees it flagged.
    ("镇江远航动力科技有限公司", code("91320100MA1X00160"), "京口区", "yuanhang", "船用动力系统创新联合体", "海工装备和船舶", ["submit"]),
    ("镇江瑞康医疗器械有限公司", code("91321102MA1X00040"), "京口区", "ruikang", "高端医疗器械创新联合体", "医疗器械", ["submit", "district_return"]),
    ("丹阳天工精密光学有限公司", code("91321181MA1X00050"), "丹阳市", "tiangong", "精密光学创新联合体", "高性能材料", ["submit", "district_pass"]),
    ("镇江蓝海船舶装备有限公司", code("91321111MA1X00060"), "润州区", "lanhai", "船舶与海工装备创新联合体", "海工装备和船舶", ["submit", "district_pass", "start_appraisal"]),
    ("镇江航宇航空科技股份有限公司", code("91321191MA1X00070"), "镇江高新区", "hangyu", "航空航天复合材料创新联合体", "航空航天", ["submit", "district_pass", "start_appraisal", "file"]),
    ("句容绿源生物医药有限公司", code("91321183MA1X00080"), "句容市", "lvyuan", "绿色生物医药创新联合体", "生物医药", ["submit", "district_pass", "start_appraisal", "not_file"]),
    ("扬中中电新能源有限公司", code("91321182MA1X00090"), "扬中市", "zhongdian", "新能源装备创新联合体", "新能源", ["submit", "district_pass", "start_appraisal", "file"]),
    ("镇江润达环保科技有限公司", code("91321111MA1X00120"), "润州区", "runda", "节能环保装备创新联合体", "新能源", ["submit", "district_reject"]),
    ("丹徒三山汽车零部件有限公司", code("91321112MA1X00130"), "丹徒区", "sanshan", "汽车轻量化零部件创新联合体", "新能源汽车及零部件", ["submit", "district_pass", "start_appraisal", "city_return"]),
    ("镇江经开数码信息技术有限公司", code("91321191MA1X00140"), "镇江经开区", "shuma", "工业互联网创新联合体", "数字经济", ["submit", "district_pass", "start_appraisal", "file"]),
    ("镇江华瑞新能源汽车部件有限公司", code("91321112MA1X00150"), "丹徒区", "huarui", "新能源汽车动力系统创新联合体", "新能源汽车及零部件", ["submit", "district_pass", "start_appraisal", "file"]),
    # Recommended by 京口区 from its 培育库 (板块推荐), filed today: its candidate is 已备案.
    ("镇江京华智能传感有限公司", code("91321102MA1X00170"), "京口区", "jinghua", "智能传感创新联合体", "智能电气", ["submit", "district_pass", "start_appraisal", "file"]),
    # A draft that fails the readiness check: no 高校/科研院所 among its members, plan not written.
    ("镇江华科智能装备有限公司", code("91321102MA1X00110"), "京口区", "huake", "智能装备创新联合体", "智能电气", None),
]
# Whose 组建协议 a member signed by an 授权人, with the 授权书 (the others: every unit by its 法定代表人).
AUTHORISED_SIGNERS = {"hengtai"}

# Registrations waiting for 京口区: a new enterprise, and a member enterprise that consortia already list
# (the district sees who declared it, and as what).
PENDING_REGISTRATIONS = [
    ("镇江启明数字科技有限公司", code("91321102MA1X00100"), "京口区", "qiming", "孙经理"),
    ("镇江华源精密机械有限公司", code("91321100MA1Y00010"), "京口区", "huayuan", "周经理"),
]

# The consortia with years after 备案: filed (years before this one, month, day), then their history
# (Command.history_<username>): reports, grades, a member change, projects, revocation, dissolution.
FILED_YEARS_AGO = {"hangyu": (3, 3, 10), "zhongdian": (3, 5, 20), "shuma": (2, 4, 8), "huarui": (1, 3, 20)}

OPINIONS = {
    "district_pass": "材料齐全，牵头单位符合条件，同意推荐。",
    "district_return": "成员单位分工描述不够具体，请补充各成员单位的任务分工和近一年研发投入。",
    "district_reject": "牵头单位近三年研发投入强度偏低，尚不具备牵头组建创新联合体的研发实力。",
    "city_return": "建设方案年度目标需进一步量化，请补充研发经费投入计划后重新提交。",
    "evaluate": "年度目标任务完成率不足 50%，联合攻关项目未按计划实施，评价为不合格。",
    "qualified": "年度目标任务基本完成，联合攻关有序推进，评价为合格。",
    "excellent": "年度目标全面完成，关键部件实现国产化替代，成果转化成效显著，评价为优秀。",
    "dissolve": "联合体已完成主要建设任务，承担的市级项目均已结题，经全体成员同意申请解散，准予备案。",
    "file": "经综合论证，组建条件符合要求，建设方案成熟，予以备案。",
    "not_file": "建设方案量化目标不明确，成员间合作基础薄弱，不予备案。",
    "revoke": "连续两次年度评价结果为“不合格”，取消市级创新联合体资格。",
}


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）"

    def handle(self, *args, **options):
        # The demo's notices stay in the portal: its addresses are example.com, no mail leaves. Their
        # e-mails are "sent" here, to nowhere, rather than queued for a worker that would really send them.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                               TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
            with transaction.atomic():
                users = self.staff()
                # The 培育库 first: registering, submitting and 备案 below move its candidates, as they would.
                demo_bureaus.candidates(users, self.district_reviewer, code)
                members = [self.member_unit(*row) for row in MEMBERS]
                for row in CONSORTIA:
                    self.consortium(row, members, users)
                self.pending_registration()
                demo_support.support_of_every_kind(users, self.district_reviewer)
                demo_support.imported_consortium(users)
                demo_bureaus.work_records({username: Consortium.objects.get(lead_unit__accounts__username=username)
                                           for username in ("hangyu", "huarui")}, users, self.district_reviewer)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号（密码均为 %s）：" % DEMO_PASSWORD))
        for username, note in self.logins():
            self.stdout.write(f"  {username:<10} {note}")

    def logins(self):
        """Every demo account and what it shows."""
        notes = {
            "qiye": "填写完整、可提交的草稿（组建协议八项内容、各单位法定代表人签署、理事会/专家指导委员会/秘书处、首席专家）",
            "huake": "未通过形式审查的草稿：缺少高校院所、建设方案未填写",
            "hengtai": "待初审：组建协议一家成员单位由授权人签署，附授权书",
            "yuanhang": "待初审：牵头单位统一社会信用代码为南京市发放（由外地迁入），京口区初审时提示核实",
            "hangyu": "已备案：三个年度的报告与评价（最近一次“优秀”），成员变更已备案，本年度报告专家评分中",
            "zhongdian": "资格取消：连续 2 次“不合格”，牵头单位 3 年内不得牵头或参与",
            "shuma": "已解散（承担的市级项目已结题）",
            "huarui": "已备案：上年度报告逾期未报送（填报中）；解散申请因在研省级项目不能办理；科技联络员 200 天未走访",
            "jinghua": "已备案：京口区从培育库推荐（推荐意见已打印）",
        }
        for lead_name, _, district, username, _, _, _ in CONSORTIA:
            consortium = Consortium.objects.filter(lead_unit__accounts__username=username).order_by("-created_at").first()
            shown = notes.get(username) or (f"{consortium.get_status_display()}：{consortium.name}" if consortium else "")
            yield username, f"申报单位（{lead_name}，{district}；{shown}）"
        for name, _, district, username, _ in PENDING_REGISTRATIONS:
            yield username, f"申报单位（{name}，注册待{district}审核）"
        for username, _, _, _, note in STAFF:
            yield username, note

    def bureau(self, district):
        if district is None:
            return None
        if district == MUNICIPAL_BUREAU:
            return Bureau.objects.get(name=MUNICIPAL_BUREAU)
        return Bureau.objects.get(district=district)

    def user(self, username, **fields):
        # Demo accounts, the audit admin included, are made here directly with the published demo
        # password, which the password rules refuse to anyone choosing it (accounts.validators).
        # The system admin's rights come from the role alone: no superuser or staff flag is set.
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def staff(self):
        users = {}
        for username, full_name, role, district, _ in STAFF:
            users[username] = self.user(
                username, full_name=full_name, role=role, bureau=self.bureau(district),
                email=f"{username}@example.gov.cn", employer=EXPERT_EMPLOYERS.get(username, ""),
            )
        return users

    def member_unit(self, name, credit_code, kind, district):
        unit, _ = Unit.objects.get_or_create(
            credit_code=credit_code,
            defaults={"name": name, "kind": kind, "bureau": self.bureau(district), "legal_representative": "张三"},
        )
        return unit

    def lead(self, name, credit_code, district, username):
        unit, _ = Unit.objects.get_or_create(
            credit_code=credit_code,
            defaults={
                "name": name, "kind": UnitKind.ENTERPRISE, "bureau": self.bureau(district),
                "legal_representative": "赵总", "address": f"江苏省镇江市{district}科技大道 1 号",
                "qualifications": ["high_tech", "specialized"], "staff_count": 860, "professional_staff_count": 210,
                "registration_status": RegistrationStatus.APPROVED,
            },
        )
        applicant = self.user(
            username, full_name="刘经理", role=Role.APPLICANT, unit=unit, phone="13805110000",
            email=f"{username}@example.com",
        )
        return unit, applicant

    def consortium(self, row, members, users):
        lead_name, credit_code, district, username, name, field, path = row
        unit, applicant = self.lead(lead_name, credit_code, district, username)
        if Consortium.objects.filter(lead_unit=unit).exists():
            return
        filed = FILED_YEARS_AGO.get(username)
        with at(years_ago(*filed)) if filed else contextlib.nullcontext():
            started = clock.today()  # the day the story's application is written
            consortium = services.start_application(applicant, name=name, industry_field=IndustryField.objects.get(name=field))
            team = members[:1] + members[2:3] + members[4:6] if path is not None else members[4:7]
            demo_content.fill(consortium.application, applicant, team, complete=path is not None,
                              first_year=started.year if filed else started.year + 1, authorised=username in AUTHORISED_SIGNERS)
            actors = {
                action: self.district_reviewer(district) for action in review_services.DISTRICT_ACTIONS
            }
            for action in path or []:
                if action == "submit":
                    services.submit_application(consortium.application.pk, applicant)
                elif action == "start_appraisal":
                    experts = [users["zhuanjia1"], users["zhuanjia2"], users["zhuanjia3"]]
                    review_services.create_round(f"{started.year}年第一批综合论证", [consortium.pk], experts, users["shikeji"])
                    self.score(consortium, users["zhuanjia1"], 86)
                    if path[-1] != "start_appraisal":
                        self.score(consortium, users["zhuanjia2"], 80)
                elif action in review_services.CITY_DECISIONS:
                    review_services.decide(consortium.pk, users["shikeji"], action, OPINIONS[action],
                                           name=review_services.suggested_name(consortium))
                else:
                    workflow.transition(consortium.pk, action, actors.get(action, users["shikeji"]), opinion=OPINIONS.get(action, ""))
        if filed:
            consortium.refresh_from_db()
            getattr(self, f"history_{username}")(consortium, applicant, users, members)

    # --- After 备案 (seed §五, §六) -----------------------------------------------------------

    def history_hangyu(self, consortium, applicant, users, members):
        """Three years of reports and grades (合格, 合格, 优秀), a member change, two projects, a liaison officer;
        this year's report submitted and being scored by the experts."""
        staff, experts = users["shikeji"], [users["zhuanjia1"], users["zhuanjia2"], users["zhuanjia3"]]
        year = today().year
        with at(years_ago(3, 4, 12)):
            liaison_services.assign_liaison(consortium.pk, staff, users["lianluo"])
        demo_history.project(consortium, staff, years_ago(3, 6, 1), name="航空复合材料构件自动化成型关键技术研发",
                             level="municipal", kind="key_project", amount=Decimal("200.00"), starts_on=years_ago(3, 7, 1),
                             ends_on=date(year + 1, 6, 30), status="ongoing")
        demo_history.project(consortium, staff, years_ago(2, 1, 8), name="大尺寸碳纤维构件无损检测技术揭榜攻关",
                             level="municipal", kind="open_competition", amount=Decimal("100.00"), starts_on=years_ago(2, 1, 1),
                             ends_on=years_ago(1, 12, 31), status="concluded")
        demo_history.submit_report(consortium, applicant, year - 3, 0)
        demo_history.third_party_grade(consortium, staff, year - 3, "qualified", OPINIONS["qualified"], years_ago(2, 2, 20))
        leaving = consortium.memberships.get(unit=members[5])
        joining = members[1]
        with at(years_ago(2, 6, 3)):
            membership_services.request_member_change(
                consortium.pk, applicant, effective_on=years_ago(2, 7, 1), removals=[leaving.pk], statement="",
                signatures={unit.pk: {"capacity": "legal_representative", "person_name": unit.legal_representative or "张三",
                                      "signed_on": years_ago(2, 5, 28), "upload": None}
                            for unit, _ in membership_services.signing_units(consortium)},
                description="镇江新能储能科技有限公司业务调整退出；江苏科技大学加入，承担复合材料结构设计与仿真。",
                additions=[{"unit_name": joining.name, "credit_code": joining.credit_code, "unit_kind": joining.kind,
                            "task_division": "复合材料结构设计与仿真", "duties": "承担子课题研发，开放共享实验条件",
                            "sales_revenue": None, "rd_spend": None}],
                supplementary_agreement=demo_content.certificate("补充协议", consortium.lead_unit.name, consortium.lead_unit.credit_code),
            )
        with at(years_ago(2, 6, 18)):
            membership_services.decide_member_change(consortium.pk, staff, "file_member_change", "补充协议经全体成员单位签署，予以备案。")
        second = demo_history.submit_report(consortium, applicant, year - 2, 1)
        demo_history.expert_grade(consortium, staff, experts, second, "qualified", OPINIONS["qualified"], years_ago(1, 2, 25), 82)
        third = demo_history.submit_report(consortium, applicant, year - 1, 2)
        demo_history.expert_grade(consortium, staff, experts, third, "excellent", OPINIONS["excellent"], years_ago(0, 2, 26), 93)
        # This year's report, submitted today: the experts are scoring it (one has, one has not; one recused).
        this_year = demo_history.submit_report(consortium, applicant, year, 3, on=demo_history.today())
        panel, _ = grading_services.open_panel(consortium.pk, this_year.year, experts, staff)
        scored = panel.assignments.get(expert=users["zhuanjia1"])
        demo_history.score(scored, 88)

    def history_zhongdian(self, consortium, applicant, users, members):
        """Two 不合格 in a row, then revocation: the lead unit is barred for 3 years."""
        staff = users["shikeji"]
        year = today().year
        for years, graded_on in ((3, years_ago(2, 3, 10)), (2, years_ago(1, 3, 12))):
            demo_history.submit_report(consortium, applicant, year - years, 0, weak=True)
            demo_history.third_party_grade(consortium, staff, year - years, "unqualified", OPINIONS["evaluate"], graded_on)
        with at(years_ago(1, 4, 10)):
            sanctions_services.revoke(consortium.pk, staff, OPINIONS["revoke"])

    def history_shuma(self, consortium, applicant, users, members):
        """Its project concluded, the lead asked to dissolve and the city recorded it; the lead may lead again."""
        staff = users["shikeji"]
        year = today().year
        demo_history.project(consortium, staff, years_ago(2, 5, 10), name="工业互联网标识解析二级节点建设",
                             level="municipal", kind="open_competition", amount=Decimal("80.00"), starts_on=years_ago(2, 6, 1),
                             ends_on=years_ago(1, 3, 31), status="concluded")
        demo_history.submit_report(consortium, applicant, year - 2, 0)
        demo_history.third_party_grade(consortium, staff, year - 2, "qualified", OPINIONS["qualified"], years_ago(1, 2, 18))
        with at(years_ago(1, 5, 6)):
            dissolution_services.request_dissolution(consortium.pk, applicant, "联合体已完成主要建设任务，承担的市级项目已结题，经全体成员单位同意申请解散。")
        with at(years_ago(1, 5, 20)):
            dissolution_services.decide_dissolution(consortium.pk, staff, "dissolve", OPINIONS["dissolve"])

    def history_huarui(self, consortium, applicant, users, members):
        """Last year's report not submitted (overdue, being written now); its dissolution request cannot be recorded
        while a provincial project runs."""
        staff = users["shikeji"]
        year = today().year
        with at(years_ago(1, 4, 2)):
            liaison_services.assign_liaison(consortium.pk, staff, users["lianluo"])
        demo_history.draft_report(consortium, applicant, year - 1, 0)  # begun today, a year late
        with at(years_ago(1, 10, 9)):
            dissolution_services.request_dissolution(consortium.pk, applicant, "主要成员单位业务调整，经全体成员单位同意，申请解散本联合体。")
        demo_history.project(consortium, staff, years_ago(1, 10, 20), name="新能源汽车电驱动系统高效集成关键技术",
                             level="provincial", kind="provincial_plan", amount=Decimal("300.00"), starts_on=years_ago(1, 7, 1),
                             ends_on=date(year + 1, 6, 30), status="ongoing")

    def score(self, consortium, expert, base):
        assignment = ExpertAssignment.objects.get(entry__consortium=consortium, entry__decided_at__isnull=True, expert=expert)
        values = {c.pk: Decimal(base - i) for i, c in enumerate(Criterion.objects.filter(is_active=True))}
        review_services.submit_scores(assignment.pk, expert, values, "牵头单位实力较强，建设方案目标明确，建议予以备案。")

    def district_reviewer(self, district):
        reviewer = User.objects.filter(role=Role.DISTRICT_REVIEWER, bureau__district=district).first()
        if reviewer is None:
            reviewer = self.user(
                f"reviewer-{self.bureau(district).pk}", full_name=f"{district}审核员", role=Role.DISTRICT_REVIEWER,
                bureau=self.bureau(district), email=f"reviewer{self.bureau(district).pk}@example.gov.cn",
            )
        return reviewer

    def pending_registration(self):
        """Registrations waiting for their district, made as the enterprises make them."""
        for number, (name, credit_code, district, username, contact) in enumerate(PENDING_REGISTRATIONS, start=1):
            if User.objects.filter(username=username).exists():
                continue
            services.register_unit(
                unit_data={"name": name, "credit_code": credit_code, "bureau": self.bureau(district),
                           "legal_representative": "钱总", "address": f"江苏省镇江市{district}学府路 {number * 8} 号",
                           "is_legal_person": True},
                user_data={"username": username, "full_name": contact, "phone": f"1390511000{number}",
                           "email": f"{username}@example.com"},
                password=DEMO_PASSWORD,
            )
