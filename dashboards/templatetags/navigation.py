from django import template
from django.utils.safestring import mark_safe

from operations.text import csrf_input, escape

from ..navigation import navigation as role_navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context):
    """The navbar's addresses for the signed-in user's role (dashboards/navigation.py), also on pages rendered
    without a request (Django's 400 page has no context processors)."""
    user = context.get("user")
    return role_navigation(user.role if user is not None and user.is_authenticated else None)


@register.simple_tag(takes_context=True)
def signed_in_menu(context, navigation):
    """The navbar's menu of a signed-in user (nothing for anyone else): the role's links, who is signed in, the unread
    messages, the password and the sign-out form. Written here rather than in base.html, whose every page drew it
    through some forty template nodes; tests/dashboards/test_navigation_menu.py holds it to that template."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    links = "".join(f'<li class="nav-item"><a class="nav-link" href="{escape(address)}">{escape(label)}</a></li>'
                    for label, address in navigation.links)
    where = f" · {escape(user.bureau.name)}" if user.bureau else f" · {escape(user.unit.name)}" if user.unit else ""
    unread = context.get("unread_message_count")
    badge = (f'<span class="position-absolute top-0 start-100 translate-middle badge rounded-pill bg-danger mt-2">{escape(unread)}'
             '<span class="visually-hidden"> 条未读</span></span>') if unread else ""
    return mark_safe(  # every value escaped above
        '<button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#nav" aria-label="展开导航">'
        '<span class="navbar-toggler-icon"></span></button>\n'
        f'<div class="collapse navbar-collapse" id="nav">\n<ul class="navbar-nav me-auto">{links}</ul>\n'
        '<ul class="navbar-nav align-items-lg-center">\n'
        f'<li class="nav-item"><span class="navbar-text me-3">{escape(user.display_name)}<small class="ms-1 opacity-75 d-none d-xxl-inline">'
        f'（{escape(user.get_role_display())}{where}）</small></span></li>\n'
        f'<li class="nav-item"><a class="nav-link d-inline-block text-nowrap position-relative me-2" href="{escape(navigation.messages)}">'
        f'消息{badge}</a></li>\n'
        f'<li class="nav-item"><a class="nav-link" href="{escape(navigation.password_change)}">修改密码</a></li>\n'
        f'<li class="nav-item">\n<form method="post" action="{escape(navigation.logout)}" class="d-inline">{csrf_input(context)}\n'
        '<button type="submit" class="btn btn-link nav-link">退出</button>\n</form>\n</li>\n</ul>\n</div>\n')


@register.simple_tag
def overview_tabs(tabs):
    """The overview's tabs (``tabs``: dashboards.overview_views.overview_nav, (title, url, is this page)) above the lists,
    the statistics and the bureaus' workbenches, or nothing when there are none, then the line end the included template
    ended with. Written here rather than in that template (a twentieth of a list page); tests/dashboards/test_navigation_menu.py
    holds it to that template."""
    if not tabs:
        return "\n"
    items = "".join(
        f'<li class="nav-item"><a class="nav-link active" aria-current="page" href="{escape(url)}">{escape(title)}</a></li>' if active
        else f'<li class="nav-item"><a class="nav-link" href="{escape(url)}">{escape(title)}</a></li>' for title, url, active in tabs)
    return mark_safe(f'<ul class="nav nav-tabs mb-3 overview-tabs">{items}</ul>\n')  # every value escaped
