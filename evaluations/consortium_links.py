"""What the evaluations stage adds to earlier stages' pages: a link and a card on the consortium page, the
overdue-report flag in every list of consortia, and its printed documents on the public verify page."""

from django.db.models import Q
from django.urls import reverse

from applications import links, workflow
from applications import phrases as application_phrases
from applications.choices import Status
from applications.dossier import verification
from operations import clock
from operations.text import chinese_date

from . import common, rules
from .grading import selectors as grading_selectors
from .liaison import selectors as liaison_selectors
from .models import AnnualReport, Evaluation, GradeCorrection, Revocation
from .reports import selectors as report_selectors
from .sanctions import selectors as sanction_selectors


@links.consortium_link
def after_filing_page(user, consortium):
    if consortium.status in common.AFTER_FILING and workflow.in_scope(user, consortium.pk):
        return "运行管理（年度报告、绩效评价、成员变更、承担项目）", reverse("evaluations:consortium", args=[consortium.pk])
    return None


@links.consortium_section
def grades_and_reports(user, consortium):
    """The whole grade history, and where this year's report stands, on the consortium page."""
    if consortium.status not in common.AFTER_FILING:
        return None
    today = clock.today()
    years = report_selectors.report_years(user, consortium, today)
    grades = grading_selectors.grade_history(consortium)
    return "evaluations/_consortium_section.html", {
        "grades": grades,
        "report_years": years[:3],
        "overdue_years": [row.year for row in years if row.standing == "overdue"],
        "recommended": consortium.status == Status.FILED and rules.recommended([(e.year, e.grade) for e in grades]),
        "liaison": liaison_selectors.liaison_history(consortium)[:1],
    }


@links.consortium_flags
def overdue_reports(consortia):
    return {pk: [f"{'、'.join(str(y) for y in years)} 年度报告逾期"] for pk, years in report_selectors.overdue_map(consortia).items()}


@links.consortium_flags
def banned_members(consortia):
    """A unit banned after it joined (DESIGN.md rule 6): flagged until a member change removes it."""
    return {pk: [f"成员单位{name}受限制（{chinese_date(ban.ends_on)}前不得参与）" for name, ban in places]
            for pk, places in sanction_selectors.banned_members_map(consortia).items()}


@verification.document_finder
def printed_after_filing(digits):
    """An annual report, a 绩效评价结果通知 or a 取消资格决定, by the first 16 hex digits of its SHA-256."""
    report = AnnualReport.objects.filter(sha256__startswith=digits).exclude(Q(sha256="") | Q(submitted_at__isnull=True)).first()
    if report is not None:
        content = report.content
        return verification.Document(verification.code_for(report.sha256), f"{content['year']} 年度运行情况总结和下一年度工作计划", [
            ("创新联合体名称", content["consortium"]["name"]), ("备案编号", content["consortium"]["record_number"]),
            ("牵头单位", content["consortium"]["lead_unit"]), ("报送日期", chinese_date(content["submitted_at"])),
        ])
    evaluation = Evaluation.objects.filter(sha256__startswith=digits).exclude(sha256="").first()
    if evaluation is not None:
        content = evaluation.content
        facts = [("创新联合体名称", content["consortium"]["name"]), ("备案编号", content["consortium"]["record_number"]),
                 ("评价年度", f"{content['year']} 年度"), ("评价结果", content["grade_label"]),
                 ("评价日期", chinese_date(content["decided_on"]))]
        latest = evaluation.corrections.order_by("-decided_at", "-pk").first()
        if latest is not None:
            facts.append(("复核更正", f"本通知已于{chinese_date(latest.content['decided_on'])}经复核更正，"
                                      f"更正后的评价结果为“{latest.get_grade_display()}”（验证码 {verification.code_for(latest.sha256)}）"))
        return verification.Document(verification.code_for(evaluation.sha256), f"{content['year']} 年度绩效评价结果通知", facts)
    correction = GradeCorrection.objects.filter(sha256__startswith=digits).select_related("evaluation").first()
    if correction is not None:
        content = correction.content
        return verification.Document(verification.code_for(correction.sha256), f"{content['year']} 年度绩效评价结果通知（复核更正）", [
            ("创新联合体名称", content["consortium"]["name"]), ("原评价结果", content["corrects"]["grade_label"]),
            ("复核后评价结果", content["grade_label"]), ("复核日期", chinese_date(content["decided_on"])),
        ])
    revocation = Revocation.objects.filter(sha256__startswith=digits).first()
    if revocation is not None:
        content = revocation.content
        return verification.Document(verification.code_for(revocation.sha256), "取消市级创新联合体资格决定", [
            *([("文号", content["document_number"])] if content.get("document_number") else []),
            ("创新联合体名称", content["consortium"]["name"]), ("牵头单位", content["consortium"]["lead_unit"]),
            ("取消日期", chinese_date(content["revoked_on"])),
            ("限制期", f"{chinese_date(content['ban_starts_on'])}起，{chinese_date(content['ban_ends_on'])}前{application_phrases.BAN_SCOPE}"),
        ])
    return None

