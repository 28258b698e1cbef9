"""Forms after 备案. While the lead writes a report every field may be empty (暂存); what submitting needs is
checked by services.submit_report. Caps, dates and the member rules are checked here and again below."""

from django import forms
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from applications.choices import MemberRole, Status, UnitKind
from applications.forms import CreditCodeField, MemberFormSet, PortalFormSet, count, day, money, text
from reviews.forms import OPINION_REQUIRED, BaseCriteriaFormSet, ExpertsField, OpinionForm, step_choices

from . import rules, services
from .choices import EvaluationBasis, Grade, ProjectKind, ProjectLevel, ProjectStatus, TargetState
from .models import FIGURES, REPORT_TEXTS, AnnualReport, EvaluationCriterion, SupportProject

MONEY_FIGURES = {"rd_spend_lead", "rd_spend_members", "transfer_value"}
TEXT_LIMIT = 20000


def _label(name):
    return str(AnnualReport._meta.get_field(name).verbose_name)


class ReportForm(forms.Form):
    """The figures and texts of an annual report; each figure is shown beside last year's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIGURES:
            self.fields[name] = money(_label(name)) if name in MONEY_FIGURES else count(_label(name))
        for name in REPORT_TEXTS:
            self.fields[name] = text(_label(name), TEXT_LIMIT, rows=8)
        self.fields["summary"].help_text = "围绕联合攻关、平台建设、人才引育、成果转化、产学研活动等方面，总结本年度运行情况"
        self.fields["problems"].help_text = "联合体运行中存在的问题，及对市科技局的建议"
        self.fields["next_year_plan"].help_text = "下一年度的目标任务、研发项目计划、团队建设和研发经费投入计划"

    def clean(self):
        cleaned = super().clean()
        for whole, part in (("patents_applied", "invention_patents_applied"), ("patents_granted", "invention_patents_granted")):
            if cleaned.get(whole) is not None and cleaned.get(part) is not None and cleaned[part] > cleaned[whole]:
                self.add_error(part, f"发明专利不能多于{_label(whole).split('（')[0]}总数。")
        return cleaned


class TargetProgressForm(forms.Form):
    state = forms.ChoiceField(label="完成情况", choices=[("", "请选择")] + TargetState.choices, required=False,
                              error_messages={"invalid_choice": "请选择完成、部分完成或未完成。"})
    note = text("说明", 1000, rows=2)


TargetProgressFormSet = forms.formset_factory(TargetProgressForm, formset=PortalFormSet, extra=0, max_num=50, validate_max=True)


class GradeForm(OpinionForm):
    grade = forms.ChoiceField(label="评价结果", choices=Grade.choices, widget=forms.RadioSelect,
                              error_messages={"required": "请选择评价结果。", "invalid_choice": "请选择评价结果。"})
    basis = forms.ChoiceField(label="评价依据", choices=EvaluationBasis.choices, widget=forms.RadioSelect,
                              error_messages={"required": "请选择评价依据。", "invalid_choice": "请选择评价依据。"})
    third_party_file = forms.FileField(label="第三方评价报告（PDF/JPG/PNG）", required=False,
                                       help_text="以第三方评价报告为依据的，须上传委托的专业第三方出具的评价报告")
    field_order = ["grade", "basis", "third_party_file", "opinion"]

    def __init__(self, *args, without_report=False, **kwargs):
        """``without_report``: the year's report is overdue and never came, so the grade is 不合格 on that ground."""
        super().__init__(*args, **kwargs)
        self.fields["opinion"].label = "评价意见"
        if without_report:
            self.fields["grade"].choices = [(Grade.UNQUALIFIED, Grade.UNQUALIFIED.label)]
            self.fields["basis"].choices = [(EvaluationBasis.NO_REPORT, EvaluationBasis.NO_REPORT.label)]
            self.fields["grade"].initial, self.fields["basis"].initial = Grade.UNQUALIFIED, EvaluationBasis.NO_REPORT
            del self.fields["third_party_file"]
        else:
            self.fields["basis"].choices = [(value, label) for value, label in EvaluationBasis.choices
                                            if value != EvaluationBasis.NO_REPORT]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("basis") == EvaluationBasis.THIRD_PARTY and not cleaned.get("third_party_file"):
            self.add_error("third_party_file", "以第三方评价报告为依据的，须上传第三方评价报告。")
        return cleaned


