"""The lists' filters (django-filter): search, choices, date ranges and sorting, from the query string.

Every filter set takes ``request`` (for the viewer's role) and a queryset that already holds only what
the viewer may see (dashboards/lists.py); filters only narrow it. Invalid values are explained beside
their field and left out (accounts.listing.ListFilter).
"""

import functools

import django_filters
from django import forms
from django.utils.choices import CallableChoiceIterator

from accounts.listing import CHOICE_ERRORS, ListFilter, SearchFilter, SortFilter, date_filter
from accounts.models import Bureau
from accounts.roles import BureauKind, Role
from applications.choices import MemberRole, RegistrationStatus, Status, UnitKind
from applications.models import IndustryField
from evaluations.choices import Grade, ProjectKind, ProjectLevel, ProjectStatus, SupportKind
from operations import clock
from operations.prepared import Prepared, fixed_choices

from . import lists

VISIBLE_STATUSES = [choice for choice in Status.choices if choice[0] != Status.DRAFT]


def _districts():
    return Bureau.objects.filter(kind=BureauKind.DISTRICT)


_INDUSTRY_FIELDS = Prepared(lambda: IndustryField.objects.values_list("pk", "name", "cluster"))  # in the fields' order


def district_filter(field_name, label="所在辖区"):
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=fixed_choices(_districts()), label=label, empty_label="全部辖区", error_messages=CHOICE_ERRORS,
    )


def field_filter(field_name="industry_field"):
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=fixed_choices(IndustryField.objects.all()), label="产业领域", empty_label="全部领域",
        error_messages=CHOICE_ERRORS,
    )


class ScopedFilter(ListFilter):
    """Filters by district only for the city: a district bureau sees its own district and nothing else."""

    city_only = ("district",)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is None or user.role != Role.MUNICIPAL_STAFF:
            for name in self.city_only:
                self.filters.pop(name, None)


class ConsortiumFilter(ScopedFilter):
    q = SearchFilter(("name", "lead_unit__name", "lead_unit__credit_code"), label="名称、牵头单位或统一社会信用代码")
    status = django_filters.ChoiceFilter(choices=VISIBLE_STATUSES, label="状态", empty_label="全部状态", error_messages=CHOICE_ERRORS)
    # Their options: the industry fields, read once for both when the form is drawn or a value checked (form).
    industry_field = django_filters.ChoiceFilter(label="产业领域", empty_label="全部领域", error_messages=CHOICE_ERRORS)
    cluster = django_filters.ChoiceFilter(field_name="industry_field__cluster", label="产业集群", empty_label="全部集群",
                                          error_messages=CHOICE_ERRORS)
    district = district_filter("lead_unit__bureau")
    filed_from = date_filter("filed_on", "gte", "备案日期自")
    filed_to = date_filter("filed_on", "lte", "备案日期至")
    sort = SortFilter(lists.consortium_columns())

    date_ranges = (("filed_from", "filed_to"),)

    @property
    def form(self):
        """The form, its 产业领域 and 产业集群 options from one read of the industry fields (in their order; each
        cluster once), made only when the form is drawn or a value chosen is checked against them."""
        if not hasattr(self, "_form"):
            form = super().form
            fields = functools.cache(_INDUSTRY_FIELDS)
            form.fields["industry_field"].choices = CallableChoiceIterator(lambda: [(str(pk), name) for pk, name, _ in fields()])
            form.fields["cluster"].choices = CallableChoiceIterator(
                lambda: [(cluster, cluster) for cluster in dict.fromkeys(cluster for *_, cluster in fields() if cluster)])
        return self._form


class MemberFilter(ScopedFilter):
    q = SearchFilter(("unit_name", "unit__credit_code", "consortium__name"), label="单位名称、统一社会信用代码或联合体名称")
    consortium_status = django_filters.ChoiceFilter(
        field_name="consortium__status", choices=VISIBLE_STATUSES, label="联合体状态", empty_label="全部状态",
        error_messages=CHOICE_ERRORS,
    )
    role = django_filters.ChoiceFilter(choices=MemberRole.choices, label="角色", empty_label="牵头及成员单位", error_messages=CHOICE_ERRORS)
    unit_kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="单位类型", empty_label="全部类型", error_messages=CHOICE_ERRORS)
    industry_field = field_filter("consortium__industry_field")
    district = district_filter("consortium__lead_unit__bureau", label="牵头单位所在辖区")
    member_district = district_filter("unit__bureau", label="成员单位所在辖区")
    sort = SortFilter(lists.member_columns())


class UnitFilter(ScopedFilter):
    q = SearchFilter(("name", "credit_code"), label="单位名称或统一社会信用代码")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="单位类型", empty_label="全部类型", error_messages=CHOICE_ERRORS)
    district = district_filter("bureau")
    registration_status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in (RegistrationStatus.UNREGISTERED, RegistrationStatus.APPROVED)],
        label="注册状态", empty_label="全部", error_messages=CHOICE_ERRORS,
    )
    sort = SortFilter(lists.UNIT_COLUMNS)


