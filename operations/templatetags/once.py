"""{% once_token %}: the hidden one-time token of a form whose view is decorated with operations.once.once_per_token."""

from django import template
from django.utils.html import format_html

from operations import once

register = template.Library()


@register.simple_tag(takes_context=True)
def once_token(context):
    request = context.get("request")
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token(getattr(request, "user", None)))
