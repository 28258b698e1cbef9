"""The printed documents after 备案, through the dossier machinery (fonts, offline layout): the annual report
(A4, cover, page numbers), and in the bureau's notice layout (templates/notices/base.html, GB/T 9704) the
绩效评价结果通知 and the 取消资格决定. Each is printed from its frozen content, and carries a verification code taken
from that content's SHA-256 (see consortium_links for the verify page). Contents frozen before a key was added
(抄送, 文号, remedies) still print: the notices take what is there.

Pages serve each through applications.dossier.printed (rendered once by the task worker, then served as a file):
the ``*_document`` functions name what a page asks for, the renderers registered at the end make the PDF."""

from django.conf import settings

from applications.dossier import printed, verification
from applications.dossier.render import document_pdf, notice_pdf
from operations.text import chinese_date
from reviews.services import copy_to

from .models import AnnualReport, Evaluation, GradeCorrection, Revocation


def annual_report(report):
    content = report.content
    return document_pdf("evaluations/report_pdf.html", {
        "content": content, "code": verification.code_for(report.sha256),
        "submitted_on": chinese_date(content["submitted_at"]), "due_on": chinese_date(content["due_on"]),
    })


def _copy_to(content, consortium):
    """The district the decision is copied to, as frozen; for contents frozen before it was, its bureau today."""
    return content["copy_to"] if "copy_to" in content else copy_to(consortium)


def grading_notice(evaluation):
    content = evaluation.content
    return notice_pdf("evaluations/grading_notice.html", {
        "content": content, "decided_on": chinese_date(content["decided_on"]),
        "third_party_report_on": chinese_date(content.get("third_party_report_date")),
        "copy_to": _copy_to(content, evaluation.consortium),
    }, code=verification.code_for(evaluation.sha256))


def correction_notice(correction):
    """The 评价结果通知 again, as corrected by a 复核: the same layout, saying what it corrects and why."""
    content = correction.content
    return notice_pdf("evaluations/grading_notice.html", {
        "content": content, "decided_on": chinese_date(content["decided_on"]),
        "corrects_on": chinese_date(content["corrects"]["decided_on"]),
        # The corrected notice's code as it printed it; none for a grade brought in from paper.
        "corrects_code": verification.code_for(content["corrects"]["code"]) if content["corrects"]["code"] else "",
        "third_party_report_on": chinese_date(content.get("third_party_report_date")),
        "copy_to": _copy_to(content, correction.evaluation.consortium),
    }, code=verification.code_for(correction.sha256))


def revocation_notice(revocation):
    content = revocation.content
    return notice_pdf("evaluations/revocation_notice.html", {
        "content": content,
        "revoked_on": chinese_date(content["revoked_on"]), "filed_on": chinese_date(content["consortium"]["filed_on"]),
        "ban_ends_on": chinese_date(content["ban_ends_on"]),
        "grades": [{**g, "decided_on": chinese_date(g["decided_on"])} for g in content["grades"]],
        "remedies": content.get("remedies") or settings.REVOCATION_REMEDIES_TEXT,
        "copy_to": _copy_to(content, revocation.consortium),
    }, code=verification.code_for(revocation.sha256))



def annual_report_document(report):
    return printed.Document("annual_report", report.pk, report.sha256, f"{report.year} 年度运行情况总结和下一年度工作计划")


def grading_notice_document(evaluation):
    return printed.Document("grading_notice", evaluation.pk, evaluation.sha256, f"{evaluation.year} 年度绩效评价结果通知")


def correction_notice_document(correction):
    return printed.Document("correction_notice", correction.pk, correction.sha256, "绩效评价结果通知（复核更正）")


def revocation_notice_document(revocation):
    return printed.Document("revocation_notice", revocation.pk, revocation.sha256, "取消资格决定")


printed.register("annual_report", "年度运行情况总结和下一年度工作计划", lambda pk: annual_report(AnnualReport.objects.get(pk=pk)))
printed.register("grading_notice", "绩效评价结果通知",
                 lambda pk: grading_notice(Evaluation.objects.select_related("consortium").get(pk=pk)))
printed.register("correction_notice", "绩效评价结果通知（复核更正）",
                 lambda pk: correction_notice(GradeCorrection.objects.select_related("evaluation__consortium").get(pk=pk)))
printed.register("revocation_notice", "取消资格决定", lambda pk: revocation_notice(Revocation.objects.select_related("consortium").get(pk=pk)))
