"""The applications app's forms: a unit's registration and its decision, the start of an application, and the
申请书 part by part (one form, or a table of forms, for each table of the template, in its order) with who
signed its 组建协议.

Over 400 lines on purpose: the parts' forms are the template's tables read top to bottom, and their field
helpers (text, money, count, day) serve every part and the forms after 备案.
"""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from accounts.models import Bureau, User
from accounts.roles import BureauKind, Role
from operations import clock, phrases
from operations.forms import shared_fields
from operations.prepared import fixed_choices

from . import rules, services, uploads
from .choices import (
    APPLICATION_PROJECT_LEVELS,
    CHARTER_SECTIONS,
    RESEARCH_KINDS,
    SEAT_LABELS,
    AttachmentKind,
    Body,
    PlatformLevel,
    Qualification,
    SeatRole,
    SignatoryCapacity,
    UnitKind,
    level_choices,
)
from .models import Consortium, IndustryField, Unit, UnitBan
from .validators import PHONE_MESSAGE, normalize_credit_code, validate_credit_code, validate_phone


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
            queryset=fixed_choices(Bureau.objects.filter(kind=BureauKind.DISTRICT, is_active=True)),
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
    is_legal_person = forms.TypedChoiceField(
        label="本单位是否为独立法人", widget=forms.RadioSelect, coerce=lambda value: value == "True",
        choices=[("True", "是，具有独立法人资格的企业"), ("False", "否，为分公司、分支机构等非独立法人")],
        help_text="创新联合体牵头单位须为在镇江市注册、具有独立法人资格的企业",
        error_messages={"required": "请选择本单位是否为独立法人。", "invalid_choice": "请选择本单位是否为独立法人。"},
    )

    UNIT_FIELDS = ("name", "credit_code", "bureau", "legal_representative", "address", "is_legal_person")

    def clean_is_legal_person(self):
        ok, reason = rules.registered_as_legal_person(self.cleaned_data["is_legal_person"])
        if not ok:
            raise ValidationError(reason)
        return True

    def unit_data(self):
        return {field: self.cleaned_data[field] for field in self.UNIT_FIELDS}


class RegistrationForm(UnitRegistrationFields):
    full_name = forms.CharField(label="联系人", max_length=64, error_messages={"required": "请填写联系人姓名。"})
    phone = forms.CharField(
        label="联系电话", max_length=32, validators=[validate_phone],
        error_messages={"required": "请填写联系电话。", "invalid": PHONE_MESSAGE},
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
        problem = services.credit_code_taken(code)
        if problem:
            raise ValidationError(problem)
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


# ---------------------------------------------------------------------------
# The 申请书, part by part. Every field may be left empty while drafting (暂存);
# what submission needs is checked by applications.readiness, not here.
# ---------------------------------------------------------------------------

def text(label, max_length, rows=None, **kwargs):
    widget = forms.Textarea(attrs={"rows": rows, "maxlength": max_length}) if rows else forms.TextInput(attrs={"maxlength": max_length})
    return forms.CharField(
        label=label, max_length=max_length, required=False, widget=widget,
        error_messages={"max_length": f"“{label}”最多 {max_length} 字（当前 %(show_value)d 字）。"}, **kwargs,
    )


def money(label, max_digits=14):
    """万元 with two decimals; ``max_digits`` as the model field that stores it."""
    return forms.DecimalField(
        label=label, required=False, max_digits=max_digits, decimal_places=2, min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"}),
        error_messages={
            "invalid": "请输入数字金额（万元），如 1280.50。",
            "min_value": "金额不能为负数。",
            "max_decimal_places": "金额最多保留两位小数。",
            "max_digits": "金额过大，请核对单位是否为万元。",
            "max_whole_digits": "金额过大，请核对单位是否为万元。",
        },
    )


def count(label):
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=10_000_000,
        widget=forms.NumberInput(attrs={"min": 0}),
        error_messages={"invalid": "请输入整数。", "min_value": "不能为负数。", "max_value": "数值过大，请核对。"},
    )


def day(label):
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": phrases.DATE_INVALID},
    )


