"""The form renderer writes the plain widgets in Python (zhenjiang_consortia/form_renderer.py), and draw() writes them
without it (operations/forms.py): the HTML must be Django's own, character for character, for every widget, value and
state, and for whole pages of forms."""

import datetime
import re

import pytest
from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.test import override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from accounts.models import Bureau
from accounts.roles import Role
from applications.choices import EDITOR_PARTS
from applications.templatetags.portal import cell, management_form
from operations.forms import draw, draw_choices, draw_option
from tests import factories
from tests.lifecycle import complete_application
from zhenjiang_consortia.form_renderer import FormRenderer

DJANGO = "django.forms.renderers.DjangoTemplates"


class Everything(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"placeholder": '"引号" & <尖括号>', "data-x": True}))
    number = forms.DecimalField(required=False)
    integer = forms.IntegerField(widget=forms.NumberInput(attrs={"disabled": False, "readonly": True}))
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    tick = forms.BooleanField(required=False)
    words = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    choice = forms.ChoiceField(choices=[("", "—"), ("a", "甲 & <乙>"), (1, "一"), ("组", [("x", "X"), ("y", "Y")])], required=False)
    many = forms.MultipleChoiceField(choices=[("a", "甲"), ("b", "乙"), ("c", "丙")], required=False)
    maybe = forms.NullBooleanField(required=False)
    radio = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(choices=[("a", "甲")], widget=forms.CheckboxSelectMultiple, required=False)


VALUES = [
    {},
    {"text": '<script>"x"</script>', "number": "0", "integer": "12", "email": "a@b.cn", "url": "http://x.cn/?a=1&b=2",
     "password": "p&w", "hidden": "隐藏", "day": "2026-12-31", "tick": "on", "words": "\n第一行\n<b>第二行</b>",
     "choice": "y", "many": ["a", "c"], "maybe": "true", "radio": "b", "boxes": ["a"]},
    {"text": "", "number": "abc", "words": "", "choice": "1", "maybe": "unknown"},
]
INITIAL = {"text": mark_safe("<i>safe</i>"), "day": datetime.date(2026, 1, 2), "number": 0, "words": mark_safe("<b>已转义</b>"),
           "choice": 1, "tick": True}


@pytest.mark.parametrize("data", VALUES)
def test_every_widget_is_written_as_django_writes_it(data):
    for form in (Everything(data or None, renderer=DjangoTemplates()), Everything(initial=INITIAL, renderer=DjangoTemplates())):
        ours = Everything(form.data or None, initial=form.initial, renderer=FormRenderer())
        for name in form.fields:
            assert str(ours[name]) == str(form[name]), name
        assert ours.as_div() == form.as_div()


@pytest.mark.parametrize("data", VALUES)
def test_a_checkbox_or_radio_drawn_alone_is_written_as_django_writes_it(data):
    """``{% for box in form.field %}{{ box.tag }}`` (the member editor's 资质), with and without its label around it."""
    theirs, ours = Everything(data or None, renderer=DjangoTemplates()), Everything(data or None, renderer=FormRenderer())
    for name in ("radio", "boxes", "many"):
        for attrs in ({}, {"id": None}):
            ours[name].field.widget.attrs.update(attrs)
            theirs[name].field.widget.attrs.update(attrs)
            for mine, django in zip(ours[name], theirs[name], strict=True):
                for wrap_label in (False, True):
                    assert mine.tag(wrap_label=wrap_label) == django.tag(wrap_label=wrap_label), (name, attrs, wrap_label)
                assert draw_option(mine) == draw_option(django) == django.tag(), (name, attrs)


def normalized(html):
    # csrf and one-time tokens differ between two renders of the same page
    return re.sub(r'name="(csrfmiddlewaretoken|once_token)" value="[^"]+"', "", html)


