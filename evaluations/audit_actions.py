"""The audit log's words for what happens after 备案 besides the decisions on a consortium, which are status changes
(accounts.audit_actions)."""

from accounts.audit_actions import register

REPORT_SAVED = register("report_saved", "暂存年度报告")
REPORT_SUBMITTED = register("report_submitted", "报送年度报告")
PROJECT_RECORDED = register("project_recorded", "登记承担项目")
PROJECT_CHANGED = register("project_changed", "修改承担项目")
SUPPORT_RECORDED = register("support_recorded", "登记支持记录")
SUPPORT_CHANGED = register("support_changed", "修改支持记录")
FILED_IMPORT_CHECKED = register("filed_import_checked", "检查历史备案导入文件")
FILED_IMPORTED = register("filed_imported", "导入历史备案创新联合体")
BAN_RECORDED = register("ban_recorded", "记录限制牵头/参与")
BAN_LIFTED = register("ban_lifted", "解除限制牵头/参与")
BAN_LIFT_PROPOSED = register("ban_lift_proposed", "提出解除限制")  # four-eyes: one officer proposes, another confirms
BAN_LIFT_WITHDRAWN = register("ban_lift_withdrawn", "撤回解除限制")
REPORT_OPENED = register("report_opened", "查阅年度报告")
WORK_RECORDED = register("work_recorded", "记录走访/会议/协调")
FOLLOW_UP_CHANGED = register("follow_up_changed", "跟进事项完成情况")
LIAISON_OPINION = register("liaison_opinion", "科技联络员意见")
