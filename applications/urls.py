from django.urls import path

from . import intake_views, views

app_name = "applications"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/resubmit/", views.registration_resubmit, name="registration_resubmit"),
    path("registrations/", views.registration_queue, name="registration_queue"),
    path("registrations/<id:pk>/decide/", views.registration_decide, name="registration_decide"),
    path("applications/new/", views.start_application, name="start"),
    path("applications/<id:pk>/", views.consortium_detail, name="detail"),
    path("applications/<id:pk>/edit/attachments/", intake_views.attachments, name="attachments"),
    path("applications/<id:pk>/edit/attachments/<id:attachment_id>/delete/", intake_views.remove_attachment, name="remove_attachment"),
    path("applications/<id:pk>/edit/<str:part>/", intake_views.edit_part, name="edit"),
    path("applications/<id:pk>/check/", intake_views.readiness_page, name="readiness"),
    path("applications/<id:pk>/check/statement/", intake_views.statement, name="statement"),
    path("applications/<id:pk>/submit/", intake_views.submit, name="submit"),
    path("applications/<id:pk>/versions/", intake_views.versions, name="versions"),
    path("applications/<id:pk>/versions/<id:number>/attachments/<id:attachment_id>/", intake_views.version_attachment,
         name="version_attachment"),
    path("attachments/<id:attachment_id>/", intake_views.download_attachment, name="attachment"),
]
