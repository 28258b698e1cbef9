"""The 培育库's forms: a candidate (the credit code checked as on registration), and the reason it is no longer followed."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Bureau
from accounts.roles import BureauKind, Role
from applications.forms import CreditCodeField
from applications.models import IndustryField
from applications.validators import PHONE_MESSAGE, validate_phone
from operations.prepared import fixed_choices

from .choices import CandidateStatus
from .models import Candidate


class CandidateForm(forms.Form):
    name = forms.CharField(label="企业名称", max_length=128, error_messages={"required": "请填写企业名称。"})
    credit_code = CreditCodeField()
    bureau = forms.ModelChoiceField(
        label="所在辖市区", queryset=Bureau.objects.none(), empty_label="请选择所在辖市区",
        error_messages={"required": "请选择企业所在辖市区。", "invalid_choice": "请选择列表中的辖市区。"},
    )
    industry_field = forms.ModelChoiceField(
        label="产业领域", queryset=fixed_choices(IndustryField.objects.filter(is_active=True)), empty_label="请选择产业领域（四群八链）",
        error_messages={"required": "请选择产业领域。", "invalid_choice": "请选择列表中的产业领域。"},
    )
    contact_name = forms.CharField(label="联系人", max_length=64, error_messages={"required": "请填写联系人姓名。"})
    contact_phone = forms.CharField(label="联系电话", max_length=32, validators=[validate_phone],
                                    error_messages={"required": "请填写联系电话。", "invalid": PHONE_MESSAGE})
    contact_email = forms.EmailField(label="电子邮箱", help_text="注册邀请发送至此邮箱",
                                     error_messages={"required": "请填写联系人电子邮箱。", "invalid": "电子邮箱格式不正确。"})
    reason = forms.CharField(label="推荐理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
                             help_text="企业的产业地位、创新能力和牵头组建创新联合体的基础，1000 字以内",
                             error_messages={"required": "请填写推荐理由。"})

    def __init__(self, *args, user, candidate=None, **kwargs):
        self.candidate = candidate
        if candidate is not None:
            kwargs.setdefault("initial", {key: getattr(candidate, key) for key in
                                          ("name", "credit_code", "bureau", "industry_field", "contact_name", "contact_phone",
                                           "contact_email", "reason")})
        super().__init__(*args, **kwargs)
        bureaus = Bureau.objects.filter(kind=BureauKind.DISTRICT, is_active=True)
        if user.role == Role.DISTRICT_REVIEWER:
            bureaus = bureaus.filter(pk=user.bureau_id)
            self.fields["bureau"].initial = user.bureau_id
            self.fields["bureau"].empty_label = None
        self.fields["bureau"].queryset = bureaus
        self.fields["industry_field"].label_from_instance = lambda field: field.name

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"]
        other = Candidate.objects.filter(credit_code=code).exclude(pk=getattr(self.candidate, "pk", None)).select_related("bureau").first()
        if other is not None:
            raise ValidationError(f"该统一社会信用代码已在培育库中（{other.bureau.name}，{other.get_status_display()}）。")
        return code


class DropForm(forms.Form):
    reason = forms.CharField(label="不再跟进的原因", max_length=500, error_messages={"required": "请填写不再跟进的原因。"})


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *CandidateStatus.choices])
    q = forms.CharField(label="搜索", required=False, max_length=64)
