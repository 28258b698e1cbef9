"""The portal's URLs plus a bare Django view: the baseline every page of `make bench` is compared with."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def signed_in(request):
    """What every signed-in page pays before its own work: session, user, session save, the page frame."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/signed-in/", signed_in),
    path("", include("zhenjiang_consortia.urls")),
]
