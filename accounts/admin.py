from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse

from accounts import audit_actions as accounts_actions
from operations import clock

from . import audit, notify
from .admin_widgets import TolerantAutocompleteMixin
from .models import Bureau, User
from .roles import Role

# What makes an account's rights: its role and the scope that goes with it (bureau, unit), and whether it may sign in.
SCOPE_FIELDS = ["role", "bureau", "unit", "is_active"]


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "kind", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["kind", "is_active"]


def _scope(user):
    return {
        "角色": user.get_role_display(), "所属机构": str(user.bureau or "（无）"), "所属单位": str(user.unit or "（无）"),
        "状态": "启用" if user.is_active else "停用",
    }


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

    def get_readonly_fields(self, request, obj=None):
        """三员分立: on their own account the system admin changes neither role nor scope, so never takes a business
        role (申报单位, 初审, 市科技局 and its 联络员, 专家) and never signs in with one."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += SCOPE_FIELDS
        return fields

    def save_model(self, request, obj, form, change):
        """A new account's first password is the admin's: the user replaces it at first sign-in. A change of role or
        scope is audited old → new."""
        before = _scope(User.objects.select_related("bureau", "unit").get(pk=obj.pk)) if change else None
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
        after = _scope(obj)
        changed = [f"{label}：{(before or {}).get(label, '（新账户）')} → {value}" for label, value in after.items()
                   if before is None or before[label] != value]
        if changed:
            audit.record(accounts_actions.ROLE_CHANGED, request=request, target=obj, detail="；".join(changed))

    def user_change_password(self, request, id, form_url=""):
        """The admin's "change password" of another account is a reset: the user must choose a new password at their
        next sign-in, and is told (message and e-mail), so the admin never keeps a password that signs in as them."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and str(id) != str(request.user.pk):
            user = User.objects.get(pk=id)
            user.must_change_password = True
            user.save(update_fields=["must_change_password"])
            audit.record(accounts_actions.ADMIN_PASSWORD_SET, request=request, target=user,
                         detail="系统管理员重设了该账户的密码；本人下次登录须先修改密码，已通知本人。")
            notify.notify(
                [user], "您的登录密码已由系统管理员重设",
                f"系统管理员（{request.user.display_name}）于 {clock.localtime():%Y-%m-%d %H:%M} 重设了您的登录密码。"
                "请使用管理员告知的临时密码登录，登录后须先设置您自己的新密码。如您没有申请重设，请立即联系市科技局。",
                reverse("accounts:password_change"),
            )
        return response

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
