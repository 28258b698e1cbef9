"""The audit log's words for the 培育库 (accounts.audit_actions)."""

from accounts.audit_actions import register

CANDIDATE_ADDED = register("candidate_added", "培育库：新增")
CANDIDATE_CHANGED = register("candidate_changed", "培育库：修改")
CANDIDATE_INVITED = register("candidate_invited", "培育库：邀请注册")
CANDIDATE_DROPPED = register("candidate_dropped", "培育库：不再跟进")
CANDIDATE_RESUMED = register("candidate_resumed", "培育库：恢复培育")
CANDIDATE_CITY_LED = register("candidate_city_led", "培育库：市级主导")
