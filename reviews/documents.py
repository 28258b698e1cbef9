"""The review stage's one-page A4 documents in the bureau's notice layout (templates/notices/base.html, GB/T 9704):
the 备案通知书 and the 综合论证意见. Each prints its own frozen content (services.filing_notice_content,
services.appraisal_content) with a code taken from that content's SHA-256; an 综合论证意见 not yet decided prints
from the live record as 未定稿: watermarked, unsigned, without a code."""

from applications.dossier import verification
from applications.dossier.render import notice_pdf
from operations.text import chinese_date

from . import services


def filing_notice(consortium):
    notice = services.filing_notice(consortium)
    content = notice.content
    return notice_pdf("reviews/notice.html", {
        "content": content, "filed_on": chinese_date(content["filed_on"]), "copy_to": content.get("copy_to", ""),
    }, code=verification.code_for(notice.sha256))


def appraisal_opinion(entry):
    """The decided opinion as frozen, or the running one as 未定稿."""
    entry = services.frozen_opinion(entry.pk)
    if entry.decided_at is None:
        return notice_pdf("reviews/appraisal_opinion.html", {"content": services.appraisal_content(entry)}, draft=True)
    content = entry.content
    return notice_pdf("reviews/appraisal_opinion.html", {
        "content": content, "decided_on": chinese_date(content["decided_on"]),
    }, code=verification.code_for(entry.sha256))
