"""Put an application in any state of the lifecycle, the way the people concerned would.

The paths are read from the workflow table (applications.workflow.STEPS): the shortest way from a
draft to each status. Where a step's guard asks for facts first (two 不合格 before a revocation),
``PREREQUISITES`` says which steps supply them.
"""

from collections import deque
from datetime import date
from decimal import Decimal

from accounts.roles import Role
from applications import services, workflow
from applications.choices import CHARTER_SECTIONS, Status
from applications.models import Consortium
from evaluations import rules as evaluation_rules
from evaluations.choices import FIGURES
from evaluations.grading import services as grading_services
from evaluations.liaison import services as liaison_services
from evaluations.membership import services as membership_services
from evaluations.reports import services as reports_services
from operations import clock
from reviews import services as review_services
from reviews.models import Criterion, ExpertAssignment
from tests import factories
from tests.applications.intake_helpers import pdf_bytes, upload

# Steps that must be taken (from the same status) before a step's guard lets it through. An evaluation is
# of a year (``years_ago`` before this one): its annual report is submitted first, and the consortium is
# taken to have been filed by then.
PREREQUISITES = {
    "revoke": [("evaluate", {"years_ago": 1, "grade": "unqualified"}), ("evaluate", {"years_ago": 0, "grade": "unqualified"})],
    "file_member_change": [("request_member_change", {})],
    "return_member_change": [("request_member_change", {})],
    "dissolve": [("request_dissolution", {})],
    "return_dissolution": [("request_dissolution", {})],
}
MONEY_FIGURES = {"rd_spend_lead", "rd_spend_members", "transfer_value"}


def report_data(report, **overrides):
    """A complete annual report as its editor sends it: every figure, the three texts, each target's state."""
    data = {name: Decimal("100.00") if name in MONEY_FIGURES else 2 for name in FIGURES}
    data.update(summary="本年度联合攻关进展顺利。", problems="中试经费不足，建议加大支持。", next_year_plan="完成样机研制。")
    data["progress"] = [{"state": "done", "note": ""} for _ in report.target_progress]
    data.update(overrides)
    return data


def submit_report(consortium, applicant, year, **overrides):
    """The lead files a complete report of ``year`` (started, saved, submitted through the services)."""
    report = reports_services.start_report(consortium.pk, applicant, year)
    reports_services.save_report(report.pk, applicant, None, report_data(report, **overrides))
    return reports_services.submit_report(report.pk, applicant)


def signed_by_legal_representatives(consortium, on=None):
    """A 补充协议 signed for every member by its 法定代表人 (on ``on``, today by default): the signatures a change asks."""
    return {unit.pk: {"capacity": "legal_representative", "person_name": f"{name[:4]}法定代表人", "signed_on": on or clock.today(),
                      "upload": None} for unit, name in membership_services.signing_units(consortium)}


def file_earlier(consortium, year):
    """Test data: the consortium was filed early enough to owe the report of ``year`` (15 January of that year)."""
    consortium.refresh_from_db()
    if evaluation_rules.first_report_year(consortium.filed_on) > year:
        Consortium.objects.filter(pk=consortium.pk).update(filed_on=date(year, 1, 15))
        consortium.refresh_from_db()


def third_party_report():
    return upload("第三方评价报告.pdf", pdf_bytes(), "application/pdf")


def path_to(status):
    """The shortest list of actions from a draft to ``status``, over the workflow table (status changes only)."""
    paths = {Status.DRAFT: []}
    queue = deque([Status.DRAFT])
    while queue:
        current = queue.popleft()
        for step in workflow.steps_from(current):
            if step.target not in paths:
                paths[step.target] = paths[current] + [step.action]
                queue.append(step.target)
    return paths[status]


