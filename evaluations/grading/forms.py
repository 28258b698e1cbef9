"""The grade of a year, the experts who score it, the criteria they score on."""

from django import forms

from reviews.forms import BaseCriteriaFormSet, ExpertsField, OpinionForm

from ..choices import EvaluationBasis, Grade
from ..models import EvaluationCriterion


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


EvaluationCriteriaFormSet = forms.modelformset_factory(
    EvaluationCriterion, formset=BaseCriteriaFormSet, fields=["name", "description", "weight", "sort_order", "is_active"],
    extra=1, can_delete=False,
)