class PanelForm(forms.Form):
    experts = ExpertsField()


class RevokeForm(OpinionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinion"].label = "取消资格决定意见"


def required_day(label, message):
    field = day(label)
    field.required = True
    field.error_messages["required"] = message
    return field


class ProjectForm(forms.Form):
    """A 市级以上 project the consortium carries; the caps of §五 are held here, in the service and in the database."""

    name = forms.CharField(label="项目名称", max_length=200, widget=forms.TextInput(attrs={"maxlength": 200}),
                           error_messages={"required": "请填写项目名称。", "max_length": "项目名称最多 200 字。"})
    level = forms.ChoiceField(label="级别", choices=[("", "请选择")] + ProjectLevel.choices, error_messages={"required": "请选择项目级别。"})
    kind = forms.ChoiceField(label="类别", choices=[("", "请选择")] + ProjectKind.choices, error_messages={"required": "请选择项目类别。"})
    amount = money("支持经费（万元）", max_digits=SupportProject._meta.get_field("amount").max_digits)
    starts_on = required_day("实施期起", "请填写实施期起始日期。")
    ends_on = required_day("实施期止", "请填写实施期结束日期。")
    status = forms.ChoiceField(label="状态", choices=ProjectStatus.choices, initial=ProjectStatus.ONGOING)

    FIELDS = ["name", "level", "kind", "amount", "starts_on", "ends_on", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = True
        self.fields["amount"].error_messages["required"] = "请填写支持经费（万元）。"
        self.fields["amount"].help_text = "市科技计划“项目+课题”重点项目最高 200 万元，揭榜挂帅最高 100 万元（《工作方案》五）"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and cleaned.get("amount") is not None:
            ok, reason = rules.within_funding_cap(cleaned["kind"], cleaned["amount"])
            if not ok:
                self.add_error("amount", reason)
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", "实施期结束日期不能早于开始日期。")
        return cleaned

    @classmethod
    def initial_for(cls, project):
        return {name: getattr(project, name) for name in cls.FIELDS}


class MemberChangeForm(forms.Form):
    effective_on = required_day("生效日期", "请填写生效日期（补充协议约定的生效日期）。")
    description = text("变更说明", 3000, rows=4, help_text="增减成员单位的原因，各成员单位的任务分工如何调整")
    removals = forms.ModelMultipleChoiceField(
        label="退出的成员单位", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "请选择本联合体现有的成员单位。", "invalid_pk_value": "请选择本联合体现有的成员单位。"},
    )
    shortfall_statement = text("情况说明", 3000, rows=4,
                               help_text="变更后成员单位少于原则性要求或没有高校院所的，须说明原因（市科技局备案时可见）")
    agreement = forms.FileField(label="补充协议（全体成员单位签署的扫描件，PDF/JPG/PNG）",
                                error_messages={"required": "请上传全体成员单位签署的补充协议。"})
    all_agreed = forms.BooleanField(label="全体成员单位已同意本次变更，并已签署补充协议",
                                    error_messages={"required": "须确认全体成员单位已同意本次变更并签署补充协议。"})

    def __init__(self, *args, consortium, **kwargs):
        super().__init__(*args, **kwargs)
        self.consortium = consortium
        self.fields["description"].required = True
        self.fields["description"].error_messages["required"] = "请填写变更说明。"
        self.fields["removals"].queryset = consortium.memberships.current().filter(role=MemberRole.MEMBER).select_related("unit")
        self.fields["removals"].label_from_instance = lambda m: f"{m.unit_name}（{m.unit.credit_code}，{m.get_unit_kind_display()}）"
        self.additions = MemberFormSet(self.data or None, prefix="members", lead_unit=consortium.lead_unit)

    def is_valid(self):
        return all([super().is_valid(), self.additions.is_valid()])  # a list: both show their errors

    def additions_data(self):
        return [
            {k: v for k, v in form.cleaned_data.items() if k not in ("DELETE", "membership")}
            for form in self.additions.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def check(self, today=None):
        """The member rules over the list after the change; errors go next to their fields. Returns the check."""
        kept = [f for f in self.additions.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        result = services.check_member_change(
            self.consortium, effective_on=self.cleaned_data["effective_on"], removals=list(self.cleaned_data["removals"]),
            additions=self.additions_data(), statement=self.cleaned_data["shortfall_statement"], today=today,
        )
        for where, message in result.errors:
            if isinstance(where, tuple):
                kept[where[1]].add_error("credit_code", message)
            else:
                self.add_error(where, message)
        return result


class DecisionForm(forms.Form):
    """备案 or return a request of the lead; an opinion is required to return it."""

    action = forms.ChoiceField(label="办理结论", widget=forms.RadioSelect,
                               error_messages={"required": "请选择办理结论。", "invalid_choice": "请选择办理结论。"})
    opinion = forms.CharField(label="办理意见", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}), error_messages=OPINION_REQUIRED)

    def __init__(self, *args, actions, opinion_required, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, label) for a, label in step_choices(Status.FILED, Role.MUNICIPAL_STAFF) if a in actions]
        self.opinion_required = opinion_required

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in self.opinion_required and not (cleaned.get("opinion") or "").strip():
            self.add_error("opinion", "请填写意见。")
        return cleaned


