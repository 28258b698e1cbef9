"""The printed documents after 备案, through the dossier machinery (fonts, offline layout): the annual report
(A4, cover, page numbers), the 绩效评价结果通知 and the 取消资格决定 (one page each). Each is printed from its
frozen content, and carries a verification code taken from that content's SHA-256 (see consortium_links for
the verify page)."""

from applications.dossier import verification
from applications.dossier.render import document_pdf
from operations.text import chinese_date


def annual_report(report):
    content = report.content
    return document_pdf("evaluations/report_pdf.html", {
        "content": content, "code": verification.code_for(report.sha256),
        "submitted_on": chinese_date(content["submitted_at"]), "due_on": chinese_date(content["due_on"]),
    })


def grading_notice(evaluation):
    content = evaluation.content
    return document_pdf("evaluations/grading_notice.html", {
        "content": content, "code": verification.code_for(evaluation.sha256), "decided_on": chinese_date(content["decided_on"]),
    })


def correction_notice(correction):
    """The 评价结果通知 again, as corrected by a 复核: the same layout, saying what it corrects and why."""
    content = correction.content
    return document_pdf("evaluations/grading_notice.html", {
        "content": content, "code": verification.code_for(correction.sha256), "decided_on": chinese_date(content["decided_on"]),
        "corrects_on": chinese_date(content["corrects"]["decided_on"]),
    })


def revocation_notice(revocation):
    content = revocation.content
    return document_pdf("evaluations/revocation_notice.html", {
        "content": content, "code": verification.code_for(revocation.sha256),
        "revoked_on": chinese_date(content["revoked_on"]), "filed_on": chinese_date(content["consortium"]["filed_on"]),
        "ban_ends_on": chinese_date(content["ban_ends_on"]),
        "grades": [{**g, "decided_on": chinese_date(g["decided_on"])} for g in content["grades"]],
    })

