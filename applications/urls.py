from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/resubmit/", views.registration_resubmit, name="registration_resubmit"),
    path("registrations/", views.registration_queue, name="registration_queue"),
    path("registrations/<int:pk>/decide/", views.registration_decide, name="registration_decide"),
    path("applications/new/", views.start_application, name="start"),
    path("applications/<int:pk>/", views.consortium_detail, name="detail"),
]