class DissolutionRequestForm(forms.Form):
    reason = forms.CharField(label="解散理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
                             help_text="说明解散的原因；须经全体成员单位同意",
                             error_messages={"required": "请填写解散理由。", "max_length": "解散理由最多 2000 字。"})


class LiaisonForm(forms.Form):
    officer = forms.ModelChoiceField(
        label="科技联络员", queryset=User.objects.filter(role=Role.MUNICIPAL_STAFF, is_active=True).order_by("full_name", "pk"),
        empty_label="请选择市科技局业务处室人员",
        error_messages={"required": "请选择科技联络员。", "invalid_choice": "请选择市科技局业务处室在职人员。"},
    )
    note = forms.CharField(label="备注", max_length=500, required=False, widget=forms.TextInput(attrs={"maxlength": 500}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].label_from_instance = lambda user: f"{user.display_name}{f'（{user.phone}）' if user.phone else ''}"


class BanForm(forms.Form):
    credit_code = CreditCodeField()
    unit_name = forms.CharField(label="单位名称", max_length=128, error_messages={"required": "请填写单位名称。"},
                                help_text="该代码已在平台登记的，以登记的单位为准")
    unit_kind = forms.ChoiceField(label="单位类型", choices=UnitKind.choices, initial=UnitKind.ENTERPRISE)
    reason = forms.CharField(label="限制原因", max_length=200, error_messages={"required": "请填写限制原因。"},
                             help_text="将显示为“某单位因（限制原因），某年某月某日前不得牵头或参与创新联合体”")
    starts_on = required_day("起始日期", "请填写起始日期。")
    ends_on = required_day("截止日期", "请填写截止日期（该日起解除限制）。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].help_text = "该日起解除限制；取消资格的限制为 3 年"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on"):
            ok, reason = rules.ban_dates_valid(cleaned["starts_on"], cleaned["ends_on"])
            if not ok:
                self.add_error("ends_on", reason)
        return cleaned

    @staticmethod
    def initial_for(code="", today=None):
        starts_on = today or timezone.localdate()
        return {"credit_code": code, "starts_on": starts_on, "ends_on": rules.add_years(starts_on, rules.BAN_YEARS)}


class LiftBanForm(forms.Form):
    reason = forms.CharField(label="解除理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
                             error_messages={"required": "解除限制须填写理由。"})


class MembersOnForm(forms.Form):
    on = day("查看日期")


EvaluationCriteriaFormSet = forms.modelformset_factory(
    EvaluationCriterion, formset=BaseCriteriaFormSet, fields=["name", "description", "weight", "sort_order", "is_active"],
    extra=1, can_delete=False,
)
