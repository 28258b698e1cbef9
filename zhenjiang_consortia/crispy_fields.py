"""``{% load crispy_fields %}``: crispy's tags and filters, with ``|as_crispy_field`` written in Python for a plain field.

crispy draws each field through bootstrap5/field.html and the templates it includes (label, the control, errors, help
text): on the city's queue, the consortium page and the report editor that was 13–19 % of the page (profiled). For a
plain field — an input, a textarea or a select, with a label, not hidden, not a checkbox, radio list or file, drawn
without a helper or label and field classes — the same HTML is written here, as field.html writes it with
as_crispy_field's context; the control itself is still ``str(field)``, its classes added to the widget as crispy's
``{% crispy_field %}`` adds them. Any other field goes to crispy. settings.TEMPLATES names this module the library
``crispy_fields``, which the templates load instead of ``crispy_forms_tags``; tests/test_crispy_fields.py holds every field kind and every page that draws
fields so equal to crispy's (the HTML the same, but for white space between and inside tags).
"""

from crispy_forms.templatetags import crispy_forms_filters, crispy_forms_tags
from crispy_forms.utils import TEMPLATE_PACK
from django import forms, template
from django.conf import settings
from django.utils.safestring import mark_safe

from operations.text import escape

register = template.Library()
register.tags.update(crispy_forms_tags.register.tags)
register.filters.update(crispy_forms_tags.register.filters)

# Widgets field.html draws otherwise (a checkbox, a radio or checkbox list, a file with its own template), and
# widgets that wrap others.
_NOT_PLAIN = (forms.CheckboxInput, forms.RadioSelect, forms.FileInput, forms.MultiWidget)
_ASTERISK = '<span class="asteriskField">*</span>'


def _plain(field, template_pack, label_class, field_class):
    widget = field.field.widget
    return (template_pack == "bootstrap5" and not label_class and not field_class and field.label
            and getattr(field.form, "helper", None) is None and not field.is_hidden and not field.use_fieldset
            and not isinstance(widget, _NOT_PLAIN) and not hasattr(widget, "widget"))


def _add_classes(widget, classes):
    """What ``{% crispy_field field 'class' classes %}`` does to the widget before drawing it: its class name (as
    CRISPY_CLASS_CONVERTERS may rename it), then each of ``classes`` it does not have yet."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    css = (css + f" {name}" if css.find(name) == -1 else css) if css else name
    for one in classes.split():
        if one not in css.split():
            css += " " + one
    widget.attrs["class"] = css


@register.filter(name="as_crispy_field")
def as_crispy_field(field, template_pack=TEMPLATE_PACK, label_class="", field_class=""):
    if not _plain(field, template_pack, label_class, field_class):
        return crispy_forms_filters.as_crispy_field(field, template_pack, label_class, field_class)
    errors = field.errors
    required = field.field.required
    _add_classes(field.field.widget, ("form-select" if isinstance(field.field.widget, forms.Select) else "form-control")
                 + (" is-invalid" if errors else ""))
    control = str(field)
    css_classes = field.css_classes()
    label_for = f'for="{escape(field.id_for_label)}" ' if field.id_for_label else ""
    label = (f'<label {label_for}class="form-label{" requiredField" if required else ""}">{escape(field.label)}'
             f'{_ASTERISK if required else ""}</label>')
    shown_errors = ""
    if errors:
        shown_errors = (f'<div id="{escape(errors.field_id)}_error" class="invalid-feedback">'
                        + "".join(f'<p id="error_{number}_{escape(field.auto_id)}"><strong>{escape(error)}</strong></p>'
                                  for number, error in enumerate(errors, 1))
                        + "</div>")
    help_text = ""
    if field.help_text:
        help_id = f'id="{escape(field.auto_id)}_helptext" ' if field.auto_id else ""
        help_text = f'<div {help_id}class="form-text">{field.help_text}</div>'
    return mark_safe(f'<div id="div_{escape(field.auto_id)}" class="mb-3{" " + escape(css_classes) if css_classes else ""}">'
                     f"{label}{control}{shown_errors}{help_text}</div>")
