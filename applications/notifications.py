"""Who is told of each step of the lifecycle, and what they read.

One table, like the workflow's: (action, new status) → the notices it sends. The lead unit's
applicant accounts hear of every step; the district reviewers of the lead unit's bureau hear of
what arrives in their 初审 queue, the municipal staff of what arrives at 综合论证. Notices name
the consortium, the step and the written opinion, never an expert or a score.

A later stage adds the notices of its own steps with ``register()`` (in its AppConfig.ready()), so that
this module never names what comes after it.
"""

import logging
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts import notify
from accounts.roles import Role
from operations.text import chinese_date

from .choices import Status
from .models import users_who_see

logger = logging.getLogger(__name__)

APPLICANTS, DISTRICT, CITY = "applicants", "district", "city"


@dataclass(frozen=True)
class Notice:
    audience: str
    title: str
    body: str  # placeholders: {name} {lead} {bureau} {record_number} {filed_on}
    opinion_label: str = "意见"
    page: str = "applications:detail"  # the URL name (taking the consortium's id) the notice links to


S = Status
NOTICES = {
    ("submit", S.SUBMITTED): [
        Notice(APPLICANTS, "申请已提交：{name}", "您单位牵头的“{name}”备案申请已提交成功，等待{bureau}初审。"),
        Notice(DISTRICT, "待初审：{name}", "{lead}牵头的“{name}”备案申请已提交，请及时进行初审。"),
    ],
    ("resubmit", S.SUBMITTED): [
        Notice(APPLICANTS, "申请已重新提交：{name}", "您单位牵头的“{name}”备案申请已按退回意见修改并重新提交，等待{bureau}初审。"),
        Notice(DISTRICT, "待初审（修改后重新提交）：{name}", "{lead}已按退回意见修改“{name}”备案申请并重新提交，请及时进行初审。"),
    ],
    ("resubmit", S.DISTRICT_PASSED): [
        Notice(APPLICANTS, "申请已重新提交：{name}", "您单位牵头的“{name}”备案申请已按市科技局退回意见修改并重新提交，等待综合论证。"),
        Notice(CITY, "待综合论证（修改后重新提交）：{name}", "{lead}已按综合论证退回意见修改“{name}”备案申请并重新提交，请继续组织综合论证。"),
    ],
    ("district_pass", S.DISTRICT_PASSED): [
        Notice(APPLICANTS, "初审通过：{name}", "您单位牵头的“{name}”备案申请已通过{bureau}初审，已推荐至市科技局综合论证。", "初审意见"),
        Notice(CITY, "待综合论证：{name}", "{bureau}已初审通过{lead}牵头的“{name}”备案申请并推荐至市科技局，请组织综合论证。", "初审意见"),
    ],
    ("district_return", S.RETURNED): [
        Notice(APPLICANTS, "申请被退回修改：{name}", "您单位牵头的“{name}”备案申请被{bureau}退回修改，请按意见修改后重新提交。", "退回意见"),
    ],
    ("district_reject", S.REJECTED): [
        Notice(APPLICANTS, "初审未通过：{name}", "您单位牵头的“{name}”备案申请未通过{bureau}初审。", "初审意见"),
    ],
    ("start_appraisal", S.UNDER_APPRAISAL): [
        Notice(APPLICANTS, "进入综合论证：{name}", "您单位牵头的“{name}”备案申请已进入市科技局综合论证阶段。"),
    ],
    ("file", S.FILED): [
        Notice(APPLICANTS, "予以备案：{name}",
               "您单位牵头的创新联合体经市科技局综合论证，予以备案。\n名称：{name}\n备案编号：{record_number}\n备案日期：{filed_on}",
               "综合论证意见"),
    ],
    ("not_file", S.NOT_FILED): [
        Notice(APPLICANTS, "不予备案：{name}", "您单位牵头的“{name}”备案申请经市科技局综合论证，不予备案。", "综合论证意见"),
    ],
    ("city_return", S.RETURNED_BY_CITY): [
        Notice(APPLICANTS, "申请被市科技局退回修改：{name}", "您单位牵头的“{name}”备案申请经综合论证被市科技局退回修改，请按意见修改后重新提交。", "退回意见"),
    ],
}
del S


def on_status_changed(sender, consortium, change, **kwargs):
    """Receiver of workflow.status_changed (sent after commit): the action is done, so never raise."""
    try:
        send_notices(consortium, change)
    except Exception:
        logger.exception("Notices for status change %s of consortium %s could not be sent", change.pk, consortium.pk)


def register(action, to_status, *notices):
    """A later stage's notices of one of its steps (``to_status``: the consortium's status after it)."""
    if (action, to_status) in NOTICES:
        raise ImproperlyConfigured(f"notifications: the notices of “{action}” are registered twice")
    NOTICES[(action, to_status)] = list(notices)


def send_notices(consortium, change):
    values = _values(consortium)
    for notice in NOTICES.get((change.action, change.to_status), []):
        recipients = list(recipients_of(notice.audience, consortium))
        link = reverse(notice.page, args=[consortium.pk])
        notify.notify(recipients, notice.title.format(**values), _body(notice, values, change), link)


AUDIENCE_ROLES = {APPLICANTS: Role.APPLICANT, DISTRICT: Role.DISTRICT_REVIEWER, CITY: Role.MUNICIPAL_STAFF}


def recipients_of(audience, consortium):
    """Everyone of the audience's role who sees the consortium (the one scope rule, read backwards)."""
    return users_who_see(consortium, AUDIENCE_ROLES[audience]).order_by("pk")


def _values(consortium):
    lead = consortium.lead_unit
    return {
        "name": consortium.name,
        "lead": lead.name,
        "bureau": lead.bureau.name if lead.bureau_id else "辖市区科技部门",
        "record_number": consortium.record_number or "",
        "filed_on": chinese_date(consortium.filed_on),
    }


def _body(notice, values, change):
    """The notice's text, then what the step decided (change.detail), then the written opinion."""
    lines = [notice.body.format(**values)]
    if change.detail:
        lines.append(change.detail)
    if change.opinion:
        lines.append(f"{notice.opinion_label}：{change.opinion}")
    return "\n".join(lines)
