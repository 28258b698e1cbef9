"""What changed between two frozen versions (applications.diff), as reviewers read it."""

import copy

from applications import diff


def content():
    return {
        "consortium": {"name": "甲联合体", "industry_field": "智能电气", "chief_scientist": "孙", "chief_scientist_title": "教授"},
        "application": {"governance": "理事会", "lead_types": ["high_tech"], "staff_total": 10, "shortfall_statement": ""},
        "members": [{"role": "lead", "unit": {"name": "甲公司", "kind": "enterprise", "credit_code": "A"}, "task_division": "牵头"},
                    {"role": "member", "unit": {"name": "乙大学", "kind": "university", "credit_code": "B"}, "task_division": "研究"}],
        "platforms": [{"name": "省级中心", "level": "provincial"}],
        "projects": [],
        "targets": [{"year": 2027, "tasks": "攻关", "rd_investment": "100.00"}],
        "attachments": [{"sha256": "1", "title": "营业执照", "unit_name": "甲公司"}],
    }


def test_identical_versions_have_no_changes():
    assert diff.compare(content(), content()) == []


def test_changes_are_listed_field_by_field_and_row_by_row_in_the_templates_order():
    old, new = content(), content()
    new["application"]["governance"] = "理事会、秘书处"
    new["application"]["lead_types"] = ["high_tech", "listed"]
    new["application"]["shortfall_statement"] = "上游企业较少。"
    new["members"][1]["unit"]["kind"] = "institute"
    new["members"].append({"role": "member", "unit": {"name": "丙公司", "kind": "enterprise", "credit_code": "C"}, "task_division": "中试"})
    new["platforms"][0]["level"] = "national"
    new["attachments"] = []
    changes = [(c.section, c.item, c.field, c.old, c.new, c.kind) for c in diff.compare(old, new)]
    assert changes == [
        ("申请书", "", "牵头单位类型", "高新技术企业", "高新技术企业、上市企业", "changed"),
        ("申请书", "", "联合体决策及运行机制", "理事会", "理事会、秘书处", "changed"),
        ("申请书", "", "情况说明", "（空）", "上游企业较少。", "changed"),
        ("成员单位", "乙大学", "单位类型", "高校", "科研院所", "changed"),
        ("成员单位", "丙公司", "", "", "新增", "added"),
        ("创新平台", "省级中心", "级别", "省级", "国家级", "changed"),
        ("附件材料", "营业执照（甲公司）", "", "删除", "", "removed"),
    ]


def test_an_older_version_without_a_later_field_shows_it_as_not_asked():
    old = copy.deepcopy(content())
    del old["application"]["shortfall_statement"]
    new = content()
    new["application"]["shortfall_statement"] = "说明"
    assert [(c.field, c.old, c.new) for c in diff.compare(old, new)] == [("情况说明", "（本版本未填报）", "说明")]
    new["application"]["shortfall_statement"] = ""
    assert diff.compare(old, new) == []  # left empty in the newer version: nothing changed


def test_signatures_and_organs_are_compared_unit_by_unit_and_seat_by_seat():
    old, new = content(), content()
    signature = {"unit_credit_code": "B", "unit_name": "乙大学", "capacity": "legal_representative", "person_name": "王五",
                 "signed_on": "2026-11-01", "authorization_id": None, "authorization_sha256": ""}
    old.update(signatories=[signature], bodies=[{"body": "council", "role": "chair", "name": "张三", "unit_name": "甲公司", "title": "董事长"}])
    new.update(signatories=[{**signature, "capacity": "authorised", "person_name": "钱六", "authorization_id": 9,
                             "authorization_sha256": "ab" * 32}],
               bodies=[{"body": "council", "role": "vice", "name": "张三", "unit_name": "甲公司", "title": "董事长"},
                       {"body": "advisory", "role": "chair", "name": "孙立新", "unit_name": "江苏大学", "title": "教授"}])
    assert [(c.section, c.item, c.field, c.old, c.new) for c in diff.compare(old, new)] == [
        ("组织机构", "理事会 张三", "职务", "理事长", "副理事长"),
        ("组织机构", "专家指导委员会 孙立新", "", "", "新增"),
        ("组建协议签署", "乙大学", "签署人身份", "法定代表人", "授权人"),
        ("组建协议签署", "乙大学", "签署人", "王五", "钱六"),
        ("组建协议签署", "乙大学", "授权书", "（空）", "已上传（abababababab…）"),
    ]