@pytest.mark.django_db
def test_every_editor_page_is_the_same_with_either_renderer(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = complete_application(applicant)[1].consortium
    client.force_login(applicant)
    for part, _label in EDITOR_PARTS:
        url = reverse("applications:edit", args=[consortium.pk, part])
        ours = client.get(url).content.decode()
        with override_settings(FORM_RENDERER=DJANGO):
            theirs = client.get(url).content.decode()
        assert "<select" in ours or "<input" in ours
        assert normalized(ours) == normalized(theirs), part


@pytest.mark.parametrize("data", VALUES)
def test_a_cell_is_the_widget_and_its_errors_as_the_included_template_drew_them(data):
    """{{ field|cell }} (applications.templatetags.portal.cell) writes what {% include "includes/cell.html" %} did."""
    included = engines["django"].from_string(
        '{% load portal %}{{ field|control }}{% for error in field.errors %}<div class="invalid-feedback d-block">{{ error }}'
        "</div>{% endfor %}\n")
    form = Everything(data)  # bound, even when empty: every required field says so
    form.is_valid()
    form.add_error("text", '错误 <b>"引号"</b> & 符号')
    for name in form.fields:
        assert cell(form[name]) == included.render({"field": form[name]}), name


class Drawn(forms.Form):
    """Everything draw() writes itself, and what it hands to as_widget, in the states a page draws them in."""

    name = forms.CharField(max_length=20, help_text="帮助 <b>文字</b>", widget=forms.TextInput(attrs={"maxlength": 20, "class": "text-end"}))
    code = forms.CharField(required=False, disabled=True, initial="913211")
    count = forms.IntegerField(required=False, min_value=0, widget=forms.NumberInput(attrs={"min": 0}))
    money = forms.DecimalField(required=False, localize=True)
    mail = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"aria-describedby": "mine"}), help_text="邮箱")
    hidden = forms.IntegerField(required=False, widget=forms.HiddenInput)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    words = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(choices=[("enterprise", "企业"), ("university", "高校 & <院所>"), (None, "无"), ("university", "又一")],
                             initial="enterprise")  # a value twice: only its first option is selected
    grouped = forms.ChoiceField(required=False, choices=[("a", "甲"), ("组", [("x", "X")])])
    bureau = forms.ModelChoiceField(required=False, queryset=Bureau.objects.order_by("pk"), empty_label="全部")
    tick = forms.BooleanField(required=False)
    agree = forms.BooleanField(help_text="须勾选")  # required: a checkbox says so too
    flag = forms.CharField(required=False, widget=forms.CheckboxInput, initial="是")  # a value that is not a bool is written
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))



@pytest.mark.parametrize("data", VALUES)
@pytest.mark.parametrize("state", ["plain", "no id", "disabled", "invalid", "initial"])
def test_the_checkboxes_and_radios_of_a_field_are_written_as_its_boxes_draw_them(data, state):
    """draw_choices(field) == [(draw_option(box), box.id_for_label, box.choice_label) for box in field], for a radio, a
    checkbox list and a multiple select's choices: chosen or not, with and without an id, disabled, with errors."""
    class Boxes(Everything):
        grouped = forms.ChoiceField(choices=[("组", [("x", "X"), ("y", "Y")]), (None, "空")], widget=forms.RadioSelect, required=False)

    kwargs = {"initial": {"radio": "a", "boxes": ["a"], "many": ["b", "c"]}} if state == "initial" else {}
    form = Boxes(data or None, renderer=FormRenderer(), auto_id=False if state == "no id" else "id_%s", **kwargs)
    if state == "invalid":
        for name in ("radio", "boxes", "many", "grouped"):
            form.add_error(name, "不对。") if form.is_bound else form.errors
    for name in ("radio", "boxes", "many", "grouped"):
        if state == "disabled":
            form.fields[name].disabled = True
        boxes = [(draw_option(box), box.id_for_label, box.choice_label) for box in form[name]]
        assert draw_choices(form[name]) == boxes, (name, state)
    if data.get("radio") == "b" and state == "plain":
        assert draw_choices(form["radio"]) == [('<input type="radio" name="radio" value="a" id="id_radio_0">', "id_radio_0", "甲"),
                                               ('<input type="radio" name="radio" value="b" id="id_radio_1" checked>', "id_radio_1", "乙")]


