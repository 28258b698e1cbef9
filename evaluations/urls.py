from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("liaison/", views.liaison_dashboard, name="liaison"),
    path("recommended/", views.recommended, name="recommended"),
    path("criteria/", views.criteria, name="criteria"),
    path("<int:pk>/", views.consortium_page, name="consortium"),
    path("<int:pk>/liaison/", views.assign_liaison, name="assign_liaison"),
    path("<int:pk>/reports/<int:year>/", views.report_page, name="report"),
    path("<int:pk>/reports/<int:year>/start/", views.report_start, name="report_start"),
    path("<int:pk>/reports/<int:year>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/reports/<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/reports/<int:year>/grade/", views.grade, name="grade"),
    path("<int:pk>/reports/<int:year>/panel/", views.open_panel, name="open_panel"),
    path("<int:pk>/reports/<int:year>/panel/experts/", views.add_panel_expert, name="add_panel_expert"),
    path("<int:pk>/evaluations/<int:evaluation_id>/notice.pdf", views.grading_notice, name="grading_notice"),
    path("<int:pk>/evaluations/<int:evaluation_id>/third-party/", views.third_party_report, name="third_party_report"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<int:pk>/revocation.pdf", views.revocation_notice, name="revocation_notice"),
    path("<int:pk>/member-changes/new/", views.member_change_new, name="member_change_new"),
    path("member-changes/<int:change_id>/", views.member_change, name="member_change"),
    path("<int:pk>/projects/new/", views.project, name="project_new"),
    path("<int:pk>/projects/<int:project_id>/", views.project, name="project_edit"),
    path("<int:pk>/dissolution/", views.dissolution, name="dissolution"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("bans/", views.bans, name="bans"),
    path("bans/new/", views.ban_new, name="ban_new"),
    path("bans/<int:ban_id>/lift/", views.ban_lift, name="ban_lift"),
]
