from django.contrib import admin

from accounts.admin_widgets import TolerantAutocompleteMixin

from .models import Criterion, ExpertProfile


@admin.register(ExpertProfile)
class ExpertProfileAdmin(TolerantAutocompleteMixin, admin.ModelAdmin):
    """The employer's credit code lets 回避 match an expert to a member unit exactly."""

    list_display = ["user", "employer_credit_code", "specialty"]
    search_fields = ["user__full_name", "user__username", "employer_credit_code"]
    autocomplete_fields = ["user"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "weight", "sort_order", "is_active"]
