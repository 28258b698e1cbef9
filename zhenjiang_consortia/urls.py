from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from accounts.roles import Role


def _system_admin_only(request):
    user = request.user
    return user.is_active and user.is_authenticated and user.role == Role.SYSTEM_ADMIN


admin.site.has_permission = _system_admin_only
admin.site.site_header = "镇江市创新联合体平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "账户、机构与基础数据"
# Every deletion goes through an object's own delete page, so that each one is logged and audited
# (the bulk action writes its log entries with bulk_create, which sends no signal).
admin.site.disable_action("delete_selected")
# Permissions follow the role (accounts.backends); groups are not used, and nobody edits them.
admin.site.unregister(Group)

urlpatterns = [
    # One sign-in page for everyone: it applies the login locks and says why and until when.
    path("admin/login/", RedirectView.as_view(url=reverse_lazy("accounts:login"), query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("applications.urls")),
    path("", include("applications.dossier.urls")),
    path("candidates/", include("candidates.urls")),
    path("reviews/", include("reviews.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("", include("dashboards.urls")),
    path("", include("operations.urls")),
]

# The database or the file storage being away answers 503 with a page that says so (operations.outages).
handler500 = "operations.views.server_error"
handler400 = "operations.views.bad_request"
