"""年度运行情况总结和下一年度工作计划 (§六（三）): written by the lead, 暂存 at any time, frozen when submitted, due 12-31."""