def complete_application(applicant=None, *, with_university=True, members=4):
    """A draft that passes every readiness check: ``members`` 成员单位 besides the lead (one a 高校 unless told not)."""
    applicant = applicant or factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="镇江测试创新联合体", industry_field=factories.industry_field())
    application = consortium.application

    def save(part, data):
        services.save_part(application.pk, part, applicant, None, data)

    save("basic", {
        "name": consortium.name, "industry_field": consortium.industry_field, "chief_scientist": "孙立新",
        "chief_scientist_title": "教授", "mailing_address": "镇江市京口区学府路 1 号", "legal_representative": "张三",
        "lead_types": ["high_tech"], "contact_person": "李明", "contact_phone": "0511-85000000",
        "research_directions": "关键技术攻关", "governance": "理事会决策", "staff_total": 100,
        "staff_professional": 30, "ip_total": 10, "ip_invention_patents": 2,
    })
    units = []
    if with_university:
        units.append(factories.research_unit(name="江苏大学测试"))
    while len(units) < members:
        units.append(factories.unit(registration_status="unregistered"))
    rows = [{"unit_name": u.name, "credit_code": u.credit_code, "unit_kind": u.kind, "task_division": "攻关",
             "duties": "研发", "sales_revenue": None if u.kind == "university" else Decimal("10.00"),
             "rd_spend": None if u.kind == "university" else Decimal("1.00")} for u in units]
    save("members", {"lead": {"task_division": "牵头", "duties": "组织", "sales_revenue": Decimal("100.00"),
                              "rd_spend": Decimal("10.00")}, "rows": rows})
    save("plan", {"plan": {f: "内容" for f in ["plan_significance", "plan_foundation", "plan_positioning",
                                               "plan_organization", "plan_mechanism", "plan_funding"]},
                  "targets": [{"year": 2027, "tasks": "攻关", "research_plan": "", "team_building": "", "rd_investment": Decimal("100.00")}]})
    memberships = consortium.memberships.current()
    save("organization", organization_data())
    save("intros", {m.pk: {"intro_overview": "一", "intro_research": "二", "intro_honors": "三"} for m in memberships})
    save("charter", charter_data(memberships))
    for m in memberships.select_related("unit"):
        if m.unit_kind == "enterprise":
            services.add_attachment(application.pk, applicant, unit=m.unit, kind="license", title="营业执照", uploaded=upload())
    lead = consortium.lead_unit
    for kind in ("qualification", "patent", "agreement"):
        services.add_attachment(application.pk, applicant, unit=lead, kind=kind, title=kind, uploaded=upload())
    application.refresh_from_db()
    return applicant, application


CHARTER_TEXT = "各成员单位按照公平、自愿的原则共同组建本创新联合体，明确各方的权利和义务，协同开展关键核心技术攻关。"


def charter_data(memberships, signatures=None, signed_on=None):
    """The 组建协议 as its editor sends it: the eight sections (each long enough not to be thin) and every
    unit signed by its 法定代表人 (``signatures``: {unit id: a row of one's own}, e.g. an 授权人 with an upload)."""
    signed_on = signed_on or clock.today()
    rows = {m.unit_id: {"capacity": "legal_representative", "person_name": "张三", "signed_on": signed_on, "upload": None}
            for m in memberships}
    rows.update(signatures or {})
    return {"sections": {name: CHARTER_TEXT for name, _ in CHARTER_SECTIONS}, "charter_text": "", "signatures": rows}


def organization_data():
    """The 理事会, 专家指导委员会 and 秘书处, each with its head, and the 首席专家, as the editor sends them."""
    return {
        "organization": {
            "secretariat_head": "王秘书", "secretariat_unit": "牵头单位", "chief_expert_unit": "江苏大学",
            "chief_expert_field": "电气工程", "chief_expert_education": "博士", "chief_expert_achievements": "国家科技进步奖",
            "chief_expert_industry_roles": "行业协会理事", "chief_expert_phone": "13800000000", "chief_expert_email": "",
        },
        "seats": {
            "council": [{"role": "chair", "name": "张三", "unit_name": "牵头单位", "title": "董事长"}],
            "advisory": [{"role": "chair", "name": "孙立新", "unit_name": "江苏大学", "title": "教授"}],
        },
    }


def score(assignment, value=80):
    values = {c.pk: Decimal(value) for c in Criterion.objects.filter(is_active=True)}
    return review_services.submit_scores(assignment.pk, assignment.expert, values, "同意")


