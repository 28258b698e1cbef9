"""A list filter's select and input, written in Python (accounts/templatetags/listing.py): each value and label
escaped as Django's format_html escapes it, the chosen option selected, nothing else; a filter form's fields, a
filter's cell and a list's table, the HTML of the templates they replaced (kept in tests/accounts/reference/) with
values, errors, sort links and empty lists."""

import html
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.forms.utils import flatatt
from django.template import engines
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from accounts.listing import Heading, Table
from accounts.models import Bureau
from accounts.templatetags.listing import filter_cell, filter_control, filter_fields, list_table
from operations.text import escape, escape_text


class Filters(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "全部"), ("a&b", '甲<乙>"丙"'), ("c", gettext_lazy("丁")),
                                                         ("d", mark_safe("<b>戊</b>"))])
    bureau = forms.ModelChoiceField(required=False, queryset=Bureau.objects.order_by("pk"), empty_label="全部区县")
    q = forms.CharField(required=False, max_length=50)
    kind = forms.ChoiceField(required=False, choices=[("", "全部")], widget=forms.Select(attrs={"data-x": '"甲"', "autofocus": True}))


def options_as_django_wrote_them(field, current):
    return format_html_join("", '<option value="{}"{}>{}</option>',
                            ((choice, " selected" if str(choice) == current else "", label) for choice, label in field.field.choices))


@pytest.mark.django_db
def test_a_filter_select_is_django_format_html_character_for_character():
    form = Filters({"status": "a&b", "bureau": str(Bureau.objects.order_by("pk").first().pk), "q": '<"检索">'})
    form.is_valid()
    for name, current in (("status", "a&b"), ("bureau", str(Bureau.objects.order_by("pk").first().pk)), ("kind", "")):
        field = form[name]
        expected = format_html('<select name="{}" id="{}" class="form-select form-select-sm"{}>{}</select>',
                               field.html_name, field.auto_id, flatatt(field.field.widget.attrs), options_as_django_wrote_them(field, current))
        assert str(filter_control(field)) == expected
    status = str(filter_control(form["status"]))
    assert '<option value="a&amp;b" selected>甲&lt;乙&gt;&quot;丙&quot;</option>' in status
    assert '<option value="d"><b>戊</b></option>' in status  # a safe label is kept as it is, as {{ }} keeps it
    assert status.count(" selected") == 1
    assert str(filter_control(form["q"])) == ('<input type="text" name="q" id="id_q" class="form-control form-control-sm" '
                                              'value="&lt;&quot;检索&quot;&gt;" maxlength="50">')


def test_the_escape_is_djangos_conditional_escape():
    for value in ['<a href="x">&\'', gettext_lazy("全部"), mark_safe("<b>安全</b>"), 12, None, "镇江", "&", "<", ">", '"', "'",
                  "form-control form-control-sm", "", True, False, -3, Decimal("1280.50"), date(2026, 12, 31), ["<"]]:
        assert escape(value) == conditional_escape(value)


def test_the_text_escape_is_htmls():
    for text in ['<a href="x">&\'', "镇江", "", "&", "<", ">", '"', "'", "a&b<c>d\"e'f", "form-control"]:
        assert escape_text(text) == html.escape(text)


REFERENCE = Path(__file__).parent / "reference"


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"status": "a&b", "q": '<"检索">'}, {"status": "nonsense", "bureau": "0", "q": "x" * 51}])
def test_a_filter_forms_fields_and_cells_are_the_templates_they_replaced(data):
    form = Filters(data)
    form.is_valid()
    fields = engines["django"].from_string((REFERENCE / "list_filters.html").read_text())
    assert filter_fields(form) + "\n" == fields.render({"filter": SimpleNamespace(form=form)})
    cell = engines["django"].from_string((REFERENCE / "filter_cell.html").read_text())
    for name in ("status", "bureau", "q"):
        assert filter_cell(form[name]) == cell.render({"field": form[name]})
    assert data.get("bureau") != "0" or filter_fields(form).count('<div class="invalid-feedback d-block">') == 3


HEADINGS = [Heading("名称", "?sort=name&status=filed", " ↑"), Heading(gettext_lazy("牵头单位"), None, ""),
            Heading('<"辖区">&', "?sort=-district&q=%3C%22", ""), Heading(mark_safe("<b>状态</b>"), None, "")]
ROWS = [mark_safe('<td><a href="/evaluations/1/">镇江&amp;联合体</a></td><td>甲</td><td></td><td>已备案</td>'),
        mark_safe("<td>乙</td><td></td><td>&lt;x&gt;</td><td></td>")]


@pytest.mark.parametrize("table", [Table(HEADINGS, ROWS), Table(HEADINGS, []), Table([], [])], ids=["rows", "no rows", "nothing"])
@pytest.mark.parametrize("empty", [None, "", "暂无待初审的申请", mark_safe("暂无<em>记录</em>"), '<"未"备案>'])
def test_a_lists_table_is_the_template_it_replaced(table, empty):
    reference = engines["django"].from_string((REFERENCE / "list_table.html").read_text())
    context = {"table": table} if empty is None else {"table": table, "empty": empty}
    drawn = list_table(table) if empty is None else list_table(table, empty)
    assert drawn == reference.render(context)
    if table.rows:
        assert drawn.count("<tr>") == 1 + len(ROWS) and "empty-state" not in drawn
    else:
        assert drawn.count('class="empty-state"') == 1
