"""Who is told of each step after 备案, and what they read (applications.notifications' table, extended here).

The lead's accounts hear of every step; the city of what waits for it; the district bureau of the lead unit
(§六（一）: 各级科技部门协同指导) of the decisions that concern its consortium: a grade and its 复核, a revocation,
a member change recorded, a dissolution (and, outside the table, of a report submitted or overdue and of a ban of one of
its units: reports.services, sanctions.services). The 科技联络员 is asked for an opinion (never required) when the lead asks
for a member change or a dissolution (``ask_liaison``).
"""

import logging

from django.urls import reverse

from accounts import notify
from applications import workflow
from applications.choices import Status
from applications.models import Consortium
from applications.notifications import APPLICANTS, CITY, DISTRICT, Notice, register

from .liaison.services import current_liaison

logger = logging.getLogger(__name__)

S = Status
AFTER_FILING = {
    ("evaluate", S.FILED): [
        Notice(APPLICANTS, "绩效评价结果：{name}", "市科技局已完成对您单位牵头的“{name}”的绩效评价。", "评价意见"),
        Notice(DISTRICT, "绩效评价结果：{name}", "市科技局已完成对{lead}牵头的“{name}”的绩效评价。", "评价意见", "evaluations:consortium"),
    ],
    ("correct_grade", S.FILED): [
        Notice(APPLICANTS, "绩效评价结果复核更正：{name}", "市科技局经复核，更正了您单位牵头的“{name}”的绩效评价结果，原评价结果通知作废。", "复核理由",
               "evaluations:consortium"),
        Notice(DISTRICT, "绩效评价结果复核更正：{name}", "市科技局经复核，更正了{lead}牵头的“{name}”的绩效评价结果。", "复核理由",
               "evaluations:consortium"),
    ],
    ("revoke", S.REVOKED): [
        Notice(APPLICANTS, "取消资格：{name}", "您单位牵头的“{name}”连续 2 次绩效评价为“不合格”，已被市科技局取消市级创新联合体资格。", "决定意见"),
        Notice(DISTRICT, "取消资格：{name}", "{lead}牵头的“{name}”连续 2 次绩效评价为“不合格”，已被市科技局取消市级创新联合体资格。", "决定意见",
               "evaluations:consortium"),
    ],
    ("request_member_change", S.FILED): [
        Notice(APPLICANTS, "成员变更已提交：{name}", "您单位牵头的“{name}”成员变更申请（补充协议）已提交，等待市科技局备案。", "变更说明"),
        Notice(CITY, "待备案：{name}成员变更", "{lead}牵头的“{name}”提交了成员变更申请（补充协议），请及时办理备案。", "变更说明"),
    ],
    ("file_member_change", S.FILED): [
        Notice(APPLICANTS, "成员变更已备案：{name}", "市科技局已对您单位牵头的“{name}”成员变更予以备案。", "备案意见"),
        Notice(DISTRICT, "成员变更已备案：{name}", "市科技局已对{lead}牵头的“{name}”成员变更予以备案。", "备案意见", "evaluations:consortium"),
    ],
    ("return_member_change", S.FILED): [
        Notice(APPLICANTS, "成员变更被退回：{name}", "您单位牵头的“{name}”成员变更申请被市科技局退回，请按意见修改后重新提交。", "退回意见"),
    ],
    ("request_dissolution", S.FILED): [
        Notice(APPLICANTS, "解散申请已提交：{name}", "您单位牵头的“{name}”解散申请已提交，等待市科技局办理。", "解散理由"),
        Notice(CITY, "待办理：{name}解散申请", "{lead}申请解散“{name}”，请及时办理。", "解散理由"),
    ],
    ("return_dissolution", S.FILED): [
        Notice(APPLICANTS, "解散申请被退回：{name}", "您单位牵头的“{name}”解散申请被市科技局退回。", "退回意见"),
    ],
    ("dissolve", S.DISSOLVED): [
        Notice(APPLICANTS, "创新联合体解散：{name}", "您单位牵头的“{name}”已由市科技局办理解散。"),
        Notice(DISTRICT, "创新联合体解散：{name}", "{lead}牵头的“{name}”已由市科技局办理解散。", "意见", "evaluations:consortium"),
    ],
    ("assign_liaison", S.FILED): [
        Notice(APPLICANTS, "科技联络员：{name}", "市科技局为您单位牵头的“{name}”选派了科技联络员，负责联系指导和组织协调。"),
    ],
}
del S


def register_all():
    for (action, status), notices in AFTER_FILING.items():
        register(action, status, *notices)
    workflow.status_changed.connect(ask_liaison, sender=Consortium, dispatch_uid="evaluations.ask_liaison")


# What the 科技联络员 is asked about: (the lead's request, what it is called, the page where the opinion is written).
ASKED = {
    "request_member_change": ("成员变更申请", lambda consortium: reverse("evaluations:consortium", args=[consortium.pk])),
    "request_dissolution": ("解散申请", lambda consortium: reverse("evaluations:dissolution", args=[consortium.pk])),
}


def ask_liaison(sender, consortium, change, **kwargs):
    """Receiver of workflow.status_changed (after commit): never raises into the step."""
    asked = ASKED.get(change.action)
    if asked is None:
        return
    try:
        liaison = current_liaison(consortium)
        if liaison is not None:
            what, page = asked
            notify.notify([liaison.officer], f"请填写联络员意见：{consortium.name}{what}",
                          f"您联系的“{consortium.name}”提交了{what}。请在办理前填写科技联络员意见（选填），供市科技局参考。", page(consortium))
    except Exception:
        logger.exception("The liaison of consortium %s could not be asked about %s", consortium.pk, change.action)
