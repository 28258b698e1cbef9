"""The form renderer (settings.FORM_RENDERER): Django's own, with its plainest widgets written in Python.

Django renders every widget through templates (input.html including attrs.html; a select includes one template per
option, a checkbox drawn alone with ``{{ box.tag }}`` two): an editor page of the 申请书 with its member table drew
some 120 templates per page that way, about two thirds of the page's time. The input, textarea, select, option and
input option templates are a few lines each, so their output is made here directly, character for character the
same (tests/test_form_renderer.py renders every widget the portal uses both ways). Any other template (a widget of its own, a radio list, crispy's layouts) goes to Django as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

# Django's conditional_escape, the same characters without its lazy-string wrapper (a page of the 申请书's member table
# escapes some thousand attribute values; the wrapper was a good part of their cost).
from operations.text import attributes
from operations.text import escape as conditional_escape

WIDGETS = "django/forms/widgets/"
# Templates that are only {% include "django/forms/widgets/input.html" %}.
INPUTS = {f"{WIDGETS}{name}.html" for name in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "checkbox", "search", "tel",
    "color",
)}
# Templates that are only {% include "django/forms/widgets/input_option.html" %}.
INPUT_OPTIONS = {f"{WIDGETS}{name}.html" for name in ("input_option", "checkbox_option", "radio_option")}


def _input(widget):
    value = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}{attributes(widget["attrs"])}>'


def _input_option(widget):
    """input_option.html (a checkbox or radio of a list, as BoundWidget.tag() draws it): the input, inside its label
    when the label is wrapped around it."""
    tag = _input(widget)
    if not widget.get("wrap_label"):
        return tag
    label_for = f' for="{conditional_escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{tag}\n {conditional_escape(widget['label'])}</label>"  # input.html's own line end


def _textarea(widget):
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>\n{value}</textarea>'


def _option(option):
    return f'<option value="{conditional_escape(option["value"])}"{attributes(option["attrs"])}>{conditional_escape(option["label"])}</option>'


def _select(widget):
    out = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != f"{WIDGETS}select_option.html":
                return None
            out.append(f"\n  {_option(option)}\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        made = None
        if widget is not None:
            if template_name in INPUTS:
                made = _input(widget)
            elif template_name in INPUT_OPTIONS:
                made = _input_option(widget)
            elif template_name == f"{WIDGETS}textarea.html":
                made = _textarea(widget)
            elif template_name == f"{WIDGETS}select.html":
                made = _select(widget)
        if made is None:
            return super().render(template_name, context, request=request)
        return mark_safe(made.strip())