DRAWN_VALUES = [
    None,
    {"name": '<"名称">', "count": "12", "money": "1280.50", "mail": "a@b.cn", "hidden": "7", "day": "2026-12-31", "words": "<b>字</b>",
     "kind": "university", "grouped": "x", "bureau": "1", "tick": "on", "agree": "on", "flag": "false", "secret": "s"},
    {"name": "x" * 30, "count": "-1", "money": "abc", "mail": "no", "day": "2026-13-45", "kind": "nonsense", "bureau": "0",
     "tick": "", "flag": "否"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("data", DRAWN_VALUES, ids=["unbound", "valid", "invalid"])
@pytest.mark.parametrize("attrs", [None, {"class": "form-control form-control-sm"}, {"class": "form-select", "aria-describedby": "x"}])
@pytest.mark.parametrize("required", [True, False], ids=["a form", "a formset's row"])  # a formset asks for no required attribute
def test_a_widget_drawn_directly_is_as_widgets_html(data, attrs, required):
    for prefix in (None, "form-3"):
        ours = Drawn(data, prefix=prefix, initial={"day": datetime.date(2026, 1, 2), "words": mark_safe("<i>安全</i>")},
                     use_required_attribute=required)
        theirs = Drawn(data, prefix=prefix, initial=ours.initial, renderer=DjangoTemplates(), use_required_attribute=required)
        for form in (ours, theirs):
            if data:
                form.is_valid()
                form.add_error("name", "另一个错误")
        for name in Drawn.base_fields:
            assert draw(ours[name], attrs) == theirs[name].as_widget(attrs=attrs), (name, prefix)
    assert ours.renderer.writes_plain_widgets and not getattr(theirs.renderer, "writes_plain_widgets", False)


@pytest.mark.django_db
def test_draw_writes_the_plain_widgets_itself_and_hands_every_other_to_as_widget(monkeypatch):
    form = Drawn({"name": "x", "kind": "university"})
    handed = []
    original = BoundField.as_widget
    monkeypatch.setattr(BoundField, "as_widget", lambda field, *a, **k: handed.append(field.name) or original(field, *a, **k))
    for name in Drawn.base_fields:
        draw(form[name])
    assert handed == ["money", "grouped", "secret"]  # localized, a group of choices, a password
    handed.clear()
    draw(Drawn(renderer=DjangoTemplates())["name"])
    assert handed == ["name"]  # a form drawn by another renderer


ROWS = forms.formset_factory(Drawn, extra=2, max_num=50)
DJANGOS_ROWS = forms.formset_factory(Drawn, extra=2, max_num=50, renderer=DjangoTemplates())


@pytest.mark.parametrize(("data", "refused"), [
    (None, False),
    ({"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-MAX_NUM_FORMS": "50"}, False),
    ({"rows-TOTAL_FORMS": "1"}, True),  # a page whose form was tampered with
    ({"rows-TOTAL_FORMS": "<x>", "rows-INITIAL_FORMS": "0"}, True),
], ids=["unbound", "bound", "tampered", "not a number"])
def test_a_management_form_is_drawn_as_django_draws_it(data, refused):
    ours, theirs = ROWS(data, prefix="rows"), DJANGOS_ROWS(data, prefix="rows")
    drawn = management_form(ours)
    assert drawn == str(theirs.management_form)
    assert drawn.count('type="hidden"') == 4
    assert ("errorlist" in drawn) is refused
    for kwargs in ({"auto_id": "f_%s"}, {"auto_id": False}, {"initial": [{"name": "一"}, {"name": "二"}]}, {"prefix": "x<y"}):
        kwargs = {"prefix": "rows", **kwargs}
        assert management_form(ROWS(data, **kwargs)) == str(DJANGOS_ROWS(data, **kwargs).management_form), kwargs
    if data is None:
        assert drawn == ('<input type="hidden" name="rows-TOTAL_FORMS" value="2" id="id_rows-TOTAL_FORMS">'
                         '<input type="hidden" name="rows-INITIAL_FORMS" value="0" id="id_rows-INITIAL_FORMS">'
                         '<input type="hidden" name="rows-MIN_NUM_FORMS" value="0" id="id_rows-MIN_NUM_FORMS">'
                         '<input type="hidden" name="rows-MAX_NUM_FORMS" value="50" id="id_rows-MAX_NUM_FORMS">')
