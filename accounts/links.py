"""Links that a later stage adds to the pages of accounts: the login page offers the enterprise
registration, which belongs to the applications app. URL names never point up the lifecycle, so
that app registers its link here (in its AppConfig.ready()) instead."""

from django.urls import reverse

_login_links = []


def add_login_link(label, url_name):
    if (label, url_name) not in _login_links:
        _login_links.append((label, url_name))


def login_links():
    return [(label, reverse(url_name)) for label, url_name in _login_links]
