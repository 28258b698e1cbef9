"""The 申请书 editor's member rows and list of parts are drawn in Python (applications/templatetags/portal.py,
member_row and editor_nav): each must be the HTML of the template it replaced (kept in tests/applications/reference/
as the reference): the rows with values, errors and warnings, the empty row of the page's <template>, with and
without the 资质 and patents the 申请书 asks (a member change asks neither); the parts in every state. The rows to add
(the pages' <template>s), drawn once per process, are held to what was drawn from a new empty form each time."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines
from django.test.html import parse_html

from applications.choices import EDITOR_PARTS, Body
from applications.forms import MemberFormSet, PlatformFormSet, ProjectFormSet, SeatFormSet, TargetFormSet
from applications.intake_views import TABLE_COLUMNS
from applications.templatetags.portal import editor_nav, empty_member_row, empty_table_row, member_row

REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "member_row.html").read_text())
TABLE_ROW_REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "table_empty_row.html").read_text())
NAV_REFERENCE = engines["django"].from_string((Path(__file__).parent / "reference" / "editor_nav.html").read_text())
CODE = "91321100MA1XXXXXX1"


def management(total):
    return {"form-TOTAL_FORMS": str(total), "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "50"}


def row(index, **values):
    return {f"form-{index}-{name}": value for name, value in values.items()}


BOUND = {
    **management(3),
    # Errors on several fields, a value that must be escaped, two 资质 ticked.
    **row(0, unit_name='<b>"江大" & Co</b>', credit_code="bad", unit_kind="enterprise", task_division="x" * 201,
          sales_revenue="-1", rd_spend="abc", patent_count="3", invention_patent_count="5",
          qualifications=["high_tech", "listed"]),
    # A valid university (its sales, R&D and 资质 are dropped), with a warning on its code.
    **row(1, unit_name="江苏大学", credit_code=CODE, unit_kind="university", duties="牵头基础研究", qualifications=["nonsense"]),
    # Marked for deletion.
    **row(2, unit_name="删除的单位", credit_code=CODE, unit_kind="enterprise", DELETE="on"),
}
WARNINGS = {CODE: ["该单位已是另一创新联合体的成员单位。", "<名称> 与已登记的不一致"]}


def formsets():
    bound = MemberFormSet(BOUND)
    bound.is_valid()
    bound.forms[1].add_error(None, "该行与第 1 行重复。")
    initial = MemberFormSet(initial=[{"unit_name": "镇江船舶 & 海工", "credit_code": CODE, "unit_kind": "enterprise",
                                      "sales_revenue": "1280.50", "qualifications": ["specialized"], "membership": 7}])
    return bound, initial


@pytest.mark.parametrize("proofs", [True, False])
def test_each_row_is_the_html_of_the_template_it_replaced(proofs):
    drawn = 0
    for formset in formsets():
        for number, form in enumerate([*formset.forms, formset.empty_form], start=2):
            number = "" if form is formset.empty_form else number
            theirs = REFERENCE.render({"row": form, "number": number, "proofs": proofs, "member_warnings": WARNINGS})
            ours = member_row(form, number, proofs=proofs, warnings=WARNINGS)
            assert parse_html(ours) == parse_html(theirs), (number, form.prefix)
            drawn += 1
    assert drawn == 6


def test_a_row_shows_its_errors_and_warnings_beside_its_fields_and_keeps_what_was_typed():
    bound, _ = formsets()
    first, second = (member_row(form, number, proofs=True, warnings=WARNINGS) for number, form in enumerate(bound.forms[:2], start=2))
    assert 'value="&lt;b&gt;&quot;江大&quot; &amp; Co&lt;/b&gt;"' in first
    assert "金额不能为负数。" in first and "请输入数字金额（万元），如 1280.50。" in first
    assert "有效发明专利不能多于有效专利总数。" in first
    assert first.count("checked") == 2
    assert "⚠" not in first  # its code is not the one warned about
    assert '<div class="text-danger small">该行与第 1 行重复。</div>' in second
    assert "⚠ 该单位已是另一创新联合体的成员单位。" in second and "⚠ &lt;名称&gt; 与已登记的不一致" in second
    assert "请选择列表中的单位资质。" in second
    without_proofs = member_row(bound.forms[1], 1, warnings=WARNINGS)
    assert "有效专利" not in without_proofs and "单位资质" not in without_proofs and "⚠ 该单位" in without_proofs


@pytest.mark.parametrize("proofs", [True, False])
def test_the_row_to_add_is_the_formsets_empty_row_on_every_page(proofs):
    """The <template>'s row, drawn once per process (empty_member_row): each page gets the row member_row draws from
    the formset's empty form, whatever the formset holds, for the 申请书 (资质 and patents) and a member change."""
    bound, initial = formsets()
    for formset in (bound, initial, MemberFormSet(prefix="members"), MemberFormSet(prefix="members")):
        expected = member_row(formset.empty_form, proofs=proofs)
        assert empty_member_row(formset, proofs=proofs) == expected
        assert f'name="{formset.prefix}-__prefix__-unit_name"' in expected and 'value="enterprise" selected' in expected
        assert ("member-qualifications" in expected) is proofs
    assert empty_member_row(initial, proofs=proofs) == empty_member_row(bound, proofs=proofs)  # the same prefix
    assert empty_member_row(MemberFormSet(prefix="members"), proofs=proofs) != empty_member_row(bound, proofs=proofs)


