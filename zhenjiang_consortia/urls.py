from django.contrib import admin
from django.urls import include, path

from accounts.roles import Role


def _system_admin_only(request):
    user = request.user
    return user.is_active and user.is_authenticated and user.role == Role.SYSTEM_ADMIN


admin.site.has_permission = _system_admin_only
admin.site.site_header = "镇江市创新联合体平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "账户、机构与基础数据"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("applications.urls")),
    path("", include("applications.dossier.urls")),
    path("reviews/", include("reviews.urls")),
    path("", include("dashboards.urls")),
    path("", include("operations.urls")),
]
