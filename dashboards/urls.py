from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("workbench/applicant/", views.applicant, name="applicant"),
    path("workbench/district/", views.district, name="district"),
    path("workbench/municipal/", views.municipal, name="municipal"),
    path("workbench/expert/", views.expert, name="expert"),
    path("workbench/system/", views.system_admin, name="system_admin"),
    path("workbench/audit/", views.audit, name="audit"),
]
