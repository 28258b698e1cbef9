from django.urls import path

from . import views

app_name = "dossier"

urlpatterns = [
    path("applications/<id:pk>/dossier/", views.request_dossier, name="request"),
    path("applications/<id:pk>/dossier/<id:render_id>/", views.progress, name="progress"),
    path("applications/<id:pk>/dossier/<id:render_id>/file/", views.download, name="download"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>", views.verify, name="verify"),
]
