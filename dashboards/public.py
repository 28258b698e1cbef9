"""The public 公示 list: filed consortia, and revoked ones marked 已取消; nothing else is public.

The page is the same for everyone, so its HTML is kept in Django's cache (settings.CACHES; locmem unless
CACHE_BACKEND says otherwise) for PUBLIC_LIST_CACHE_SECONDS. A filing or a revocation starts a new
generation of the cache at once (``forget``, run after the status change commits); with a cache that
each server process keeps for itself (locmem), the other processes see it when their copy expires.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.template.loader import render_to_string

from accounts.listing import DATE, PAGE_SIZE, Column, keys, table
from applications.choices import Status
from applications.models import Consortium

PUBLIC_STATUSES = (Status.FILED, Status.REVOKED)
GENERATION_KEY = "public-list:generation"
# Page numbers beyond this are not cached separately (they all show the last page anyway).
CACHED_PAGES = 1000


STATES = {
    Status.FILED: '<span class="badge text-bg-success">在册</span>',
    Status.REVOKED: '<span class="badge text-bg-danger">已取消</span>',
}


def _state(row):
    return STATES[row["status"]]


COLUMNS = [
    Column("name", "创新联合体名称"),
    Column("industry_field__name", "产业领域"),
    Column("lead_unit__name", "牵头单位"),
    Column("record_number", "备案编号", css="text-nowrap"),
    Column("filed_on", "备案日期", DATE, css="text-nowrap"),
    Column("status", "状态", badge=_state, css="text-nowrap"),
]


def rows():
    """What the public may read: filed consortia and revoked ones, newest filing first. Exactly these fields."""
    return (
        Consortium.objects.filter(status__in=PUBLIC_STATUSES, record_number__isnull=False)
        .order_by("-filed_on", "-record_number", "-pk").values(*keys(COLUMNS))
    )


def page_html(asked):
    """The page's HTML for the asked page number (text as it came), from the cache when it is there."""
    # At most four ASCII digits: "²" and "①" are digits to str.isdigit() but not to int(), and int() refuses
    # more than 4,300 digits.
    number = int(asked) if asked and len(asked) <= 4 and asked.isascii() and asked.isdigit() else 1
    number = number if 0 < number <= CACHED_PAGES else 1
    generation = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    key = f"public-list:{generation}:{number}"
    html = cache.get(key)
    if html is None:
        page = Paginator(rows(), PAGE_SIZE).get_page(number)
        html = render_to_string("dashboards/public.html", {"page": page, "table": table(COLUMNS, page.object_list)})
        cache.set(key, html, settings.PUBLIC_LIST_CACHE_SECONDS)
    return html


def forget(sender, consortium, change, **kwargs):
    """workflow.status_changed receiver: a filing, revocation or any step into or out of them renews the page."""
    if change.from_status in PUBLIC_STATUSES or change.to_status in PUBLIC_STATUSES:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not in the cache (expired or never set): the next page starts a generation
            cache.set(GENERATION_KEY, 2, timeout=None)
