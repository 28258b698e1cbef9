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
