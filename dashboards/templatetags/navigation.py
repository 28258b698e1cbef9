from django import template

from ..navigation import navigation as role_navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context):
    """The navbar's addresses for the signed-in user's role (dashboards/navigation.py), also on pages rendered
    without a request (Django's 400 page has no context processors)."""
    user = context.get("user")
    return role_navigation(user.role if user is not None and user.is_authenticated else None)
