"""The default 综合论证 criteria, drawn from the work plan §三 组建条件; staff edit them afterwards."""

DEFAULT_CRITERIA = [
    ("牵头单位行业影响力", "在镇江市注册的龙头企业，能引领带动产业链上下游、整合创新资源（§三（一）1）", 20),
    ("牵头单位研发实力", "科技创新战略、高水平研发机构和队伍、研发投入强度（§三（一）2）", 20),
    ("组织协同能力", "牵头组织学术交流、科技服务、产学研合作、成果转化的能力（§三（一）3）", 15),
    ("成员互补与合作基础", "成员与牵头企业的合作基础，高校院所的研究支撑，企业的配套能力（§三（二））", 15),
    ("建设方案与量化目标", "建设任务按年度细化，有量化指标（申请书 建设方案）", 15),
    ("运行机制", "决策执行、知识产权归属、收益分配、经费与项目管理机制（§四（二））", 15),
]


def install(Criterion):
    """The default criteria, only where there are none (staff may have changed them)."""
    if not Criterion.objects.exists():
        for order, (name, description, weight) in enumerate(DEFAULT_CRITERIA, start=1):
            Criterion.objects.create(name=name, description=description, weight=weight, sort_order=order)
