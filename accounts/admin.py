from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .admin_widgets import TolerantAutocompleteMixin
from .models import Bureau, User
from .roles import Role


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "kind", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["kind", "is_active"]


def is_beyond_system_admin(user):
    """三员分立: accounts the system admin may see but never change, reset or delete."""
    return user.role == Role.AUDIT_ADMIN


@admin.register(User)
class UserAdmin(TolerantAutocompleteMixin, BaseUserAdmin):
    """Accounts, as the system admin manages them (every change reaches the audit log, accounts.signals).

    The system admin can neither create an audit admin, give anyone that role, nor change, reset
    or deactivate an audit admin's account: audit admins are made and reset on the server
    (`manage.py create_audit_admin`). Superuser, staff, group and permission fields are not shown:
    rights follow the role alone (accounts.backends).
    """

    list_display = ["username", "full_name", "role", "bureau", "unit", "is_active", "last_login"]
    list_filter = ["role", "bureau", "is_active"]
    search_fields = ["username", "full_name", "email", "phone", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "email", "phone", "employer"]}),
        ("角色与归属", {"fields": ["role", "bureau", "unit"]}),
        ("状态", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "role", "bureau", "unit", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = [(value, label) for value, label in Role.choices if value != Role.AUDIT_ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and is_beyond_system_admin(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_beyond_system_admin(obj):
            return False
        return super().has_delete_permission(request, obj)
