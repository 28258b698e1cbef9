"""The rows of the lists of consortia after 备案 (运行管理, the liaison's own, the consortia to recommend) are drawn in
Python (evaluations_tags.consortium_rows, recommended_rows): each must be, character for character, the HTML of the
template loop it replaced (kept in tests/evaluations/reference/): overdue years, grades, liaisons, open requests, every
status, 推荐 decided or not, for staff or not, values that must be escaped, a missing district or industry field, and the
row saying there are none."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines

from applications import links
from applications.choices import Status
from evaluations.choices import Grade
from evaluations.templatetags.evaluations_tags import consortium_rows, grade_badge, recommended_rows

REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "consortium_rows.html").read_text())


def consortium(pk, **fields):
    values = {"name": f"镇江联合体{pk}", "record_number": f"ZJCXLHT-2025-{pk:03d}", "status": Status.FILED,
              "lead_unit": SimpleNamespace(name="江苏牵头有限公司", bureau=SimpleNamespace(district="京口区")),
              "latest_grade": None, "latest_grade_year": None, "liaison_name": None,
              "member_change_pending": False, "dissolution_pending": False}
    return SimpleNamespace(pk=pk, **{**values, **fields})


ROWS = [
    (consortium(1), [], "2026 年度未开始（12-31 前报送）"),
    (consortium(2, name='<b>"江大" & 海工</b>', latest_grade="excellent", latest_grade_year=2025, liaison_name="王联络"),
     [2023, 2024], "2026 年度已提交"),
    (consortium(3, status=Status.REVOKED, latest_grade="unqualified", latest_grade_year=2024, member_change_pending=True,
                dissolution_pending=True, record_number=None), [], ""),
    (consortium(4, status=Status.DISSOLVED, lead_unit=SimpleNamespace(name="无区县的单位 <x>", bureau=None)), [2025], "<报告>"),
]


@pytest.mark.parametrize("rows, empty", [(ROWS, ""), (ROWS[1:2], "不用"), ([], ""), ([], "您目前没有联系的创新联合体。")])
def test_the_rows_drawn_in_python_are_the_templates(rows, empty):
    assert consortium_rows(rows, empty) + "\n" == REFERENCE.render({"rows": rows, "empty": empty})


RECOMMENDED_REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "recommended_rows.html").read_text())


def recommended(pk, grades, **fields):
    history = [SimpleNamespace(year=year, grade=grade) for year, grade in grades]
    return consortium(pk, **{"grade_history": history, "industry_field": SimpleNamespace(name="智能电气"), "recommendation_id": None,
                             **fields})


RECOMMENDED = [
    recommended(1, [(2024, "qualified"), (2025, "excellent")]),
    recommended(2, [(2025, "excellent")], name="<i>镇江 & 海工</i>", recommendation_id=7, record_number=None),
    recommended(3, [(2023, "unqualified"), (2024, "excellent")], industry_field=None),
]


@pytest.mark.parametrize("rows, is_staff", [(RECOMMENDED, True), (RECOMMENDED, False), ([], True)])
def test_the_recommended_rows_drawn_in_python_are_the_templates(rows, is_staff):
    expected = RECOMMENDED_REFERENCE.render({"page": SimpleNamespace(object_list=rows), "is_staff": is_staff})
    assert recommended_rows(rows, is_staff) + "\n" == expected


def test_every_status_and_grade_has_its_badge_drawn_once():
    assert links.status_badge(Status.FILED) == '<span class="badge status-badge text-bg-success">已备案</span>'
    assert links.status_badge("revoked") == '<span class="badge status-badge text-bg-danger">资格取消</span>'
    assert {links.status_badge(status) for status in Status.values} == {links.status_badge(status) for status in Status}
    assert len({links.status_badge(status) for status in Status.values}) == len(Status.values)
    assert grade_badge("unqualified") == '<span class="badge text-bg-danger" data-grade="unqualified">不合格</span>'
    assert grade_badge(Grade.EXCELLENT) == '<span class="badge text-bg-success" data-grade="excellent">优秀</span>'
    assert grade_badge(None) == grade_badge("") == ""
    assert all(grade_badge(grade) is grade_badge(grade) for grade in Grade.values)  # the same string, not drawn again
