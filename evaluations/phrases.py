"""Sentences of the after-filing stage that code and templates both say, once (pretalx keeps its phrases the same way).

Bottom layer: imports nothing of ours but the choices."""

from .choices import Grade

PLAN = "《镇江市创新联合体培育建设工作方案》"

# §六（二）: what a grade entails, printed at the end of a 评价结果通知.
CONSEQUENCES = {
    Grade.EXCELLENT: f"根据{PLAN}六（二），评价结果为“优秀”的，适当加大项目支持力度，并对符合条件的推荐申报省级以上创新联合体。",
    Grade.UNQUALIFIED: f"根据{PLAN}六（二），连续 2 次评价为“不合格”的，取消市级创新联合体资格，牵头单位 3 年内不得牵头或参与其他创新联合体。",
}

# The rule of 连续 2 次, as the grading page and the README say it.
CONSECUTIVE_RULE = ("“连续 2 次评价为不合格”按评价年度排列：按年度相邻的两次评价均为“不合格”即应取消资格（未评价的年度不算一次评价，"
                    "不隔断前后两次评价）；补评的年度按其年度排入。评价结果有误的，只能经复核更正，不能以评价其他年度代替。")

OVERDUE_REPORT = "逾期未报送"
GRADE_BASIS_REQUIRED = "请选择评价依据（专家评分或第三方评价报告）。"