class BasicInfoForm(forms.Form):
    name = text("创新联合体名称", 128)
    industry_field = forms.ModelChoiceField(
        label="产业领域", queryset=fixed_choices(IndustryField.objects.filter(is_active=True)), required=False,
        empty_label="请选择", error_messages={"invalid_choice": "请选择列表中的产业领域。"},
    )
    mailing_address = text("通讯地址", 200)
    legal_representative = text("法定代表人", 64)
    chief_scientist = text("首席科学家姓名", 64)
    chief_scientist_title = text("职务/职称", 64)
    lead_types = forms.MultipleChoiceField(
        label="创新联合体牵头单位类型（可多选）", required=False, choices=Qualification.choices,
        widget=forms.CheckboxSelectMultiple, error_messages={"invalid_choice": "请选择列表中的单位类型。"},
    )
    contact_person = text("联系人", 64)
    contact_phone = forms.CharField(
        label="联系电话", max_length=32, required=False, validators=[validate_phone], error_messages={"invalid": PHONE_MESSAGE},
    )
    research_directions = text("重点研发方向", 2000, rows=4)
    governance = text("联合体决策及运行机制", 3000, rows=5, help_text="决策执行机制、科技成果归属、利益分配等")
    staff_total = count("牵头及成员单位拥有从业人员数（人）")
    staff_professional = count("其中：专业技术人员（人）")
    ip_total = count("牵头及成员单位拥有有效知识产权数量（项）")
    ip_invention_patents = count("其中：发明专利（项）")

    CONSORTIUM_FIELDS = ("name", "industry_field", "chief_scientist", "chief_scientist_title")

    def clean(self):
        cleaned = super().clean()
        pairs = [("staff_total", "staff_professional", "专业技术人员不能多于从业人员总数。"),
                 ("ip_total", "ip_invention_patents", "发明专利不能多于有效知识产权总数。")]
        for whole, part, message in pairs:
            if cleaned.get(whole) is not None and cleaned.get(part) is not None and cleaned[part] > cleaned[whole]:
                self.add_error(part, message)
        return cleaned


@shared_fields
class LeadRowForm(forms.Form):
    task_division = text("任务分工", 200)
    duties = text("工作职责", 500)
    sales_revenue = money("近一年销售收入（万元）")
    rd_spend = money("近一年研发投入（万元）")
    patent_count = count("有效专利（项）")
    invention_patent_count = count("其中：有效发明专利（项）")

    def clean(self):
        cleaned = super().clean()
        patents, inventions = cleaned.get("patent_count"), cleaned.get("invention_patent_count")
        if patents is not None and inventions is not None and inventions > patents:
            self.add_error("invention_patent_count", "有效发明专利不能多于有效专利总数。")
        return cleaned


@shared_fields
class MemberRowForm(LeadRowForm):
    membership = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit_name = forms.CharField(
        label="单位名称", max_length=128, widget=forms.TextInput(attrs={"maxlength": 128}),
        error_messages={"required": "请填写单位名称。", "max_length": "单位名称最多 128 字。"},
    )
    credit_code = CreditCodeField(help_text="")
    unit_kind = forms.ChoiceField(label="单位类型", choices=UnitKind.choices, initial=UnitKind.ENTERPRISE)
    qualifications = forms.MultipleChoiceField(
        label="单位资质（可多选，须上传证明文件）", required=False, choices=Qualification.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}), error_messages={"invalid_choice": "请选择列表中的单位资质。"},
    )

    field_order = ["membership", "unit_name", "credit_code", "unit_kind", "task_division", "duties", "sales_revenue", "rd_spend",
                   "patent_count", "invention_patent_count", "qualifications"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unit_kind") and cleaned["unit_kind"] != UnitKind.ENTERPRISE:
            # Sales and R&D are asked of enterprises only (template: 成员单位为企业填写), and so are the qualifications.
            cleaned["sales_revenue"] = cleaned["rd_spend"] = None
            cleaned["qualifications"] = []
        return cleaned


class PortalFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": "表格数据不完整（页面可能未完全加载或已被修改），请刷新页面后重新填写本表格。",
        "too_many_forms": "最多填写 %(num)d 行。",
    }


