import django_filters
from django import forms

from accounts import listing
from applications.choices import Status
from applications.models import Consortium, IndustryField
from operations.prepared import fixed_choices


class QueueFilter(listing.FilterSet):
    """The reviewers' queues: field, state, submission date, search, sorting."""

    q = listing.SearchFilter(("name", "lead_unit__name", "lead_unit__credit_code"), label="名称或统一社会信用代码")
    industry_field = django_filters.ModelChoiceFilter(queryset=fixed_choices(IndustryField.objects.all()), label="产业领域", empty_label="全部领域")
    status = django_filters.ChoiceFilter(choices=[c for c in Status.choices if c[0] != Status.DRAFT], label="状态", empty_label="全部状态")
    submitted_from = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte", label="提交日期自",
                                               widget=forms.DateInput(attrs={"type": "date"}),
                                               error_messages=listing.DATE_ERRORS)
    submitted_to = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte", label="至",
                                             widget=forms.DateInput(attrs={"type": "date"}),
                                             error_messages=listing.DATE_ERRORS)
    ordering = django_filters.OrderingFilter(
        fields=(("submitted_at", "submitted_at"), ("name", "name"), ("lead_unit__name", "lead")),
        field_labels={"submitted_at": "提交时间", "-submitted_at": "提交时间（倒序）", "name": "名称", "lead": "牵头单位"},
        label="排序", empty_label="默认（先提交的在前）",
    )

    class Meta:
        model = Consortium
        fields = []
