"""What a later stage of the lifecycle adds to this app's pages: links, sections and flags.

URL names point down the lifecycle, never up: the consortium page of ``applications`` does not
name a ``reviews`` or ``evaluations`` URL or template. Those apps register here (in AppConfig.ready())
what the pages should offer, and the pages show whatever is registered.

    @links.consortium_link
    def review_page(user, consortium):
        return ("进入审查页面", <the URL of the review page>) if <the user may review it> else None

    @links.consortium_section
    def grades(user, consortium):
        return ("evaluations/_grades_section.html", {<what the template shows>}) or None

    @links.consortium_flags
    def overdue_reports(consortia):
        return {consortium pk: ["年度报告逾期"]}  # a fixed number of queries however many consortia
"""

_consortium_links = []
_consortium_sections = []
_consortium_flags = []


def _register(registry, function):
    if function not in registry:
        registry.append(function)
    return function


def consortium_link(function):
    """Register ``function(user, consortium) -> (label, url) or None``; links show in registration order."""
    return _register(_consortium_links, function)


def consortium_section(function):
    """Register ``function(user, consortium) -> (template name, context) or None``: a card on the consortium page."""
    return _register(_consortium_sections, function)


def consortium_flags(function):
    """Register ``function(consortia) -> {pk: [short labels]}``: warnings shown beside a consortium in every list.

    It is given the consortia a list shows (their pks and fields as listed) and must answer in a fixed
    number of queries, so that a list's query count does not grow with its rows.
    """
    return _register(_consortium_flags, function)


def for_consortium(user, consortium):
    return [link for link in (function(user, consortium) for function in _consortium_links) if link]


def sections_for(user, consortium):
    return [section for section in (function(user, consortium) for function in _consortium_sections) if section]


def flags_for(consortia):
    """{pk: [labels]} for the consortia of a list, from every registered provider."""
    consortia = list(consortia)
    flags = {}
    if not consortia:
        return flags
    for function in _consortium_flags:
        for pk, labels in function(consortia).items():
            flags.setdefault(pk, []).extend(labels)
    return flags
