"""Links that a later stage of the lifecycle adds to this app's pages.

URL names point down the lifecycle, never up: the consortium page of ``applications`` does not
name a ``reviews`` or ``evaluations`` URL. Those apps register here (in AppConfig.ready()) what the
page should offer, and the page shows whatever is registered.

    @links.consortium_link
    def review_page(user, consortium):
        return ("进入审查页面", <the URL of the review page>) if <the user may review it> else None
"""

_consortium_links = []


def consortium_link(function):
    """Register ``function(user, consortium) -> (label, url) or None``; links show in registration order."""
    if function not in _consortium_links:
        _consortium_links.append(function)
    return function


def for_consortium(user, consortium):
    return [link for link in (function(user, consortium) for function in _consortium_links) if link]
