"""Who is told of each step after 备案, and what they read (applications.notifications' table, extended here).

The lead's accounts hear of every step; the city of what waits for it; the district bureau of the lead unit
(§六（一）: 各级科技部门协同指导) of the decisions that concern its consortium: a grade and its 复核, a revocation,
a member change recorded, a dissolution.
"""

from applications.choices import Status
from applications.notifications import APPLICANTS, CITY, DISTRICT, Notice, register

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
