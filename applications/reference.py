"""The city's 四群八链 key industry chains as first installed; system admins edit them later."""

INDUSTRY_FIELDS = [
    # (cluster, chain)
    ("高端装备制造产业集群", "智能电气"),
    ("高端装备制造产业集群", "航空航天"),
    ("高端装备制造产业集群", "海工装备和船舶"),
    ("新材料产业集群", "高性能材料"),
    ("新能源产业集群", "新能源"),
    ("新能源产业集群", "新能源汽车及零部件"),
    ("生命健康产业集群", "生物医药"),
    ("生命健康产业集群", "医疗器械"),
    ("数字经济", "数字经济"),
]


def install(IndustryField):
    for order, (cluster, name) in enumerate(INDUSTRY_FIELDS, start=1):
        IndustryField.objects.get_or_create(name=name, defaults={"cluster": cluster, "sort_order": order})
