"""The review stage's one-page A4 documents, printed through the dossier machinery (fonts, offline layout,
verification code): the 备案通知书 and the 综合论证意见. Both print frozen content: the members as the filed
version declared them, the experts' scores as submitted."""

from applications.dossier import verification
from applications.dossier.presenters import member_rows
from applications.dossier.render import document_pdf

from . import scoring


def filed_version(consortium):
    """The version the city filed: the last one submitted (a filed 申请书 is never submitted again)."""
    return consortium.application.versions.order_by("-number").first()


def filing_notice(consortium):
    version = filed_version(consortium)
    return document_pdf("reviews/notice.html", {
        "consortium": consortium,
        "lead_name": consortium.lead_unit.name,
        "members": member_rows(version.content["members"]) if version else [],
        "code": verification.code_for(version.sha256) if version else "",
    })


def appraisal_opinion(entry):
    version = entry.consortium.application.versions.filter(number=entry.version_number).first()
    summary = scoring.summarize(entry.assignments.all())
    return document_pdf("reviews/appraisal_opinion.html", {
        "entry": entry,
        "consortium": entry.consortium,
        "summary": summary,
        **scoring.score_table(summary),
        "version": version,
        "code": verification.code_for(version.sha256) if version else "",
    })
