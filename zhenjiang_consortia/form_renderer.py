"""The form renderer (settings.FORM_RENDERER): Django's own, with its plainest widgets written in Python.

Django renders every widget through templates (input.html including attrs.html; a select includes one template per
option, a checkbox drawn alone with ``{{ box.tag }}`` two): an editor page of the 申请书 with its member table drew
some 120 templates per page that way, about two thirds of the page's time. The input, textarea, select, option and
input option templates are a few lines each, so their output is written directly (operations/forms.py, which
draw() uses too), character for character the same (tests/test_form_renderer.py renders every widget the portal uses
both ways). Any other template (a widget of its own, a radio list, crispy's layouts) goes to Django as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from operations.forms import WIDGETS, write_input, write_input_option, write_select, write_textarea

# Templates that are only {% include "django/forms/widgets/input.html" %}.
INPUTS = {f"{WIDGETS}{name}.html" for name in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "checkbox", "search", "tel",
    "color",
)}
# Templates that are only {% include "django/forms/widgets/input_option.html" %}.
INPUT_OPTIONS = {f"{WIDGETS}{name}.html" for name in ("input_option", "checkbox_option", "radio_option")}


class FormRenderer(DjangoTemplates):
    writes_plain_widgets = True  # operations.forms.draw() may write this renderer's plain widgets without it

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        made = None
        if widget is not None:
            if template_name in INPUTS:
                made = write_input(widget)
            elif template_name in INPUT_OPTIONS:
                made = write_input_option(widget)
            elif template_name == f"{WIDGETS}textarea.html":
                made = write_textarea(widget)
            elif template_name == f"{WIDGETS}select.html":
                made = write_select(widget)
        if made is None:
            return super().render(template_name, context, request=request)
        return mark_safe(made.strip())
