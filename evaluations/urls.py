from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("liaison/", views.liaison_dashboard, name="liaison"),
    path("recommended/", views.recommended, name="recommended"),
    path("criteria/", views.criteria, name="criteria"),
    path("<id:pk>/", views.consortium_page, name="consortium"),
    path("<id:pk>/liaison/", views.assign_liaison, name="assign_liaison"),
    path("<id:pk>/reports/<id:year>/", views.report_page, name="report"),
    path("<id:pk>/reports/<id:year>/start/", views.report_start, name="report_start"),
    path("<id:pk>/reports/<id:year>/submit/", views.report_submit, name="report_submit"),
    path("<id:pk>/reports/<id:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<id:pk>/reports/<id:year>/grade/", views.grade, name="grade"),
    path("<id:pk>/reports/<id:year>/panel/", views.open_panel, name="open_panel"),
    path("<id:pk>/reports/<id:year>/panel/experts/", views.add_panel_expert, name="add_panel_expert"),
    path("<id:pk>/evaluations/<id:evaluation_id>/notice.pdf", views.grading_notice, name="grading_notice"),
    path("<id:pk>/evaluations/<id:evaluation_id>/third-party/", views.third_party_report, name="third_party_report"),
    path("<id:pk>/revoke/", views.revoke, name="revoke"),
    path("<id:pk>/revocation.pdf", views.revocation_notice, name="revocation_notice"),
    path("<id:pk>/member-changes/new/", views.member_change_new, name="member_change_new"),
    path("member-changes/<id:change_id>/", views.member_change, name="member_change"),
    path("<id:pk>/projects/new/", views.project, name="project_new"),
    path("<id:pk>/projects/<id:project_id>/", views.project, name="project_edit"),
    path("<id:pk>/dissolution/", views.dissolution, name="dissolution"),
    path("assignments/<id:pk>/", views.assignment, name="assignment"),
    path("units/<id:pk>/", views.unit, name="unit"),
    path("bans/", views.bans, name="bans"),
    path("bans/new/", views.ban_new, name="ban_new"),
    path("bans/<id:ban_id>/lift/", views.ban_lift, name="ban_lift"),
]
