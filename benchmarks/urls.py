"""The portal's URLs plus a bare Django view: the baseline every page of `make bench` is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("zhenjiang_consortia.urls")),
]
