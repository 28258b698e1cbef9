"""The district's registration queue is drawn in Python (applications/templatetags/portal.py, registration_cards): it must
be, character for character, the HTML of the template loop it replaced (kept in tests/applications/reference/): the
memberships that already declare the code, a code issued outside 镇江, each answer on 独立法人, values that must be
escaped, the form with its CSRF token or without one, and the card saying there are none."""

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, engines

from applications.templatetags.portal import registration_cards

REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "registration_cards.html").read_text())


def registration(pk, credit_code, is_legal_person, name="镇江注册企业有限公司"):
    return SimpleNamespace(
        pk=pk, name=name, credit_code=credit_code, is_legal_person=is_legal_person, legal_representative="李四",
        address="镇江市京口区学府路 2 号 <3楼>", region_flag="",
        created_at=datetime(2026, 12, 3, 23, 59, 30, tzinfo=UTC),  # 2026-12-04 07:59 in Beijing
        applicant=SimpleNamespace(full_name="王 & 经理", phone="13800000001", email="wang@example.com"))


def declared(consortium, unit_name, kind):
    return SimpleNamespace(consortium=SimpleNamespace(name=consortium), unit_name=unit_name, get_unit_kind_display=lambda: kind)


ROWS = [
    (registration(1, "91321100MA1XXXXXX1", True), []),
    (registration(2, "91320100MA1XXXXXX2", None, name='<b>"南京" 来的企业</b>'),
     [declared("镇江甲联合体", "申报的<名称>", "企业"), declared("镇江乙联合体", "另一个名称", "高校")]),
    (registration(3, "91321100MA1XXXXXX3", False), [declared("镇江丙联合体", "丙", "科研院所")]),
]
ROWS[1][0].region_flag = "登记管理机关代码 320100 不在镇江市 <核实>"


@pytest.mark.parametrize("rows, token", [(ROWS, "abc<def>"), (ROWS[:1], "NOTPROVIDED"), (ROWS[2:], None), ([], "abc")])
def test_the_cards_drawn_in_python_are_the_templates(rows, token):
    context = {"registrations": rows, "csrf_token": token}
    drawn = registration_cards(Context(context), rows)
    assert drawn + "\n" == REFERENCE.render(context)
    assert rows == [] or "提交于 2026-12-04 07:59" in drawn
