from django.urls import path

from .dissolution import views as dissolution
from .grading import views as grading
from .legacy import views as legacy
from .liaison import views as liaison
from .membership import views as membership
from .overview import views as overview
from .reports import views as reports
from .sanctions import views as sanctions
from .support import views as support

app_name = "evaluations"

urlpatterns = [
    path("", overview.index, name="index"),
    path("liaison/", overview.liaison_dashboard, name="liaison"),
    path("recommended/", grading.recommended, name="recommended"),
    path("criteria/", grading.criteria, name="criteria"),
    path("<id:pk>/", overview.consortium_page, name="consortium"),
    path("<id:pk>/liaison/", liaison.assign_liaison, name="assign_liaison"),
    path("<id:pk>/work/new/", liaison.work_new, name="work_new"),
    path("<id:pk>/liaison-opinion/", liaison.liaison_opinion, name="liaison_opinion"),
    path("follow-ups/<id:follow_up_id>/", liaison.follow_up, name="follow_up"),
    path("<id:pk>/reports/<id:year>/", reports.report_page, name="report"),
    path("<id:pk>/reports/<id:year>/start/", reports.report_start, name="report_start"),
    path("<id:pk>/reports/<id:year>/submit/", reports.report_submit, name="report_submit"),
    path("<id:pk>/reports/<id:year>/report.pdf", reports.report_pdf, name="report_pdf"),
    path("<id:pk>/reports/<id:year>/grade/", grading.grade, name="grade"),
    path("<id:pk>/reports/<id:year>/panel/", grading.open_panel, name="open_panel"),
    path("<id:pk>/reports/<id:year>/panel/experts/", grading.add_panel_expert, name="add_panel_expert"),
    path("<id:pk>/evaluations/<id:evaluation_id>/notice.pdf", grading.grading_notice, name="grading_notice"),
    path("<id:pk>/evaluations/<id:evaluation_id>/third-party/", grading.third_party_report, name="third_party_report"),
    path("<id:pk>/evaluations/<id:evaluation_id>/correct/", grading.correct_grade, name="correct_grade"),
    path("<id:pk>/evaluations/corrections/<id:correction_id>/notice.pdf", grading.correction_notice, name="correction_notice"),
    path("<id:pk>/recommendation/", grading.recommend, name="recommend"),
    path("<id:pk>/revoke/", sanctions.revoke, name="revoke"),
    path("<id:pk>/revocation.pdf", sanctions.revocation_notice, name="revocation_notice"),
    path("<id:pk>/member-changes/new/", membership.member_change_new, name="member_change_new"),
    path("member-changes/<id:change_id>/", membership.member_change, name="member_change"),
    path("<id:pk>/projects/new/", support.project, name="project_new"),
    path("<id:pk>/projects/<id:project_id>/", support.project, name="project_edit"),
    path("<id:pk>/support/new/", support.support, name="support_new"),
    path("<id:pk>/support/<id:record_id>/", support.support, name="support_edit"),
    path("<id:pk>/dissolution/", dissolution.dissolution, name="dissolution"),
    path("assignments/<id:pk>/", grading.assignment, name="assignment"),
    path("units/<id:pk>/", sanctions.unit, name="unit"),
    path("filed-import/", legacy.filed_import, name="filed_import"),
    path("filed-import/template.xlsx", legacy.filed_import_template, name="filed_import_template"),
    path("filed-import/<id:pk>/", legacy.filed_import_batch, name="filed_import_batch"),
    path("bans/", sanctions.bans, name="bans"),
    path("bans/new/", sanctions.ban_new, name="ban_new"),
    path("bans/<id:ban_id>/lift/", sanctions.ban_lift, name="ban_lift"),
]