class BaseMemberFormSet(PortalFormSet):
    """Checks across rows: one unit once, and no banned unit (absolute, seed §六（二）)."""

    def __init__(self, *args, lead_unit=None, **kwargs):
        self.lead_unit = lead_unit
        super().__init__(*args, **kwargs)

    def clean(self):
        # Rows left blank (an added row never filled in) have no cleaned data and are no rows.
        rows = [f for f in self.forms if f.is_valid() and f.cleaned_data and not self._should_delete_form(f)]
        codes = {f.cleaned_data["credit_code"] for f in rows}
        bans = {ban.unit.credit_code: ban for ban in UnitBan.objects.active().filter(unit__credit_code__in=codes).select_related("unit")}
        seen = {self.lead_unit.credit_code: "牵头单位"} if self.lead_unit else {}
        for index, form in enumerate(self.forms, start=2):
            if form not in rows:
                continue
            code = form.cleaned_data["credit_code"]
            if code in seen:
                form.add_error("credit_code", f"与{seen[code]}为同一单位（统一社会信用代码重复），同一单位只能填写一次。")
                continue
            seen[code] = f"第 {index} 行"
            ok, reason = rules.not_banned(form.cleaned_data["unit_name"], bans.get(code))
            if not ok:
                form.add_error("credit_code", reason)


MemberFormSet = forms.formset_factory(MemberRowForm, formset=BaseMemberFormSet, extra=0, can_delete=True, max_num=50, validate_max=True)


class PlatformForm(forms.Form):
    name = forms.CharField(label="平台名称", max_length=128, error_messages={"required": "请填写平台名称。", "max_length": "平台名称最多 128 字。"})
    industry = text("产业领域", 64)
    level = forms.ChoiceField(label="级别", choices=[("", "请选择")] + PlatformLevel.choices, error_messages={"required": "请选择平台级别。"})
    host_unit = text("依托单位", 128)
    built_on = day("建设时间")

    def clean_built_on(self):
        built_on = self.cleaned_data.get("built_on")
        if built_on and built_on > clock.today():
            raise ValidationError("建设时间不能晚于今天。")
        return built_on


class ProjectForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=200, error_messages={"required": "请填写项目名称。", "max_length": "项目名称最多 200 字。"})
    industry = text("产业领域", 64)
    level = forms.ChoiceField(label="级别", choices=[("", "请选择")] + level_choices(*APPLICATION_PROJECT_LEVELS),
                              error_messages={"required": "请选择项目级别（国家级/省级）。"})
    starts_on = day("实施期起")
    ends_on = day("实施期止")
    undertaker = text("承担单位", 128)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", "实施期结束日期不能早于开始日期。")
        if cleaned.get("starts_on"):
            ok, reason = rules.project_recent(cleaned.get("name") or "本项目", cleaned["starts_on"], clock.today())
            if not ok:
                self.add_error("starts_on", reason)
        return cleaned


class TargetForm(forms.Form):
    year = forms.IntegerField(
        label="年度", min_value=2020, max_value=2050,
        error_messages={"required": "请填写年度。", "invalid": "请填写四位年份，如 2027。", "min_value": "年度不能早于 2020 年。", "max_value": "年度不能晚于 2050 年。"},
    )
    tasks = forms.CharField(label="建设任务", max_length=1000, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
                            error_messages={"required": "请填写该年度的建设任务。", "max_length": "建设任务最多 1000 字。"})
    research_plan = text("研发项目计划", 500, rows=2)
    team_building = text("团队建设", 500, rows=2)
    rd_investment = money("研发经费投入（万元）")


def table_formset(form):
    return forms.formset_factory(form, formset=PortalFormSet, extra=0, can_delete=True, max_num=100, validate_max=True)


PlatformFormSet = table_formset(PlatformForm)
ProjectFormSet = table_formset(ProjectForm)
TargetFormSet = table_formset(TargetForm)


class PlanForm(forms.Form):
    plan_significance = text("1. 创新联合体建设的意义和必要性", 20000, rows=6)
    plan_foundation = text("2. 建设基础", 20000, rows=6, help_text="人才团队、拥有自主知识产权的核心技术、汇聚的创新平台、已开展的研发项目、研发投入情况，以及目前牵头单位与参与单位合作情况等")
    plan_positioning = text("3. 发展定位及分析", 20000, rows=6)
    plan_organization = text("1. 组织架构", 20000, rows=5)
    plan_mechanism = text("2. 运行机制", 20000, rows=5, help_text="共建共享机制、经费保障机制、协同创新机制、成果与知识产权分配机制等")
    plan_funding = text("3. 经费投入与保障措施", 20000, rows=5, help_text="政策、资金、硬件等方面的保障")


# (三) 单位简介: the outline differs for 高校/科研院所.
INTRO_LABELS = {
    "enterprise": (
        "第一段：企业总体情况（地址、上市情况、企业资质、员工数量、销售收入等）",
        "第二段：企业技术创新情况（研发团队、研发平台、研发投入、承担科技计划、核心技术、高端产品及市场占有率）",
        "第三段：企业科技成果、荣誉情况（知识产权、获得的奖项等）",
    ),
    "research": (
        "第一段：团队人数、学历等总体情况",
        "第二段：团队主要成员简历、研发方向",
        "第三段：团队及主要成员获得的奖项、荣誉",
    ),
}


