"""The review page's 形式审查 is drawn in Python (applications/templatetags/portal.py, check_list): the HTML of the
template loop it replaced (kept in tests/reviews/reference/check_list.html), for a check in every state, with reasons
that must be escaped."""

from pathlib import Path

from django.template import engines

from applications.readiness import Check
from applications.templatetags.portal import check_list

REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "check_list.html").read_text())

CHECKS = [
    Check("成员单位数量", "members"),
    Check("<组建协议> & “签署”", "charter", reasons=['缺少“<b>理事会</b>”', "第二条 & 第三条"]),
    Check("成员单位不少于 4 家", "members", reasons=["现有 3 家"], in_principle=True, explained=True),
    Check("首席专家", "organization", reasons=["未填写"], not_asked=True),
    Check("牵头单位", "basic", reasons=["未通过"], in_principle=True),
]


def test_the_checks_are_the_html_of_the_template_loop_they_replaced():
    assert [check.state for check in CHECKS] == ["pass", "fail", "explained", "not_asked", "fail"]
    assert check_list(CHECKS) == REFERENCE.render({"checks": CHECKS}).strip()
    assert check_list([]) == ""
    drawn = check_list(CHECKS)
    assert drawn.count("<li ") == 5 and "&lt;组建协议&gt; &amp; “签署”" in drawn and "&lt;b&gt;理事会&lt;/b&gt;" in drawn
    assert '<span class="text-warning-emphasis">现有 3 家</span>' in drawn
