from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from accounts.models import Bureau, User
from accounts.roles import BureauKind, Role

from .models import Consortium, IndustryField, Unit
from .validators import normalize_credit_code, validate_credit_code


class CreditCodeField(forms.CharField):
    """Accepts full-width characters, spaces and lower case; stores the normalised code."""

    default_error_messages = {"required": "请填写统一社会信用代码。"}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "统一社会信用代码")
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", "18 位，见营业执照或法人证书")
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_credit_code(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_credit_code(value)


class DistrictChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Bureau.objects.filter(kind=BureauKind.DISTRICT, is_active=True),
            empty_label="请选择所在辖市区",
            error_messages={"required": "请选择单位注册地所在辖市区。", "invalid_choice": "请选择列表中的辖市区。"},
            **kwargs,
        )

    def label_from_instance(self, bureau):
        return f"{bureau.district}（{bureau.name}）"


class UnitRegistrationFields(forms.Form):
    name = forms.CharField(label="单位名称", max_length=128, error_messages={"required": "请填写单位名称。"})
    credit_code = CreditCodeField()
    bureau = DistrictChoiceField(label="注册地（辖市区）", help_text="由该辖市区科技部门审核注册")
    legal_representative = forms.CharField(label="法定代表人", max_length=64, error_messages={"required": "请填写法定代表人。"})
    address = forms.CharField(label="通讯地址", max_length=200, error_messages={"required": "请填写通讯地址。"})

    UNIT_FIELDS = ("name", "credit_code", "bureau", "legal_representative", "address")

    def unit_data(self):
        return {field: self.cleaned_data[field] for field in self.UNIT_FIELDS}


class RegistrationForm(UnitRegistrationFields):
    full_name = forms.CharField(label="联系人", max_length=64, error_messages={"required": "请填写联系人姓名。"})
    phone = forms.RegexField(
        label="联系电话", regex=r"^(1\d{10}|0\d{2,3}-?\d{7,8})$", max_length=32,
        error_messages={"required": "请填写联系电话。", "invalid": "请填写 11 位手机号或带区号的固定电话，如 0511-85000000。"},
    )
    email = forms.EmailField(label="电子邮箱", error_messages={"required": "请填写电子邮箱，用于找回密码。", "invalid": "电子邮箱格式不正确。"})
    username = forms.RegexField(
        label="登录用户名", regex=r"^[A-Za-z0-9_.@-]{4,32}$", max_length=32,
        help_text="4–32 位字母、数字或 _ . @ -",
        error_messages={"required": "请设置登录用户名。", "invalid": "用户名只能使用 4–32 位字母、数字或 _ . @ -。"},
    )
    password1 = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(render_value=False),
        help_text="至少 8 位，包含大写字母、小写字母、数字、特殊字符中的至少三类，且不能与用户名等信息相近",
        error_messages={"required": "请设置密码。"},
    )
    password2 = forms.CharField(
        label="确认密码", strip=False, widget=forms.PasswordInput, error_messages={"required": "请再次输入密码。"}
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("该用户名已被使用，请换一个。")
        return username

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"]
        unit = Unit.objects.filter(credit_code=code).first()
        if unit and unit.registration_status != "unregistered":
            raise ValidationError("该统一社会信用代码已注册，请直接登录或联系本单位管理员。")
        return code

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "两次输入的密码不一致。")
        elif password1:
            probe = User(
                username=cleaned.get("username", ""), full_name=cleaned.get("full_name", ""),
                email=cleaned.get("email", ""), phone=cleaned.get("phone", ""), role=Role.APPLICANT,
            )
            try:
                password_validation.validate_password(password1, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def user_data(self):
        return {field: self.cleaned_data[field] for field in ("username", "full_name", "phone", "email")}


class RegistrationDecisionForm(forms.Form):
    reason = forms.CharField(
        label="审核意见", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="不予通过时必填，申报单位可见",
    )


class StartApplicationForm(forms.ModelForm):
    class Meta:
        model = Consortium
        fields = ["name", "industry_field"]
        labels = {"name": "拟命名的创新联合体名称"}
        help_texts = {"name": "如“镇江智能电气创新联合体”；备案时由市科技局统一命名为“XXX（领域）创新联合体”"}
        error_messages = {
            "name": {"required": "请填写创新联合体名称。", "max_length": "名称不能超过 128 个字。"},
            "industry_field": {"required": "请选择产业领域。"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry_field"].queryset = IndustryField.objects.filter(is_active=True)
        self.fields["industry_field"].empty_label = "请选择产业领域（四群八链）"
