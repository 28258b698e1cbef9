"""What the review stage adds to earlier stages' pages: its links on the consortium page of the applications app
(see applications.links), and its printed documents on the public verify page."""

from django.db.models import Q
from django.urls import reverse

from applications import links, permissions
from applications.dossier import verification
from operations.text import chinese_date

from .models import FilingNotice, RoundEntry


@links.consortium_link
def review_page(user, consortium):
    if permissions.can_review(user, consortium)[0]:
        return "进入审查页面", reverse("reviews:review", args=[consortium.pk])
    return None


@links.consortium_link
def filing_notice(user, consortium):
    if consortium.record_number:
        return "下载备案通知书（PDF）", reverse("reviews:filing_notice", args=[consortium.pk])
    return None


@verification.document_finder
def printed_by_review(digits):
    """A 备案通知书 or a decided 综合论证意见, by the first 16 hex digits of its frozen content's SHA-256: what it
    states, as printed, so that a paper with an altered number or date does not verify."""
    notice = FilingNotice.objects.filter(sha256__startswith=digits).first()
    if notice is not None:
        content = notice.content
        return verification.Document(verification.code_for(notice.sha256), "创新联合体备案通知书", [
            ("备案编号", content["record_number"]), ("备案日期", chinese_date(content["filed_on"])),
            ("创新联合体名称", content["consortium"]["name"]), ("牵头单位", content["consortium"]["lead_unit"]),
            ("成员单位", f"{len(content['members'])} 家（含牵头单位）"),
        ])
    entry = RoundEntry.objects.filter(sha256__startswith=digits).exclude(Q(sha256="") | Q(decided_at__isnull=True)).first()
    if entry is not None:
        content = entry.content
        return verification.Document(verification.code_for(entry.sha256), "创新联合体综合论证意见", [
            ("创新联合体名称", content["consortium"]["name"]), ("牵头单位", content["consortium"]["lead_unit"]),
            ("论证批次", f"{content['round']}（申请书第{content['version_number']}版）"),
            ("论证结论", content["decision_label"]), ("平均加权得分", content["summary"]["mean"] or "—"),
            ("日期", chinese_date(content["decided_on"])),
        ])
    return None
