"""Forms that share their class's field objects instead of deep-copying them for each form; the plain widgets written
in Python, for the portal's form renderer and for draw()."""

from django import forms
from django.utils.safestring import SafeString

from .text import attributes, escape


class _SharedFields(dict):
    """A form class's fields that each form shares instead of deep-copying them (shared_fields)."""

    def __deepcopy__(self, memo):
        return dict(self)


def shared_fields(form_class):
    """A form whose fields are never changed by a form or its drawing shares its class's field objects: Django
    deep-copies every field of every form, which for the 申请书's member table (a form per row) was a sixth of the
    page, and for a list's filters (a select of choices read from the database each) a tenth. Each form still has
    its own dict of fields (a formset adds its DELETE field to it); a form that changes a field (its choices, its
    widget's attributes) for one request must not use this."""
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class


# --- Plain widgets written in Python ------------------------------------------------------------------------------
# Django draws every widget through templates (input.html including attrs.html; a select one template per option).
# The input, textarea, select, option and input option templates are a few lines each: their output is written here,
# character for character the same (tests/test_form_renderer.py), for the portal's form renderer
# (zhenjiang_consortia/form_renderer.py) and for draw() below.
# What they write is marked safe as SafeString(text): mark_safe() does the same for a text through Django's lazy-argument
# wrapper (0.76 against 0.11 µs a call; some two hundred calls a page of the member editor).

WIDGETS = "django/forms/widgets/"


def write_input(widget):
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{attributes(widget["attrs"])}>'


def write_input_option(widget):
    """input_option.html (a checkbox or radio of a list, as BoundWidget.tag() draws it): the input, inside its label
    when the label is wrapped around it."""
    tag = write_input(widget)
    if not widget.get("wrap_label"):
        return tag
    label_for = f' for="{escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{tag}\n {escape(widget['label'])}</label>"  # input.html's own line end


def write_textarea(widget):
    value = escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{escape(widget["name"])}"{attributes(widget["attrs"])}>\n{value}</textarea>'


def write_option(option):
    return f'<option value="{escape(option["value"])}"{attributes(option["attrs"])}>{escape(option["label"])}</option>'


