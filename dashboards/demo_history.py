"""The demo's years after 备案, played through the services on the days they happened.

Each step runs under ``at(day)``, which sets the portal's clock (operations/clock.py ``clock.story``): the services
date what they write by ``clock.now()``, so a report submitted on 15 December three years ago is dated so, and the
rules that read dates (a report overdue, a ban running three years from the revocation) see the story as it would
have been lived. Days are counted back from the real today and never lie ahead of it.
"""

import contextlib
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from evaluations.choices import FIGURES
from evaluations.grading import services as grading_services
from evaluations.models import EvaluationCriterion
from evaluations.reports import services as reports_services
from evaluations.support import services as support_services
from operations import clock

from .demo_content import certificate

MONEY_FIGURES = {"rd_spend_lead", "rd_spend_members", "transfer_value"}


def today():
    """The real today (inside at() as outside): the story's days are counted back from it."""
    return clock.localdate(clock.real_now())


@contextlib.contextmanager
def at(day, hour=10):
    """Let the services see ``day`` (at ``hour``, Beijing time) as now; never a moment after the real now."""
    with clock.story(timezone.make_aware(datetime.combine(day, time(hour)))):
        yield


def years_ago(years, month, day):
    return date(today().year - years, month, day)


def figures(step):
    """A plausible year of figures, growing with ``step`` (0 for the first year)."""
    values = {
        "rd_spend_lead": Decimal("12800.00") + 1500 * step, "rd_spend_members": Decimal("3650.50") + 420 * step,
        "joint_projects_started": 3 + step, "joint_projects_finished": 1 + step, "patents_applied": 24 + 6 * step,
        "invention_patents_applied": 11 + 3 * step, "patents_granted": 15 + 4 * step, "invention_patents_granted": 6 + 2 * step,
        "talents_introduced": 4 + step, "teams_introduced": 1, "platforms_built": 1 + step % 2, "forums_held": 2 + step,
        "roadshows_held": 1 + step, "matchmaking_held": 3 + step, "results_transferred": 2 + 2 * step,
        "transfer_value": Decimal("860.00") + 540 * step,
    }
    return {name: values[name] for name in FIGURES}


def report_texts(consortium, year, weak=False):
    if weak:
        return {
            "summary": f"{year}年度联合体理事会召开 1 次，联合攻关项目因成员单位经费未到位推进缓慢，年度目标完成率不足一半。",
            "problems": "成员单位间协同机制尚未理顺，配套经费不足；建议市科技局加强指导。",
            "next_year_plan": f"{year + 1}年将调整攻关方向，争取完成关键部件样机。",
        }
    return {
        "summary": f"{year}年度，{consortium.name}围绕产业链薄弱环节组织联合攻关，共建中试平台 1 个，"
                   "联合培养研发骨干，举办技术研讨和成果路演，推动高校院所成果在成员企业转化落地。",
        "problems": "中试验证阶段经费需求大，部分成员单位配套投入不足；建议在市科技计划“项目+课题”中给予定向支持。",
        "next_year_plan": f"{year + 1}年计划新启动联合攻关项目 4 项，完成关键部件样机与中试验证，新增发明专利申请 15 件。",
    }


def submit_report(consortium, applicant, year, step, *, weak=False, on=None):
    """The lead writes, saves and submits the report of ``year`` (by default on 15 December of that year)."""
    with at(on or date(year, 12, 15)):
        report = reports_services.start_report(consortium.pk, applicant, year)
        data = {**figures(step), **report_texts(consortium, year, weak)}
        data["progress"] = [{"state": "partly" if weak else "done", "note": "年度目标按计划推进" if not weak else "未按计划完成"}
                            for _ in report.target_progress]
        reports_services.save_report(report.pk, applicant, None, data)
        return reports_services.submit_report(report.pk, applicant)


def draft_report(consortium, applicant, year, step):
    """This year's report, begun and saved, not yet submitted."""
    report = reports_services.start_report(consortium.pk, applicant, year)
    data = {**figures(step), **report_texts(consortium, year)}
    data["progress"] = [{"state": "", "note": ""} for _ in report.target_progress]
    reports_services.save_report(report.pk, applicant, None, data)


def third_party_grade(consortium, staff, year, grade, opinion, on):
    with at(on):
        grading_services.evaluate(
            consortium.pk, staff, year=year, grade=grade, basis="third_party", opinion=opinion,
            third_party=certificate("第三方评价报告", consortium.lead_unit.name, consortium.record_number or ""),
            institution="江苏省科学技术发展战略研究院", report_date=on, report_number=f"苏科战评〔{on.year}〕{consortium.pk:03d}号",
        )


def score(assignment, base):
    values = {c.pk: Decimal(base - i) for i, c in enumerate(EvaluationCriterion.objects.filter(is_active=True))}
    grading_services.submit_panel_scores(assignment.pk, assignment.expert, values, "年度目标完成较好，联合攻关成效明显。")


def expert_grade(consortium, staff, experts, report, grade, opinion, on, scores):
    """Experts score the report (one of them must recuse and is skipped), then staff grade on their scores."""
    with at(on):
        panel, _ = grading_services.open_panel(consortium.pk, report.year, experts, staff)
        for assignment in panel.assignments.select_related("expert"):
            score(assignment, scores)
        grading_services.evaluate(consortium.pk, staff, year=report.year, grade=grade, basis="experts", opinion=opinion)


def project(consortium, staff, on, **data):
    with at(on):
        return support_services.record_project(consortium.pk, staff, data)
