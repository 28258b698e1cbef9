"""The audit log's words for 综合论证 and the experts' work (accounts.audit_actions)."""

from accounts.audit_actions import register

EXPERT_ASSIGNED = register("expert_assigned", "指派专家")
CONFLICT_DECLARED = register("conflict_declared", "声明回避")
SCORES_SUBMITTED = register("scores_submitted", "提交评分")
CRITERIA_CHANGED = register("criteria_changed", "修改评分项")
NOTICE_DOWNLOAD = register("notice_download", "下载备案通知书")