class RegistrationFilter(ScopedFilter):
    q = SearchFilter(("name", "credit_code"), label="单位名称或统一社会信用代码")
    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in (RegistrationStatus.PENDING, RegistrationStatus.APPROVED, RegistrationStatus.REJECTED)],
        label="审核状态", empty_label="全部", error_messages=CHOICE_ERRORS,
    )
    district = district_filter("bureau")
    submitted_from = date_filter("created_at", "date__gte", "提交日期自")
    submitted_to = date_filter("created_at", "date__lte", "提交日期至")
    sort = SortFilter(lists.REGISTRATION_COLUMNS)

    date_ranges = (("submitted_from", "submitted_to"),)


class AppraisalFilter(ListFilter):
    q = SearchFilter(("consortium__name", "consortium__lead_unit__name", "round__title"), label="联合体、牵头单位或批次名称")
    state = django_filters.ChoiceFilter(
        choices=[("running", "论证中"), ("decided", "已作出结论")], method="by_state", label="论证状态", empty_label="全部",
        error_messages=CHOICE_ERRORS,
    )
    decision = django_filters.ChoiceFilter(
        choices=list(lists.DECISION_LABELS.items()), label="结论", empty_label="全部结论", error_messages=CHOICE_ERRORS,
    )
    industry_field = field_filter("consortium__industry_field")
    sort = SortFilter(lists.APPRAISAL_COLUMNS)

    def by_state(self, queryset, name, value):
        return queryset.filter(decided_at__isnull=(value == "running"))


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class EvaluationFilter(ScopedFilter):
    q = SearchFilter(("consortium__name", "consortium__lead_unit__name", "consortium__lead_unit__credit_code"),
                     label="联合体、牵头单位或统一社会信用代码")
    year = YearFilter(label="评价年度", min_value=2000, max_value=2100,
                      error_messages={"invalid": "请填写年份，如 2026。", "min_value": "请填写 2000 至 2100 之间的年份。",
                                      "max_value": "请填写 2000 至 2100 之间的年份。"})
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label="评价结果", empty_label="全部", error_messages=CHOICE_ERRORS)
    district = district_filter("consortium__lead_unit__bureau")
    sort = SortFilter(lists.EVALUATION_COLUMNS)


class SupportProjectFilter(ScopedFilter):
    q = SearchFilter(("name", "consortium__name"), label="项目或联合体名称")
    level = django_filters.ChoiceFilter(choices=ProjectLevel.choices, label="级别", empty_label="全部", error_messages=CHOICE_ERRORS)
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices, label="类别", empty_label="全部", error_messages=CHOICE_ERRORS)
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label="状态", empty_label="全部", error_messages=CHOICE_ERRORS)
    district = district_filter("consortium__lead_unit__bureau")
    starts_from = date_filter("starts_on", "gte", "实施期起自")
    starts_to = date_filter("starts_on", "lte", "实施期起至")
    sort = SortFilter(lists.SUPPORT_PROJECT_COLUMNS)

    date_ranges = (("starts_from", "starts_to"),)


def year_filter(label, **kwargs):
    return YearFilter(label=label, **kwargs, min_value=2000, max_value=2100, error_messages={
        "invalid": "请填写年份，如 2026。", "min_value": "请填写 2000 至 2100 之间的年份。", "max_value": "请填写 2000 至 2100 之间的年份。"})


class SupportRecordFilter(ScopedFilter):
    q = SearchFilter(("consortium__name", "granting_body", "unit__name", "project__name"), label="联合体、支持部门、单位或项目")
    year = year_filter("年度")
    kind = django_filters.ChoiceFilter(choices=SupportKind.choices, label="支持类别", empty_label="全部", error_messages=CHOICE_ERRORS)
    level = django_filters.ChoiceFilter(choices=ProjectLevel.choices, label="级别", empty_label="全部", error_messages=CHOICE_ERRORS)
    district = district_filter("consortium__lead_unit__bureau")
    sort = SortFilter(lists.SUPPORT_RECORD_COLUMNS)


class SupportTotalFilter(ScopedFilter):
    """Each consortium's support, in all or in one year: the year changes what is added up, not only which rows."""

    q = SearchFilter(("name", "lead_unit__name", "record_number"), label="联合体、牵头单位或备案编号")
    year = year_filter("年度（空白为历年合计）", method="filter_year")
    district = district_filter("lead_unit__bureau")
    sort = SortFilter(lists.SUPPORT_TOTAL_COLUMNS)

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self._user = getattr(request, "user", None)

    def filter_year(self, queryset, name, value):
        return queryset  # applied to the sums in filter_queryset

    def filter_queryset(self, queryset):
        year = self.form.cleaned_data.get("year")
        if year and self._user is not None:
            queryset = lists.support_total_rows(self._user, year)
        return super().filter_queryset(queryset)


class YearForm(forms.Form):
    """The statistics page's 评价年度: last year unless another valid one is asked for. A year's reports are due on its
    12-31 and graded the next year, so last year is the one whose grades and overdue reports there are to count."""

    FIRST_YEAR = 2023  # the work plan 镇科机〔2023〕104号

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = clock.today().year + 1
        self.fields["year"] = forms.IntegerField(
            label="评价年度", required=False, min_value=self.FIRST_YEAR, max_value=last,
            error_messages={"invalid": "请填写年份，如 2026。", "min_value": "最早为 %(limit_value)s 年。",
                            "max_value": "最晚为 %(limit_value)s 年。"},
        )

    def chosen_year(self):
        if self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return max(clock.today().year - 1, self.FIRST_YEAR)
