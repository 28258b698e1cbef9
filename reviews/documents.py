"""The review stage's one-page A4 documents in the bureau's notice layout (templates/notices/base.html, GB/T 9704):
the 备案通知书 and the 综合论证意见. Each prints its own frozen content (services.filing_notice_content,
services.appraisal_content) with a code taken from that content's SHA-256; an 综合论证意见 not yet decided prints
from the live record as 未定稿: watermarked, unsigned, without a code."""

from applications.dossier import printed, verification
from applications.dossier.render import notice_pdf
from operations.text import chinese_date

from . import services
from .models import FilingNotice


def filing_notice(consortium):
    return _filing_notice_pdf(services.filing_notice(consortium))


def filing_notice_document(consortium):
    """The 备案通知书 as its page asks for it (frozen now if it was filed before notices were frozen)."""
    notice = services.filing_notice(consortium)
    return printed.Document("filing_notice", notice.pk, notice.sha256, "创新联合体备案通知书")


def appraisal_opinion_document(entry):
    """A decided 综合论证意见 as its page asks for it; None while the 综合论证 runs (the 未定稿 prints from the live
    record, see appraisal_opinion)."""
    entry = services.frozen_opinion(entry.pk)
    if entry.decided_at is None:
        return None
    return printed.Document("appraisal_opinion", entry.pk, entry.sha256, "综合论证意见")


def _filing_notice_pdf(notice):
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


printed.register("filing_notice", "创新联合体备案通知书", lambda pk: _filing_notice_pdf(FilingNotice.objects.get(pk=pk)))
printed.register("appraisal_opinion", "综合论证意见", lambda pk: appraisal_opinion(services.frozen_opinion(pk)))
