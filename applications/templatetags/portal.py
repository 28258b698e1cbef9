from django import template
from django.utils.html import format_html

from applications.choices import Status

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
