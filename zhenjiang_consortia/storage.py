"""The static files' storage: Django's, with each file's URL worked out once per process.

Every page asks for the same few URLs ({% static %} for Bootstrap, the portal's CSS and scripts); Django joins and
quotes each of them again on every request. A URL depends only on the file's name and STATIC_URL, and a change of
STATIC_URL (tests' override_settings) makes Django build a new storage, so the names' URLs kept here never go stale.
"""

from django.contrib.staticfiles.storage import StaticFilesStorage


class StaticStorage(StaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name):
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
