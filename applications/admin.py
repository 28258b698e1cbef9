from django.contrib import admin

from .models import Consortium, IndustryField, Membership, Registration, Unit, UnitBan


@admin.register(IndustryField)
class IndustryFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "kind", "bureau", "registration_status"]
    list_filter = ["kind", "bureau", "registration_status"]
    search_fields = ["name", "credit_code"]
    readonly_fields = ["registration_status"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Decided by the district bureaus on their own page; the admin only reads them."""

    list_display = ["name", "credit_code", "bureau", "status", "created_at", "reviewed_at"]
    list_filter = ["status", "bureau"]
    search_fields = ["name", "credit_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["position", "unit", "unit_name", "unit_kind", "role", "task_division", "joined_on", "left_on"]
    readonly_fields = fields
    can_delete = False


@admin.register(Consortium)
class ConsortiumAdmin(admin.ModelAdmin):
    """Read-only here: the lifecycle changes only through the workflow (applications.workflow)."""

    list_display = ["name", "lead_unit", "industry_field", "status", "record_number", "filed_on"]
    list_filter = ["status", "industry_field"]
    search_fields = ["name", "lead_unit__name", "record_number"]
    inlines = [MembershipInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitBan)
class UnitBanAdmin(admin.ModelAdmin):
    list_display = ["unit", "starts_on", "ends_on", "reason"]
    readonly_fields = ["unit", "consortium", "starts_on", "ends_on", "reason"]

    def has_add_permission(self, request):
        return False
