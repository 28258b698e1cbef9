import re

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from applications import workflow
from applications.choices import (
    AttachmentKind,
    MemberRole,
    PlatformLevel,
    ProjectLevel,
    Qualification,
    Status,
    UnitKind,
)
from applications.dossier.presenters import organisation as organisation_of
from applications.links import flags_for
from operations.text import chinese_date

register = template.Library()

BADGE_CLASS = {
    Status.DRAFT: "text-bg-light border",
    Status.RETURNED: "text-bg-warning",
    Status.RETURNED_BY_CITY: "text-bg-warning",
    Status.FILED: "text-bg-success",
    Status.REJECTED: "text-bg-secondary",
    Status.NOT_FILED: "text-bg-secondary",
    Status.REVOKED: "text-bg-danger",
    Status.DISSOLVED: "text-bg-secondary",
}


@register.simple_tag
def status_badge(status):
    return format_html(
        '<span class="badge status-badge {}">{}</span>', BADGE_CLASS.get(status, "text-bg-primary"), Status(status).label
    )


@register.simple_tag
def consortium_flags(consortia):
    """{pk: [labels]} of what later stages flag in a list of consortia (e.g. an overdue annual report):
    ``{% consortium_flags consortia as flags %}`` then ``{% for flag in flags|get:c.pk %}``."""
    return flags_for(consortia)


@register.filter
def control(field, extra=""):
    """Render a bound field's widget with Bootstrap classes, marked invalid when it has errors."""
    widget = field.field.widget
    if isinstance(widget, forms.Select):
        css = "form-select form-select-sm"
    elif getattr(widget, "input_type", "") == "checkbox":
        css = "form-check-input"
    else:
        css = "form-control form-control-sm"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": f"{css} {extra}".strip()})


@register.filter
def cell(field):
    """A form field in a table or a row of many (``{{ row.unit_name|cell }}``): its widget (control) and its errors,
    written here rather than through a template included once per field (an editor page has some seventy)."""
    errors = "".join(format_html('<div class="invalid-feedback d-block">{}</div>', error) for error in field.errors)
    return mark_safe(f"{control(field)}{errors}\n")


# A space the web pages put between Chinese and digits ("连续 2 次"), which a justified printed line would stretch.
_SPACE_BESIDE_CHINESE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) +| +(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


@register.filter
def printed(text):
    """Text as a printed notice sets it: no spaces beside Chinese characters (GB/T 9704 sets none)."""
    return _SPACE_BESIDE_CHINESE.sub("", text or "")


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def fieldnamed(form, name):
    return form[name]


@register.filter(name="chinese_date")
def chinese_date_filter(value):
    """{{ day|chinese_date }}: 2026年12月20日 (operations.text.chinese_date, the one formatter)."""
    return chinese_date(value)


@register.filter
def action_label(action):
    return workflow.label(action)


CHOICE_SETS = {
    "unit_kind": UnitKind, "platform_level": PlatformLevel, "project_level": ProjectLevel,
    "qualification": Qualification, "member_role": MemberRole, "attachment_kind": AttachmentKind,
}


@register.filter
def choice(value, name):
    """The label of a stored choice value (or of each value of a list), e.g. {{ m.unit.kind|choice:"unit_kind" }}."""
    labels = dict(CHOICE_SETS[name].choices)
    if isinstance(value, list):
        return "、".join(str(labels.get(v, v)) for v in value)
    return labels.get(value, "" if value is None else value)


@register.simple_tag
def organisation(content):
    """The 组建协议, its signatures, the organs and the 首席专家 of a snapshot (dossier.presenters.organisation), for
    ``{% organisation content as org %}``; a 授权书 is named by its row in the page's 附件材料 table."""
    return organisation_of(content, {a.get("id"): n for n, a in enumerate(content.get("attachments", []), start=1)})


@register.filter
def blank(value):
    """Empty values show as nothing, never "None"."""
    return "" if value is None else value
