from django import forms

from accounts.models import User
from accounts.roles import Role
from applications import workflow
from applications.choices import Status
from applications.models import Consortium
from operations.prepared import fixed_choices

from . import rules
from .models import Criterion


def step_choices(status, role):
    """The actions a role may take from a status, labelled as the workflow table labels them."""
    return [(step.action, step.label) for step in workflow.steps_from(status, role)]

OPINION_REQUIRED = {"required": "请填写意见。", "max_length": "意见最多 2000 字。"}


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
                              error_messages=OPINION_REQUIRED)


class DistrictReviewForm(OpinionForm):
    action = forms.ChoiceField(choices=step_choices(Status.SUBMITTED, Role.DISTRICT_REVIEWER), widget=forms.HiddenInput,
                               error_messages={"required": "请选择初审结论。", "invalid_choice": "请选择初审结论。"})


SELECTED_ERRORS = {"required": "请至少勾选一个申请。", "invalid_choice": "勾选的申请已不在您的范围内，请刷新页面。",
                   "invalid_pk_value": "请求无效，请刷新页面后重试。"}


class SelectedField(forms.ModelMultipleChoiceField):
    """The applications ticked on a paged queue: any the user may see (``queryset``); the use case then
    checks each one's state and reports it, so that a tick on page 2 counts as much as one on page 1."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Consortium.objects.none(), error_messages=SELECTED_ERRORS, **kwargs)


class BatchPassForm(OpinionForm):
    selected = SelectedField()

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = queryset if queryset is not None else Consortium.objects.none()


class ExpertsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=fixed_choices(User.objects.filter(role=Role.EXPERT, is_active=True).order_by("full_name")),
            widget=forms.CheckboxSelectMultiple, label="评审专家",
            error_messages={"required": "请至少选择一名专家。", "invalid_choice": "请选择在册专家。"}, **kwargs,
        )

    def label_from_instance(self, user):
        return f"{user.display_name}（{user.employer or '工作单位未填'}）"


class RoundForm(forms.Form):
    title = forms.CharField(label="论证批次名称", max_length=128, error_messages={"required": "请填写论证批次名称。"})
    selected = SelectedField(label="申请")
    experts = ExpertsField()

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = queryset if queryset is not None else Consortium.objects.none()


class AddExpertForm(forms.Form):
    expert = forms.ModelChoiceField(queryset=fixed_choices(User.objects.filter(role=Role.EXPERT, is_active=True)), label="增加专家",
                                    empty_label="请选择专家", error_messages={"required": "请选择专家。", "invalid_choice": "请选择在册专家。"})


class ScoreForm(forms.Form):
    comment = forms.CharField(label="评审意见", max_length=3000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": 3000}))

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（权重 {criterion.weight}%）", help_text=criterion.description,
                min_value=0, max_value=100, decimal_places=1, max_digits=4,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": 0, "max": 100}),
                error_messages={"required": "请为此项打分。", "invalid": "请输入 0–100 的分数。", "min_value": "分数不能低于 0。",
                                "max_value": "分数不能高于 100。", "max_decimal_places": "分数最多保留一位小数。"},
            )
        self.order_fields([f"c{c.pk}" for c in self.criteria] + ["comment"])

    def values(self):
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(label="回避理由", max_length=300, error_messages={"required": "请说明回避理由。"})


class DecisionForm(OpinionForm):
    action = forms.ChoiceField(choices=step_choices(Status.UNDER_APPRAISAL, Role.MUNICIPAL_STAFF), widget=forms.RadioSelect,
                               label="论证结论", error_messages={"required": "请选择论证结论。", "invalid_choice": "请选择论证结论。"})
    name = forms.CharField(label="备案名称", max_length=128, required=False,
                           help_text="统一命名为“XXX（领域）创新联合体”，领域一般为该联合体的产业领域；予以备案时必填")
    confirm_field = forms.BooleanField(label="确认使用与产业领域不同的领域名称", required=False)

    def __init__(self, *args, industry_field="", **kwargs):
        super().__init__(*args, **kwargs)
        self.industry_field = industry_field

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "file":
            ok, reason = rules.filing_name_valid(cleaned.get("name"), self.industry_field, cleaned.get("confirm_field"))
            if not cleaned.get("name", "").strip():
                self.add_error("name", "予以备案须填写备案名称。")
            elif not ok:
                self.add_error("name", reason)
        return cleaned


class BaseCriteriaFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        total = sum(
            form.cleaned_data.get("weight") or 0
            for form in self.forms
            if form.cleaned_data and form.cleaned_data.get("is_active") and form.cleaned_data.get("name")
        )
        if total != 100:
            raise forms.ValidationError(f"启用评分项的权重合计应为 100%，当前为 {total}%。")


CriteriaFormSet = forms.modelformset_factory(
    Criterion, formset=BaseCriteriaFormSet, fields=["name", "description", "weight", "sort_order", "is_active", "evidence"],
    extra=1, can_delete=False,
    error_messages={},
)


class DraftPrintingForm(forms.Form):
    """Whether the 综合论证意见 of a running 综合论证 prints (as 未定稿) before the decision."""

    printing = forms.ChoiceField(
        label="论证结束前的论证意见", widget=forms.RadioSelect,
        choices=[("draft", "可打印未定稿（加“未定稿”水印，不署名、不加验证码）"), ("none", "论证结束前不打印")],
        error_messages={"required": "请选择论证结束前论证意见是否可以打印。", "invalid_choice": "请选择论证结束前论证意见是否可以打印。"},
    )