def write_select(widget):
    """select.html, or None for an option drawn by a template of its own."""
    out = [f'<select name="{escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            if option["template_name"] != f"{WIDGETS}select_option.html":
                return None
            out.append(f"\n  {write_option(option)}\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _select_options(widget, value):
    """A single select's options as ChoiceWidget.optgroups() makes them (the first option whose value is chosen is
    selected), or None where a choice is a group (optgroups() draws those)."""
    chosen = widget.format_value(value)
    options, has_selected = [], False
    for option_value, option_label in widget.choices:
        if isinstance(option_label, (list, tuple)):
            return None
        option_value = "" if option_value is None else option_value
        selected = not has_selected and str(option_value) in chosen
        has_selected |= selected
        options.append({"value": option_value, "label": option_label, "attrs": {"selected": True} if selected else {},
                        "template_name": widget.option_template_name})
    return [(None, options, 0)]


def _input_html(widget, name, value, attrs):
    return write_input({"type": widget.input_type, "name": name, "value": widget.format_value(value), "attrs": attrs})


def _textarea_html(widget, name, value, attrs):
    return write_textarea({"name": name, "value": widget.format_value(value), "attrs": attrs})


def _checkbox_html(widget, name, value, attrs):
    """CheckboxInput.get_context(): checked when its check_test() says so; a value only when it is not a bool or empty."""
    if widget.check_test(value):
        attrs = {**attrs, "checked": True}
    return write_input({"type": widget.input_type, "name": name, "value": widget.format_value(value), "attrs": attrs})


def _select_html(widget, name, value, attrs):
    optgroups = _select_options(widget, value)
    return None if optgroups is None else write_select({"name": name, "attrs": attrs, "optgroups": optgroups})


# The widgets draw() writes itself, by their exact class (a subclass may have a template or a context of its own).
_DRAWN = {
    forms.TextInput: _input_html, forms.NumberInput: _input_html, forms.EmailInput: _input_html, forms.URLInput: _input_html,
    forms.HiddenInput: _input_html, forms.DateInput: _input_html, forms.Textarea: _textarea_html, forms.Select: _select_html,
    forms.CheckboxInput: _checkbox_html,
}
# The templates of one checkbox or radio of a list (BoundWidget.tag()), which draw_option() writes itself.
_OPTIONS = {f"{WIDGETS}checkbox_option.html", f"{WIDGETS}radio_option.html"}


def draw(field, attrs=None):
    """``field.as_widget(attrs=attrs)`` — a bound field's widget with ``attrs`` added — as the portal's renderer draws
    it, without the trip through Django's widget rendering (its context, its template names, the renderer): the
    member table of the 申请书 draws some eighty widgets a page. The attributes are still Django's own
    (BoundField.build_widget_attrs: required, disabled, aria-invalid, aria-describedby), the value the widget's own
    format_value(). Any other widget, a localized field, or a form drawn by another renderer (one that does not write
    plain widgets in Python, e.g. Django's own in tests) goes through as_widget. tests/test_form_renderer.py holds the
    two equal for every widget, value and state."""
    widget = field.field.widget
    write = _DRAWN.get(type(widget))
    if write is None or field.field.localize or not getattr(field.form.renderer, "writes_plain_widgets", False):
        return field.as_widget(attrs=attrs)
    built = _widget_attrs(field, attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        built.setdefault("id", field.auto_id)
    html = write(widget, field.html_name, field.value(), {**widget.attrs, **built})
    return field.as_widget(attrs=attrs) if html is None else SafeString(html.strip())  # every value escaped by the writers


def errors_of(field):
    """``field.errors`` where it is only read (drawn, or asked whether there are any): the form's errors of the field,
    or an empty tuple — without the empty ErrorList Django makes on every read of a field that has none (a member
    row read its fields' errors some forty times)."""
    return field.form.errors.get(field.name) or ()


def _widget_attrs(field, attrs, widget):
    """``field.build_widget_attrs(attrs, widget)`` for a field that asks for no required, disabled or help-text
    attribute (a formset's row never asks for required: Django's formsets draw their forms without it), and whose
    caller and widget set no aria-describedby: the attributes given, plus aria-invalid and the errors' id when the
    field has errors, as Django adds them. Any other field goes through build_widget_attrs itself;
    tests/test_form_renderer.py holds the two equal in every state, in a form and in a formset's row."""
    form, formfield = field.form, field.field
    if (formfield.disabled or formfield.help_text or (formfield.required and form.use_required_attribute)
            or "aria-describedby" in widget.attrs or (attrs and "aria-describedby" in attrs)):
        return field.build_widget_attrs(attrs or {}, widget)
    built = dict(attrs) if attrs else {}
    if not widget.is_hidden and errors_of(field):
        built["aria-invalid"] = "true"
        auto_id = field.auto_id
        if auto_id:
            built["aria-describedby"] = f"{auto_id}_error"
    return built


def draw_option(box):
    """``box.tag()`` — one checkbox or radio of a list (``{% for box in field %}``), its label not around it — as the
    portal's renderer draws it, without the trip through the widget's rendering (the member table draws some forty a
    page); any other option, or one of a form drawn by another renderer, goes through tag()."""
    if box.template_name not in _OPTIONS or not getattr(box.renderer, "writes_plain_widgets", False):
        return box.tag()
    return SafeString(write_input_option({**box.data, "wrap_label": False}).strip())  # every value escaped by the writer


# The widgets whose checkboxes or radios draw_choices() writes itself, by their exact class.
_CHOICE_WIDGETS = (forms.CheckboxSelectMultiple, forms.RadioSelect)


def draw_choices(field):
    """``[(draw_option(box), box.id_for_label, box.choice_label) for box in field]`` — each checkbox or radio of a bound
    field with its id and label — written from the field's choices and value as the widget makes its options
    (ChoiceWidget.optgroups, create_option), without a BoundWidget and its dict for each (the member table's 资质 are
    seven boxes a row: a tenth of its time). A widget of another class, choices in groups, a localized field or a form
    drawn by another renderer goes through the boxes themselves. tests/test_form_renderer.py holds the two equal in
    every state."""
    widget = field.field.widget
    if (type(widget) not in _CHOICE_WIDGETS or field.field.localize or not getattr(field.form.renderer, "writes_plain_widgets", False)
            or any(isinstance(label, (list, tuple)) for _value, label in widget.choices)):
        return [(draw_option(box), box.id_for_label, box.choice_label) for box in field]
    given = widget.attrs.get("id") or field.auto_id
    attrs = {**widget.attrs, **field.build_widget_attrs({"id": given} if given else {}, widget)}
    chosen = widget.format_value(field.value())
    drawn, has_selected = [], False
    for index, (value, label) in enumerate(widget.choices):
        value = "" if value is None else value
        selected = (not has_selected or widget.allow_multiple_selected) and str(value) in chosen
        has_selected |= selected
        option = {**attrs, "checked": True} if selected else dict(attrs)
        if "id" in option:
            option["id"] = widget.id_for_label(option["id"], str(index))
        tag = write_input({"type": widget.input_type, "name": field.html_name, "value": value, "attrs": option})
        drawn.append((SafeString(tag), option.get("id"), label))  # every value escaped by the writer
    return drawn
