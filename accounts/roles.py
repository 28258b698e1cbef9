"""The roles of DESIGN.md §Who uses it. Bottom layer: imports nothing of ours."""

from django.db import models


class Role(models.TextChoices):
    APPLICANT = "applicant", "申报单位"
    DISTRICT_REVIEWER = "district_reviewer", "辖市区初审人员"
    MUNICIPAL_STAFF = "municipal_staff", "市科技局业务处室"
    EXPERT = "expert", "评审专家"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    AUDIT_ADMIN = "audit_admin", "安全审计员"


class BureauKind(models.TextChoices):
    DISTRICT = "district", "辖市区科技部门"
    MUNICIPAL = "municipal", "市科技局"


# What each role may do in the Django admin (/admin/), as "app_label.codename". Only the system
# admin enters the admin. Nothing here touches the audit log, and no role may delete: accounts,
# bureaus and fields are deactivated instead, so every record keeps naming who and what it was about.
# Accounts of audit admins are outside the system admin's reach whatever this says (accounts.admin).
ROLE_PERMISSIONS = {
    Role.SYSTEM_ADMIN: frozenset({
        "accounts.add_user", "accounts.change_user", "accounts.view_user",
        "accounts.add_bureau", "accounts.change_bureau", "accounts.view_bureau",
        "applications.add_industryfield", "applications.change_industryfield", "applications.view_industryfield",
        "applications.add_unit", "applications.change_unit", "applications.view_unit",
        "applications.view_consortium", "applications.view_unitban",
        "reviews.add_expertprofile", "reviews.change_expertprofile", "reviews.view_expertprofile",
        # Scoring criteria are the municipal staff's to edit (/reviews/criteria/); shown, not changed, here.
        "reviews.view_criterion",
        # Running it (operations): failed background tasks (re-run from their list), scheduled jobs, workers, and the
        # tasks waiting in the database for Redis (several servers).
        "operations.view_failedtask", "operations.view_scheduledjobrun", "operations.view_workerheartbeat",
        "operations.view_outboxtask",
    }),
}
