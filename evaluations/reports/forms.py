"""The annual report's editor. While the lead writes it every field may be empty (暂存); what submitting needs is
checked by services.submit_report."""

from django import forms

from applications.forms import PortalFormSet, count, money, text

from ..choices import FIGURES, REPORT_TEXTS, TargetState
from ..models import AnnualReport

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
