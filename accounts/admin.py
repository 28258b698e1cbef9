from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Bureau, User


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "kind", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
