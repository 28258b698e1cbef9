"""The 培育库's words (seed §四（一）: 市级主导和板块推荐相结合). Bottom layer."""

from django.db import models


class CandidateStatus(models.TextChoices):
    CULTIVATING = "cultivating", "培育中"
    INVITED = "invited", "已邀请注册"
    APPLIED = "applied", "已提交申请"
    FILED = "filed", "已备案"
    DROPPED = "dropped", "不再跟进"


class Origin(models.TextChoices):
    DISTRICT = "district", "板块推荐"
    CITY = "city", "市级主导"


# A candidate may be invited (again) and dropped only before its application is in.
BEFORE_APPLYING = (CandidateStatus.CULTIVATING, CandidateStatus.INVITED)
