"""Choices of the after-filing stage (seed §五, §六). Bottom layer: imports nothing of ours."""

from decimal import Decimal

from django.db import models


class Grade(models.TextChoices):
    """§六（二）: the three grades of the 绩效评价."""

    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    UNQUALIFIED = "unqualified", "不合格"


class EvaluationBasis(models.TextChoices):
    """§六（二）: 组织专家 or 委托专业第三方 — the two methods the plan names. NO_REPORT is kept for evaluations decided
    before every grade had to rest on one of them (a year whose report never came graded by staff alone)."""

    EXPERTS = "experts", "专家评分"
    THIRD_PARTY = "third_party", "第三方评价报告"
    NO_REPORT = "no_report", "逾期未报送年度报告（旧规则）"


class RecommendationOutcome(models.TextChoices):
    PENDING = "pending", "待结果"
    ACCEPTED = "accepted", "获省级以上认定"
    DECLINED = "declined", "未获认定"


class ProjectLevel(models.TextChoices):
    MUNICIPAL = "municipal", "市级"
    PROVINCIAL = "provincial", "省级"
    NATIONAL = "national", "国家级"


class ProjectKind(models.TextChoices):
    KEY_PROJECT = "key_project", "市科技计划“项目+课题”重点项目"
    OPEN_COMPETITION = "open_competition", "揭榜挂帅"
    PROVINCIAL_PLAN = "provincial_plan", "省级以上科技计划"
    OTHER = "other", "其他"


class ProjectStatus(models.TextChoices):
    ONGOING = "ongoing", "在研"
    CONCLUDED = "concluded", "结题"
    TERMINATED = "terminated", "终止"


# §五（一）（二）: the most the city gives a project of each kind, in 万元.
FUNDING_CAPS = {ProjectKind.KEY_PROJECT: Decimal("200"), ProjectKind.OPEN_COMPETITION: Decimal("100")}


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待办理"
    FILED = "filed", "已备案"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"


class TargetState(models.TextChoices):
    """How far a yearly target of the filed 建设方案 was reached, as the annual report states it."""

    DONE = "done", "完成"
    PARTLY = "partly", "部分完成"
    NOT_DONE = "not_done", "未完成"


class ReportStanding(models.TextChoices):
    """Where a consortium's annual report of a year stands (shown in lists; never stored)."""

    NOT_STARTED = "not_started", "未填报"
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已报送"
    SUBMITTED_LATE = "submitted_late", "逾期报送"
    OVERDUE = "overdue", "逾期未报送"


class Reminder(models.TextChoices):
    """The reminders of an annual report's due date (12-31), each sent once per report."""

    BEFORE_30 = "before_30", "截止前 30 天"
    BEFORE_7 = "before_7", "截止前 7 天"
    OVERDUE = "overdue", "逾期次日"


class ChangeAction(models.TextChoices):
    ADD = "add", "新增"
    REMOVE = "remove", "退出"


# The annual report as the template asks it: the figures by group (each compared with last year's), then the texts.
FIGURE_GROUPS = [
    ("研发投入", ["rd_spend_lead", "rd_spend_members"]),
    ("联合攻关", ["joint_projects_started", "joint_projects_finished"]),
    ("知识产权", ["patents_applied", "invention_patents_applied", "patents_granted", "invention_patents_granted"]),
    ("人才团队与创新平台", ["talents_introduced", "teams_introduced", "platforms_built"]),
    ("产学研活动", ["forums_held", "roadshows_held", "matchmaking_held"]),
    ("成果转移转化", ["results_transferred", "transfer_value"]),
]


FIGURES = [name for _, names in FIGURE_GROUPS for name in names]


REPORT_TEXTS = ["summary", "problems", "next_year_plan"]
