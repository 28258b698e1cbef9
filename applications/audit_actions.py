"""The audit log's words for what happens to registrations and the 申请书 (accounts.audit_actions)."""

from accounts.audit_actions import register

REGISTRATION = register("registration", "单位注册")
REGISTRATION_DECISION = register("registration_decision", "注册审核")
PART_SAVED = register("part_saved", "保存申请书")
ATTACHMENT_UPLOADED = register("attachment_uploaded", "上传附件")
ATTACHMENT_DELETED = register("attachment_deleted", "删除附件")
STATUS_CHANGE = register("status_change", "状态变更")  # every step of every state table (workflow.transition)
DOSSIER_DOWNLOAD = register("dossier_download", "下载申请书打印文件")