def test_a_formset_given_form_kwargs_draws_its_own_row_to_add():
    """Its empty form may differ with what it is given (here an initial name): never the row kept for another."""
    plain = empty_member_row(MemberFormSet(prefix="members"), proofs=True)
    given = MemberFormSet(prefix="members", form_kwargs={"initial": {"unit_name": "预填单位"}})
    assert 'value="预填单位"' in empty_member_row(given, proofs=True)
    assert 'value="预填单位"' not in plain and empty_member_row(MemberFormSet(prefix="members"), proofs=True) == plain


TABLES = [(PlatformFormSet, "platforms", "platform_columns", {}), (ProjectFormSet, "projects", "project_columns", {}),
          (TargetFormSet, "targets", "target_columns", {}), (SeatFormSet, "council", "seat_columns", {"body": Body.COUNCIL}),
          (SeatFormSet, "advisory", "seat_columns", {"body": Body.ADVISORY})]


@pytest.mark.parametrize(("formset_class", "prefix", "columns", "given"), TABLES)
def test_a_tables_row_to_add_is_the_html_the_template_drew(formset_class, prefix, columns, given):
    """applications/edit/_table.html's <template> row (平台, 项目, 年度目标, 理事会 and 专家指导委员会 seats), drawn once
    per process by empty_table_row: character for character what the template drew from the formset's empty form."""
    columns = TABLE_COLUMNS[columns]
    for _ in range(2):  # drawn, then kept
        formset = formset_class(prefix=prefix, **given)
        theirs = TABLE_ROW_REFERENCE.render({"formset": formset, "columns": columns})
        assert f'<template id="{prefix}-empty">{empty_table_row(formset, columns)}</template>' == theirs
        assert f'name="{prefix}-__prefix__-{columns[0][0]}"' in theirs


def test_a_tables_row_to_add_follows_its_columns_and_the_formsets_form_kwargs():
    columns = TABLE_COLUMNS["platform_columns"]
    full = empty_table_row(PlatformFormSet(prefix="platforms"), columns)
    assert "依托单位" in full and "依托单位" not in empty_table_row(PlatformFormSet(prefix="platforms"), columns[:2])
    given = PlatformFormSet(prefix="platforms", form_kwargs={"initial": {"name": "预填平台"}})
    assert 'value="预填平台"' in empty_table_row(given, columns) and 'value="预填平台"' not in full
    # The seats' roles are named by their body (理事长 / 主任委员): one body's row is never another's, whatever the prefix.
    seats = TABLE_COLUMNS["seat_columns"]
    council, advisory = (empty_table_row(SeatFormSet(prefix="seats", body=body), seats) for body in (Body.COUNCIL, Body.ADVISORY))
    assert council != advisory
    assert council == empty_table_row(SeatFormSet(prefix="seats", body=Body.COUNCIL), seats)


@pytest.mark.parametrize("part", ["basic", "members", "attachments", "readiness"])
def test_the_list_of_parts_is_the_html_of_the_template_it_replaced(part):
    consortium = SimpleNamespace(pk=12)
    completeness = {key: percent for (key, _), percent in zip(EDITOR_PARTS, (100, 60, 0, 100, 33, 0, 100, 50))}
    pending = ["members", "charter"]
    theirs = NAV_REFERENCE.render({"consortium": consortium, "part": part, "parts": EDITOR_PARTS, "completeness": completeness,
                                   "pending_parts": pending})
    ours = editor_nav(consortium, part, EDITOR_PARTS, completeness, pending)
    assert parse_html(ours) == parse_html(theirs)
    assert ours.count(" active") == 1 and ours.count("is-complete") == 3 and ours.count("有暂存但未通过校验的内容") == 2
    assert 'href="/applications/12/edit/members/"' in ours and 'href="/applications/12/edit/attachments/"' in ours


def test_the_rows_share_their_fields_yet_nothing_of_one_row_shows_in_another():
    """operations.forms.shared_fields: the row forms share their field objects; a row's errors, values and DELETE field
    stay its own."""
    bound, _ = formsets()
    assert bound.forms[0].fields["unit_name"] is MemberFormSet.form.base_fields["unit_name"]
    member_row(bound.forms[0], 2, proofs=True, warnings=WARNINGS)  # errors: drawn is-invalid
    fresh = MemberFormSet(initial=[{"unit_name": "新单位"}])
    drawn = member_row(fresh.forms[0], 2, proofs=True)
    assert "is-invalid" not in drawn and "aria-invalid" not in drawn and "江大" not in drawn and 'value="新单位"' in drawn
    assert "DELETE" in fresh.forms[0].fields and "DELETE" not in MemberFormSet.form.base_fields
