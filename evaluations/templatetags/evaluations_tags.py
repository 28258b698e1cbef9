from django import template
from django.utils.html import format_html

from evaluations.choices import Grade, ReportStanding

register = template.Library()

GRADE_CLASS = {Grade.EXCELLENT: "text-bg-success", Grade.QUALIFIED: "text-bg-primary", Grade.UNQUALIFIED: "text-bg-danger"}
STANDING_CLASS = {
    ReportStanding.NOT_STARTED: "text-bg-light border", ReportStanding.DRAFT: "text-bg-info",
    ReportStanding.SUBMITTED: "text-bg-success", ReportStanding.SUBMITTED_LATE: "text-bg-warning",
    ReportStanding.OVERDUE: "text-bg-danger",
}


@register.simple_tag
def grade_badge(grade):
    if not grade:
        return ""
    return format_html('<span class="badge {}" data-grade="{}">{}</span>', GRADE_CLASS.get(grade, "text-bg-secondary"), grade, Grade(grade).label)


@register.simple_tag
def standing_badge(standing):
    return format_html('<span class="badge {}" data-standing="{}">{}</span>', STANDING_CLASS.get(standing, "text-bg-secondary"),
                       standing, ReportStanding(standing).label)


@register.filter
def signed(value):
    """A change as printed: +3, -1.50, 0; nothing when there is nothing to compare."""
    if value is None or value == "":
        return ""
    text = str(value)
    return text if text.startswith(("-", "+")) or text in ("0", "0.00") else f"+{text}"


@register.filter
def blank_dash(value):
    return "—" if value is None or value == "" else value
