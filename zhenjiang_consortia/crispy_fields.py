"""``{% load crispy_fields %}``: crispy's tags and filters, with ``|as_crispy_field`` written in Python for a plain field
and for a radio or checkbox list, and ``|crispy`` for a plain form (its errors, then each field so).

crispy draws each field through bootstrap5/field.html and the templates it includes (label, the control, errors, help
text): on the city's queue, the consortium page and the report editor that was 13–19 % of the page (profiled), and the
city queue's list of experts alone 1.7 ms. For a field drawn without a helper or label and field classes, with a label,
not hidden — a plain input, textarea or select, or a radio or checkbox list — the same HTML is written here, as
field.html (and radio_checkbox_select.html) write it with as_crispy_field's context; a plain control itself is
``str(field)`` (written by operations.forms.draw, the same HTML), its classes added to the widget as crispy's
``{% crispy_field %}`` adds them. Any other field (a single checkbox, a file, a widget of several) goes to crispy. settings.TEMPLATES names this module the library
``crispy_fields``, which the templates load instead of ``crispy_forms_tags``; tests/test_crispy_fields.py holds every
field kind and every page that draws fields so equal to crispy's (the HTML the same, but for white space between and
inside tags).
"""

from crispy_forms.templatetags import crispy_forms_filters, crispy_forms_tags
from crispy_forms.utils import TEMPLATE_PACK
from django import forms, template
from django.conf import settings
from django.forms.formsets import BaseFormSet
from django.utils.safestring import mark_safe

from operations.forms import draw
from operations.text import attributes, escape

register = template.Library()
register.tags.update(crispy_forms_tags.register.tags)
register.filters.update(crispy_forms_tags.register.filters)

# Widgets field.html draws otherwise (a checkbox, a radio or checkbox list, a file with its own template), and
# widgets that wrap others.
_NOT_PLAIN = (forms.CheckboxInput, forms.RadioSelect, forms.FileInput, forms.MultiWidget)
_ASTERISK = '<span class="asteriskField">*</span>'


def _drawn_here(field, template_pack, label_class, field_class):
    """Whether field.html is drawn as it draws any field: bootstrap5, no helper, no label or field classes, not hidden."""
    return (template_pack == "bootstrap5" and not label_class and not field_class and field.label
            and getattr(field.form, "helper", None) is None and not field.is_hidden)


def _plain(field):
    widget = field.field.widget
    return not field.use_fieldset and not isinstance(widget, _NOT_PLAIN) and not hasattr(widget, "widget")


def _choice_list(field):
    """A radio or checkbox list (RadioSelect, CheckboxSelectMultiple) as field.html draws it: its label as the legend
    of a fieldset, then radio_checkbox_select.html (each option's input and label; the errors after the last)."""
    errors = field.errors
    required = field.field.required
    css_classes = field.css_classes()
    described = field.aria_describedby
    label_for = f'for="{escape(field.id_for_label)}" ' if field.id_for_label else ""
    out = [f'<div id="div_{escape(field.auto_id)}" class="mb-3{" " + escape(css_classes) if css_classes else ""}">',
           f'<fieldset{f" aria-describedby={chr(34)}{escape(described)}{chr(34)}" if described else ""}>',
           f'<legend {label_for}class="form-label{" requiredField" if required else ""} fs-6">{escape(field.label)}'
           f'{_ASTERISK if required else ""}</legend><div>']
    groups = list(crispy_forms_filters.optgroups(field))
    invalid = " is-invalid" if errors else ""
    for group_number, (group, options, _index) in enumerate(groups, 1):
        if group:
            out.append(f"<strong>{escape(group)}</strong>")
        for number, option in enumerate(options, 1):
            out.append(f'<div class="form-check"><input type="{escape(option["type"])}" class="form-check-input{invalid}" '
                       f'name="{escape(field.html_name)}" value="{escape(str(option["value"]))}" {attributes(option["attrs"])}>'
                       f'<label for="{escape(option["attrs"].get("id", ""))}" class="form-check-label">{escape(str(option["label"]))}</label>')
            if errors and number == len(options) and group_number == len(groups):
                out.append(_errors(field, errors))
            out.append("</div>")
    out.append(f"</div>{_help_text(field)}</fieldset></div>")
    return mark_safe("".join(out))  # every value escaped above; the help text is the form's own HTML, as crispy shows it


def _errors(field, errors):
    """field_errors_block.html."""
    return (f'<div id="{escape(errors.field_id)}_error" class="invalid-feedback">'
            + "".join(f'<p id="error_{number}_{escape(field.auto_id)}"><strong>{escape(error)}</strong></p>'
                      for number, error in enumerate(errors, 1))
            + "</div>")


def _help_text(field):
    """help_text.html."""
    if not field.help_text:
        return ""
    help_id = f'id="{escape(field.auto_id)}_helptext" ' if field.auto_id else ""
    return f'<div {help_id}class="form-text">{field.help_text}</div>'


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


@register.filter(name="crispy")
def as_crispy_form(form, template_pack=TEMPLATE_PACK, label_class="", field_class=""):
    """``{{ form|crispy }}`` for a form without a helper, as bootstrap5/uni_form.html draws it: its errors not of one field
    (errors.html), then each field as field.html draws it (|as_crispy_field below, written here for a plain field):
    the 申请书's 单位简介 draws six such forms a page, 65 % of the page through crispy's templates. A formset, a form
    with a helper, another template pack or label and field classes go to crispy."""
    if (isinstance(form, BaseFormSet) or template_pack != "bootstrap5" or label_class or field_class
            or getattr(form, "helper", None) is not None):
        return crispy_forms_filters.as_crispy_form(form, template_pack, label_class, field_class)
    errors = form.non_field_errors()
    out = [f'<div class="alert alert-block alert-danger"><ul class="m-0">{"".join(f"<li>{escape(e)}</li>" for e in errors)}</ul></div>'
           if errors else ""]
    out.extend(as_crispy_field(field) for field in form)
    return mark_safe("".join(out))  # the errors escaped here, each field by as_crispy_field or crispy


@register.filter(name="as_crispy_field")
def as_crispy_field(field, template_pack=TEMPLATE_PACK, label_class="", field_class=""):
    if not _drawn_here(field, template_pack, label_class, field_class):
        return crispy_forms_filters.as_crispy_field(field, template_pack, label_class, field_class)
    if isinstance(field.field.widget, forms.RadioSelect) and field.use_fieldset:  # CheckboxSelectMultiple too
        return _choice_list(field)
    if not _plain(field):
        return crispy_forms_filters.as_crispy_field(field, template_pack, label_class, field_class)
    errors = field.errors
    required = field.field.required
    _add_classes(field.field.widget, ("form-select" if isinstance(field.field.widget, forms.Select) else "form-control")
                 + (" is-invalid" if errors else ""))
    control = str(field) if field.field.show_hidden_initial else draw(field)  # str() adds a hidden initial to as_widget()
    css_classes = field.css_classes()
    label_for = f'for="{escape(field.id_for_label)}" ' if field.id_for_label else ""
    label = (f'<label {label_for}class="form-label{" requiredField" if required else ""}">{escape(field.label)}'
             f'{_ASTERISK if required else ""}</label>')
    return mark_safe(f'<div id="div_{escape(field.auto_id)}" class="mb-3{" " + escape(css_classes) if css_classes else ""}">'
                     f"{label}{control}{_errors(field, errors) if errors else ''}{_help_text(field)}</div>")
