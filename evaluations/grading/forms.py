"""The grade of a year, its 复核, the experts who score it, the criteria they score on, the 推荐 decision."""

from django import forms

from operations import clock, phrases
from reviews.forms import BaseCriteriaFormSet, ExpertsField, OpinionForm

from ..choices import EvaluationBasis, Grade, RecommendationOutcome
from ..forms_common import required_day
from ..models import EvaluationCriterion

GRADE_ERRORS = {"required": "请选择评价结果。", "invalid_choice": "请选择评价结果。"}


class GradeForm(OpinionForm):
    """§六（二）: the grade rests on the experts' scores or on a professional third party's report — nothing else."""

    grade = forms.ChoiceField(label="评价结果", choices=Grade.choices, widget=forms.RadioSelect, error_messages=GRADE_ERRORS)
    basis = forms.ChoiceField(label="评价依据", widget=forms.RadioSelect,
                              choices=[(EvaluationBasis.EXPERTS, EvaluationBasis.EXPERTS.label),
                                       (EvaluationBasis.THIRD_PARTY, EvaluationBasis.THIRD_PARTY.label)],
                              error_messages={"required": "请选择评价依据。", "invalid_choice": "请选择评价依据（专家评分或第三方评价报告）。"})
    third_party_institution = forms.CharField(label="第三方评价机构名称", max_length=200, required=False,
                                              widget=forms.TextInput(attrs={"maxlength": 200}),
                                              error_messages={"max_length": "机构名称最多 200 字。"})
    third_party_report_date = forms.DateField(label="评价报告日期（选填）", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                              error_messages={"invalid": phrases.DATE_INVALID})
    third_party_report_number = forms.CharField(label="评价报告编号（选填）", max_length=64, required=False,
                                                widget=forms.TextInput(attrs={"maxlength": 64}),
                                                error_messages={"max_length": "报告编号最多 64 字。"})
    third_party_file = forms.FileField(label="第三方评价报告（PDF/JPG/PNG）", required=False,
                                       help_text="以第三方评价报告为依据的，须上传委托的专业第三方出具的评价报告")
    field_order = ["grade", "basis", "third_party_institution", "third_party_report_date", "third_party_report_number",
                   "third_party_file", "opinion"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinion"].label = "评价意见"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("basis") == EvaluationBasis.THIRD_PARTY:
            if not cleaned.get("third_party_file"):
                self.add_error("third_party_file", "以第三方评价报告为依据的，须上传第三方评价报告。")
            if not (cleaned.get("third_party_institution") or "").strip():
                self.add_error("third_party_institution", "请填写出具评价报告的第三方机构名称。")
            report_date = cleaned.get("third_party_report_date")
            if report_date and report_date > clock.today():
                self.add_error("third_party_report_date", "评价报告日期不能晚于今天。")
        return cleaned


class CorrectionForm(OpinionForm):
    """评价结果复核: the corrected grade and the reason, which is printed on the corrected notice."""

    grade = forms.ChoiceField(label="复核后的评价结果", choices=Grade.choices, widget=forms.RadioSelect, error_messages=GRADE_ERRORS)
    field_order = ["grade", "opinion"]

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.fields["opinion"].label = "复核理由"
        self.fields["opinion"].help_text = "说明原评价结果有误的事实和依据；将印在更正后的评价结果通知上"

    def clean_grade(self):
        grade = self.cleaned_data["grade"]
        if grade == self.current:
            raise forms.ValidationError(f"复核后的评价结果与原结果（{Grade(grade).label}）相同，无需更正。")
        return grade


class PanelForm(forms.Form):
    experts = ExpertsField()


class RecommendationForm(forms.Form):
    eligible = forms.ChoiceField(label="推荐决定", widget=forms.RadioSelect,
                                 choices=[("yes", "符合条件，推荐申报省级以上创新联合体"), ("no", "暂不符合条件，不予推荐")],
                                 error_messages={"required": "请选择推荐决定。", "invalid_choice": "请选择推荐决定。"})
    note = forms.CharField(label="推荐意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
                           help_text="是否符合推荐条件及理由",
                           error_messages={"required": "请填写推荐意见（是否符合条件及理由）。", "max_length": "推荐意见最多 2000 字。"})
    decided_on = required_day("决定日期", "请填写决定日期。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = clock.today()

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > clock.today():
            raise forms.ValidationError("决定日期不能晚于今天。")
        return day


class RecommendationOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="推荐结果", widget=forms.RadioSelect,
                                choices=[(RecommendationOutcome.ACCEPTED, RecommendationOutcome.ACCEPTED.label),
                                         (RecommendationOutcome.DECLINED, RecommendationOutcome.DECLINED.label)],
                                error_messages={"required": "请选择推荐结果。", "invalid_choice": "请选择推荐结果。"})
    outcome_on = required_day("结果日期", "请填写结果日期。")
    note = forms.CharField(label="说明（选填）", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}), error_messages={"max_length": "说明最多 2000 字。"})

    def clean_outcome_on(self):
        day = self.cleaned_data["outcome_on"]
        if day > clock.today():
            raise forms.ValidationError("结果日期不能晚于今天。")
        return day


EvaluationCriteriaFormSet = forms.modelformset_factory(
    EvaluationCriterion, formset=BaseCriteriaFormSet, fields=["name", "description", "weight", "sort_order", "is_active"],
    extra=1, can_delete=False,
)
