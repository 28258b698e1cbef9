"""The choice of a 科技联络员."""

from django import forms

from accounts.models import User
from accounts.roles import Role
from applications.forms import day
from operations.prepared import fixed_choices

from ..forms_common import required_day
from ..models import OpinionOn, WorkKind


class LiaisonForm(forms.Form):
    officer = forms.ModelChoiceField(
        label="科技联络员", queryset=fixed_choices(User.objects.filter(role=Role.MUNICIPAL_STAFF, is_active=True).order_by("full_name", "pk")),
        empty_label="请选择市科技局业务处室人员",
        error_messages={"required": "请选择科技联络员。", "invalid_choice": "请选择市科技局业务处室在职人员。"},
    )
    note = forms.CharField(label="备注", max_length=500, required=False, widget=forms.TextInput(attrs={"maxlength": 500}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].label_from_instance = lambda user: f"{user.display_name}{f'（{user.phone}）' if user.phone else ''}"


class WorkRecordForm(forms.Form):
    """A visit, meeting or coordination item (§六（一））."""

    kind = forms.ChoiceField(label="类型", choices=WorkKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "请选择类型。", "invalid_choice": "请选择走访、会议或协调事项。"})
    happened_on = required_day("日期", "请填写日期。")
    participants = forms.CharField(label="参加人员", max_length=500, help_text="单位和姓名，如：市科技局 张三；牵头单位 李四",
                                   error_messages={"required": "请填写参加人员。"})
    agreed = forms.CharField(label="商定事项", max_length=4000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
                             error_messages={"required": "请填写商定事项。"})


class FollowUpForm(forms.Form):
    task = forms.CharField(label="跟进事项", max_length=300, required=False)
    due_on = day("完成期限")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("task", "").strip() and not cleaned.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "请填写该跟进事项的完成期限。")
        if cleaned.get("due_on") and not cleaned.get("task", "").strip():
            self.add_error("task", "请填写跟进事项，或清空完成期限。")
        return cleaned


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=3, max_num=10, validate_max=True)


def follow_ups_of(formset):
    return [{"task": form.cleaned_data["task"].strip(), "due_on": form.cleaned_data["due_on"]}
            for form in formset if form.cleaned_data.get("task", "").strip()]


class LiaisonOpinionForm(forms.Form):
    about = forms.ChoiceField(choices=OpinionOn.choices, error_messages={"required": "事项无效。", "invalid_choice": "事项无效。"})
    subject_id = forms.IntegerField(min_value=1, max_value=2**31 - 1, error_messages={
        key: "事项编号无效。" for key in ("required", "invalid", "min_value", "max_value")})
    text = forms.CharField(label="科技联络员意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
                           error_messages={"required": "请填写意见。"})