class Cast:
    """The people around one application."""

    def __init__(self, applicant, application):
        self.applicant = applicant
        self.application = application
        self.consortium = application.consortium
        self.district = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
        self.city = factories.user(Role.MUNICIPAL_STAFF)
        self.expert = factories.user(Role.EXPERT, employer="东南大学")

    def actor(self, action):
        """Who takes an action: the one role its state table allows for it."""
        roles = {role for flow in workflow.flows() for step in flow.steps if step.action == action for role in step.roles}
        return {Role.APPLICANT: self.applicant, Role.DISTRICT_REVIEWER: self.district, Role.MUNICIPAL_STAFF: self.city}[roles.pop()]

    def take(self, action, opinion="意见", **params):
        """Take ``action`` the way its people would (through the use case a page calls), after what it needs."""
        for prerequisite, prerequisite_params in PREREQUISITES.get(action, []):
            self.take(prerequisite, **prerequisite_params)
        if action in ("submit", "resubmit"):
            return services.submit_application(self.application.pk, self.applicant)
        if action == "start_appraisal":
            return review_services.create_round("第一批", [self.consortium.pk], [self.expert], self.city)
        if action in review_services.CITY_DECISIONS:
            return self._decide(action, opinion)
        use_case = getattr(self, f"_{action}", None)
        if use_case is not None:
            return use_case(opinion, **params)
        flow = next(flow for flow in workflow.flows() if action in flow.labels)
        return flow.transition(self.consortium.pk, action, self.actor(action), opinion=opinion, **params)

    def _decide(self, action, opinion):
        """予以备案 / 不予备案 / 退回 after every expert who did not recuse has scored."""
        for assignment in ExpertAssignment.objects.filter(entry__consortium=self.consortium, entry__decided_at__isnull=True,
                                                          submitted_at__isnull=True, conflict_declared=False):
            score(assignment)
        return review_services.decide(self.consortium.pk, self.city, action, opinion, name=review_services.suggested_name(self.consortium))

    def _evaluate(self, opinion, year=None, years_ago=0, **params):
        """A grade of ``year`` (or ``years_ago``) on a third party's report; its report submitted first if it was not."""
        year = year or clock.today().year - years_ago
        file_earlier(self.consortium, year)
        if not self.consortium.annual_reports.filter(year=year, submitted_at__isnull=False).exists():
            submit_report(self.consortium, self.applicant, year)
        params = {"grade": "qualified", "basis": "third_party", "third_party": third_party_report(), "institution": "江苏省科技评估中心", **params}
        return grading_services.evaluate(self.consortium.pk, self.city, year=year, opinion=opinion, **params)

    def _correct_grade(self, opinion, grade="excellent"):
        if not self.consortium.evaluations.exists():
            self.take("evaluate", grade="qualified")
        evaluation = self.consortium.evaluations.order_by("-year").first()
        return grading_services.correct_grade(self.consortium.pk, self.city, evaluation.pk, grade, opinion)

    def _request_member_change(self, opinion, **params):
        newcomer = factories.research_unit()
        params = {
            "effective_on": clock.today(), "description": opinion, "removals": [], "statement": "",
            "signatures": signed_by_legal_representatives(self.consortium),
            "additions": [{"unit_name": newcomer.name, "credit_code": newcomer.credit_code, "unit_kind": newcomer.kind,
                           "task_division": "基础研究", "duties": "联合攻关", "sales_revenue": None, "rd_spend": None}],
            "supplementary_agreement": upload("补充协议.pdf", pdf_bytes(), "application/pdf"), **params,
        }
        return membership_services.request_member_change(self.consortium.pk, self.applicant, **params)

    def _assign_liaison(self, opinion, officer=None):
        return liaison_services.assign_liaison(self.consortium.pk, self.city, officer or self.city, note=opinion)


def cast_at(status, **kwargs):
    applicant, application = complete_application(**kwargs)
    cast = Cast(applicant, application)
    for action in path_to(status):
        cast.take(action)
    cast.consortium.refresh_from_db()
    return cast
