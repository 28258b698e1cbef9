from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("district/", views.district_queue, name="district_queue"),
    path("city/", views.city_queue, name="city_queue"),
    path("criteria/", views.criteria, name="criteria"),
    path("entries/<id:entry_id>/experts/", views.add_expert, name="add_expert"),
    path("assignments/<id:pk>/", views.assignment, name="assignment"),
    path("assignments/<id:pk>/attachments/<id:attachment_id>/", views.assignment_attachment, name="assignment_attachment"),
    path("<id:pk>/", views.review, name="review"),
    path("<id:pk>/notice.pdf", views.filing_notice, name="filing_notice"),
    path("<id:pk>/recommendation.pdf", views.recommendation, name="recommendation"),
    path("<id:pk>/appraisals/<id:entry_id>/opinion.pdf", views.appraisal_opinion, name="appraisal_opinion"),
    path("<id:pk>/appraisals/<id:entry_id>/draft-printing/", views.draft_printing, name="draft_printing"),
]