class IntroForm(forms.Form):
    intro_overview = text("第一段", 3000, rows=4)
    intro_research = text("第二段", 3000, rows=4)
    intro_honors = text("第三段", 3000, rows=4)

    def __init__(self, *args, unit_kind=UnitKind.ENTERPRISE, **kwargs):
        super().__init__(*args, **kwargs)
        labels = INTRO_LABELS["research" if unit_kind in RESEARCH_KINDS else "enterprise"]
        for name, label in zip(["intro_overview", "intro_research", "intro_honors"], labels):
            self.fields[name].label = label


class StatementForm(forms.Form):
    shortfall_statement = forms.CharField(
        label="情况说明", max_length=3000, widget=forms.Textarea(attrs={"rows": 5, "maxlength": 3000}),
        help_text="说明成员单位数量或高校院所未达到原则性要求的原因，以及联合体如何保障协同创新（将随申请书提交并打印）",
        error_messages={"required": "请填写情况说明。", "max_length": "情况说明最多 3000 字。"},
    )


class CharterForm(forms.Form):
    """(四) 组建协议: the eight contents of §四（二）, each under its own heading, then anything else it agrees."""

    charter_text = text("其他约定（可选）", 30000, rows=6,
                        help_text="上述八项以外的条款（总则、成员的权利义务、违约责任、协议的变更与终止等）")
    agreement_scan = forms.FileField(label="各成员单位法定代表人或授权人签署的组建协议扫描件（PDF/JPG/PNG）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (name, heading) in enumerate(CHARTER_SECTIONS, start=1):
            self.fields[name] = text(f"{'一二三四五六七八'[number - 1]}、{heading}", 10000, rows=4)
        self.order_fields([name for name, _ in CHARTER_SECTIONS] + ["charter_text", "agreement_scan"])

    def sections(self):
        return [self[name] for name, _ in CHARTER_SECTIONS]


# ---------------------------------------------------------------------------
# Who signed an agreement, unit by unit: the 组建协议 of the 申请书 here, the 补充协议 of a member change later.
# ---------------------------------------------------------------------------


class SignatoryForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    capacity = forms.ChoiceField(label="签署人身份", required=False, choices=[("", "请选择")] + SignatoryCapacity.choices,
                                 error_messages={"invalid_choice": "请选择法定代表人或授权人。"})
    person_name = text("签署人姓名", 64)
    signed_on = day("签署日期")
    authorization_file = forms.FileField(label="授权书（授权人签署时上传，PDF/JPG/PNG）", required=False)

    def __init__(self, *args, unit_names=None, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_names = unit_names or {}
        self.current = current or {}  # {unit id: the stored signature}, for the 授权书 already uploaded

    @property
    def unit_name(self):
        return self.unit_names.get(self.initial.get("unit"), "")

    @property
    def current_authorization(self):
        stored = self.current.get(self.initial.get("unit"))
        return stored.authorization if stored else None

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if unit not in self.unit_names:
            raise ValidationError("成员名单已变更，请刷新页面后重新填写签署情况。")
        return unit

    def clean_signed_on(self):
        signed_on = self.cleaned_data.get("signed_on")
        if signed_on and signed_on > clock.today():
            raise ValidationError("签署日期不能晚于今天。")
        return signed_on

    def clean_authorization_file(self):
        uploaded = self.cleaned_data.get("authorization_file")
        if not uploaded:
            return None
        return uploaded, uploads.inspect(uploaded)  # refused with its Chinese reason beside the field


class BaseSignatoryFormSet(PortalFormSet):
    """One row per unit concerned, in the order given; rows are neither added nor removed in the page."""

    def __init__(self, *args, units=(), current=None, **kwargs):
        self.units = list(units)  # [(unit id, name as declared)]
        names = dict(self.units)
        current = current or {}
        kwargs.setdefault("initial", [
            {"unit": unit_id, "capacity": getattr(current.get(unit_id), "capacity", ""),
             "person_name": getattr(current.get(unit_id), "person_name", ""),
             "signed_on": getattr(current.get(unit_id), "signed_on", None)}
            for unit_id, _ in self.units
        ])
        kwargs["form_kwargs"] = {"unit_names": names, "current": current}
        super().__init__(*args, **kwargs)

    def rows(self):
        """{unit id: {capacity, person_name, signed_on, upload: (file, inspected) or None}} of a valid formset."""
        return {
            form.cleaned_data["unit"]: {
                "capacity": form.cleaned_data["capacity"], "person_name": form.cleaned_data["person_name"],
                "signed_on": form.cleaned_data["signed_on"], "upload": form.cleaned_data["authorization_file"],
            }
            for form in self.forms if form.cleaned_data
        }


SignatoryFormSet = forms.formset_factory(SignatoryForm, formset=BaseSignatoryFormSet, extra=0, max_num=60, validate_max=True)


# ---------------------------------------------------------------------------
# 组织机构与首席专家 (§四（三）): the 理事会 and 专家指导委员会 as tables, the 秘书处 and the 首席专家 as fields.
# ---------------------------------------------------------------------------


class OrganizationForm(forms.Form):
    secretariat_head = text("秘书长", 64)
    secretariat_unit = text("秘书处依托单位", 128)
    chief_expert_unit = text("工作单位", 128)
    chief_expert_field = text("研究领域", 128)
    chief_expert_education = text("学习经历", 2000, rows=3, help_text="主要学历、学位及毕业院校")
    chief_expert_achievements = text("主要学术成就", 3000, rows=4, help_text="代表性科研成果、获奖、专利、论文等")
    chief_expert_industry_roles = text("产业界任职", 2000, rows=3, help_text="在企业、行业组织、产业技术创新平台中的任职")
    chief_expert_phone = forms.CharField(label="联系电话", max_length=32, required=False, validators=[validate_phone],
                                         error_messages={"invalid": PHONE_MESSAGE})
    chief_expert_email = forms.EmailField(label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确。"})


class SeatForm(forms.Form):
    role = forms.ChoiceField(label="职务", choices=SeatRole.choices, initial=SeatRole.MEMBER,
                             error_messages={"required": "请选择职务。", "invalid_choice": "请选择列表中的职务。"})
    name = forms.CharField(label="姓名", max_length=64, widget=forms.TextInput(attrs={"maxlength": 64}),
                           error_messages={"required": "请填写姓名。", "max_length": "姓名最多 64 字。"})
    unit_name = text("所在单位", 128)
    title = text("职务/职称", 64)

    def __init__(self, *args, body=Body.COUNCIL, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(SEAT_LABELS[body].items())
        self.fields["unit_name"].widget.attrs["list"] = "consortium-units"


class BaseSeatFormSet(PortalFormSet):
    def __init__(self, *args, body=Body.COUNCIL, **kwargs):
        self.body = body
        kwargs["form_kwargs"] = {"body": body}
        super().__init__(*args, **kwargs)

    def clean(self):
        chairs = [f for f in self.forms if f.is_valid() and f.cleaned_data and not self._should_delete_form(f)
                  and f.cleaned_data["role"] == SeatRole.CHAIR]
        if len(chairs) > 1:
            raise ValidationError(f"{Body(self.body).label}只能有 1 名{SEAT_LABELS[self.body][SeatRole.CHAIR]}。")


SeatFormSet = forms.formset_factory(SeatForm, formset=BaseSeatFormSet, extra=0, can_delete=True, max_num=60, validate_max=True)


class AttachmentForm(forms.Form):
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none(), empty_label="请选择",
                                  error_messages={"required": "请选择附件所属单位。", "invalid_choice": "请选择本联合体的单位。"})
    kind = forms.ChoiceField(label="材料类型", choices=[("", "请选择")] + [
        (k, label) for k, label in AttachmentKind.choices if k not in ("supplementary_agreement", "authorization")
    ], error_messages={"required": "请选择材料类型。"})
    title = text("材料名称", 128, help_text="如“营业执照”“ZL2021XXXXXXXX.X 发明专利证书”")
    file = forms.FileField(label="文件（PDF/JPG/PNG）", error_messages={"required": "请选择要上传的文件。"})

    def __init__(self, *args, memberships=(), **kwargs):
        """memberships: the consortium's current ones; a unit is named as this consortium declared it."""
        super().__init__(*args, **kwargs)
        declared = {m.unit_id: m.unit_name for m in memberships}
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=declared)
        self.fields["unit"].label_from_instance = lambda unit: declared.get(unit.pk, unit.name)
