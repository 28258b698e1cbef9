"""``{{ field|filter_control }}``: a list filter's select or input, written in Python.

Django renders a select through one template per option (select_option.html, attrs.html): a filter
form with a few lists of choices cost more than the 50 rows of the table below it. The filters are
plain selects and inputs, so they are written here directly, with Bootstrap's classes.
"""

from datetime import date

from django import forms, template
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from operations.forms import errors_of
from operations.text import escape

register = template.Library()


@register.filter
def filter_control(field):
    widget = field.field.widget
    invalid = " is-invalid" if errors_of(field) else ""
    value = field.value()
    attrs = {key: val for key, val in widget.attrs.items() if key != "class"}
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        current = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(choice)}"{" selected" if str(choice) == current else ""}>{escape(label)}</option>'
            for choice, label in field.field.choices
        )
        return mark_safe(f'<select name="{escape(field.html_name)}" id="{escape(field.auto_id)}" class="form-select form-select-sm'
                         f'{invalid}"{flatatt(attrs) if attrs else ""}>{options}</select>')  # every value escaped
    if isinstance(value, date):
        value = value.isoformat()
    input_type = getattr(widget, "input_type", "text")
    if getattr(field.field, "max_length", None):
        attrs.setdefault("maxlength", field.field.max_length)
    return mark_safe(f'<input type="{escape(input_type)}" name="{escape(field.html_name)}" id="{escape(field.auto_id)}" '
                     f'class="form-control form-control-sm{invalid}" value="{"" if value is None else escape(value)}"'
                     f'{flatatt(attrs) if attrs else ""}>')  # every value escaped


@register.filter
def filter_cell(field):
    """A filter's control with its errors beside it, and a line end (``{{ filter.form.q|filter_cell }}``, as the template
    it replaced drew it; tests/accounts/test_filter_controls.py holds it to that template)."""
    return mark_safe(f"{filter_control(field)}{_errors(field)}\n")  # the control escapes its values, _errors its messages


@register.simple_tag
def filter_fields(form):
    """Every field of a list's filter form with its label, control and errors, the search field wider: written here
    rather than in a template loop; tests/accounts/test_filter_controls.py holds it to the template it replaced."""
    out = []
    for field in form:
        width = "col-md-6 col-lg-4" if field.name == "q" else "col-sm-6 col-md-3 col-lg-2"
        out.append(
            f'\n    <div class="{width}">\n'
            f'      <label class="form-label small mb-1" for="{escape(field.id_for_label)}">{escape(field.label)}</label>\n'
            f"      {filter_control(field)}\n"
            f"      {_errors(field)}\n"
            "    </div>\n  ")
    return mark_safe("".join(out))  # every value escaped


@register.simple_tag
def list_table(table, empty=""):
    """A list's table (``table``: accounts.listing.table()): its headings with their sort links, then its rows, whose
    cells table() has already written, or one row saying there are none (``empty``, by default 没有符合条件的记录).
    Written here rather than in a template included with a loop of rows (the lists, the queues, the workbenches);
    tests/accounts/test_filter_controls.py holds it to that template, kept in tests/accounts/reference/."""
    headings = "".join(
        f'<th scope="col"><a class="sort-link" href="{escape(h.url)}">{escape(h.label)}{escape(h.arrow)}</a></th>' if h.url
        else f'<th scope="col">{escape(h.label)}</th>' for h in table.headings)
    rows = "".join(f"<tr>{escape(row)}</tr>\n" for row in table.rows) or (
        f'<tr><td colspan="{len(table.headings)}" class="empty-state">{escape(empty or "没有符合条件的记录")}</td></tr>\n')
    return mark_safe('\n<div class="table-responsive"><table class="table table-hover align-middle mb-0 list-table">\n'
                     f"<thead><tr>{headings}</tr></thead>\n<tbody>\n{rows}\n</tbody></table></div>\n")  # every value escaped


def _errors(field):
    return "".join(f'<div class="invalid-feedback d-block">{escape(error)}</div>' for error in errors_of(field))
