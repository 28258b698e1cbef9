from django.urls import path

from . import overview_views, public_views, views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("workbench/applicant/", views.applicant, name="applicant"),
    path("workbench/district/", views.district, name="district"),
    path("workbench/municipal/", views.municipal, name="municipal"),
    path("workbench/expert/", views.expert, name="expert"),
    path("workbench/system/", views.system_admin, name="system_admin"),
    path("workbench/audit/", views.audit, name="audit"),
    path("overview/statistics/", views.statistics, name="statistics"),
    path("public/", public_views.public_list, name="public"),
]
for page in overview_views.LISTS.values():
    urlpatterns += [
        path(f"overview/{page.slug}/", overview_views.list_view(page), name=page.slug),
        path(f"overview/{page.slug}/export.xlsx", overview_views.export_view(page), name=f"{page.slug}_export"),
    ]
