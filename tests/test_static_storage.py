from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
from django.templatetags.static import static

from zhenjiang_consortia.storage import StaticStorage


def test_a_static_files_url_is_djangos_own_and_follows_a_changed_static_url(settings):
    """zhenjiang_consortia.storage keeps each file's URL once worked out: the same URL Django gives, and a new one when
    STATIC_URL changes (Django then makes a new storage)."""
    storage = staticfiles_storage.url.__self__
    assert isinstance(storage, StaticStorage)
    for name in ("css/portal.css", "vendor/bootstrap/bootstrap.min.css", "js/名单 #1.js"):
        assert static(name) == StaticFilesStorage().url(name)
        assert storage._urls[name] == static(name)  # kept
    assert static("css/portal.css") == "/static/css/portal.css"
    settings.STATIC_URL = "/assets/"
    assert static("css/portal.css") == "/assets/css/portal.css"
    assert static("js/名单 #1.js") == "/assets/js/%E5%90%8D%E5%8D%95%20%231.js"
