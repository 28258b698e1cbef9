from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("district/", views.district_queue, name="district_queue"),
    path("city/", views.city_queue, name="city_queue"),
    path("criteria/", views.criteria, name="criteria"),
    path("entries/<int:entry_id>/experts/", views.add_expert, name="add_expert"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("assignments/<int:pk>/attachments/<int:attachment_id>/", views.assignment_attachment, name="assignment_attachment"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/notice.pdf", views.filing_notice, name="filing_notice"),
    path("<int:pk>/appraisals/<int:entry_id>/opinion.pdf", views.appraisal_opinion, name="appraisal_opinion"),
]
