from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("new/", views.candidate_new, name="new"),
    path("<id:pk>/", views.candidate_detail, name="detail"),
    path("<id:pk>/edit/", views.candidate_edit, name="edit"),
    path("<id:pk>/invite/", views.candidate_invite, name="invite"),
    path("<id:pk>/drop/", views.candidate_drop, name="drop"),
    path("<id:pk>/resume/", views.candidate_resume, name="resume"),
    path("<id:pk>/city-led/", views.candidate_city_led, name="city_led"),
]
