"""The navbar's links for each role, reversed once per process instead of a dozen times on every page.

The links are fixed URL names without arguments, so their addresses change only with the URLconf or the script
prefix the portal is served under; both are part of the key (reversed_once, which the overview's tabs use too).
"""

from functools import cache, wraps

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.roles import Role

BUREAU_LINKS = (("运行管理", "evaluations:index"), ("名单", "dashboards:consortia"), ("统计", "dashboards:statistics"))
LINKS = {
    Role.DISTRICT_REVIEWER: (
        ("初审", "reviews:district_queue"), ("注册审核", "applications:registration_queue"),
        ("培育库", "candidates:list"), *BUREAU_LINKS,
    ),
    Role.MUNICIPAL_STAFF: (
        ("综合论证", "reviews:city_queue"), ("评分项", "reviews:criteria"), ("培育库", "candidates:list"), *BUREAU_LINKS,
    ),
    Role.SYSTEM_ADMIN: (("系统管理", "admin:index"),),
    Role.AUDIT_ADMIN: (("审计日志", "accounts:audit_log"),),
}
SHARED = {
    "home": "dashboards:home", "public": "dashboards:public", "messages": "accounts:messages",
    "password_change": "accounts:password_change", "logout": "accounts:logout",
}


def reversed_once(function):
    """``function(*args)``, which reverses URL names without arguments, called once per process for each ``args``, script
    prefix and URLconf: what it returns is shared by every page, so it must be immutable."""
    cached = cache(lambda args, script_prefix, urlconf: function(*args))

    @wraps(function)
    def wrapper(*args):
        return cached(args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)

    return wrapper


class Navigation:
    def __init__(self, role):
        self.links = [("工作台", reverse("dashboards:home"))] + [(label, reverse(name)) for label, name in LINKS.get(role, ())]
        for attribute, name in SHARED.items():
            setattr(self, attribute, reverse(name))


@reversed_once
def navigation(role):
    """The navbar of ``role`` (None: signed out): ``links`` (label, address) and the shared addresses."""
    return Navigation(role)
