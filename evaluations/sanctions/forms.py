"""Revocation, and bans recorded or lifted by hand."""

from django import forms

from applications.choices import UnitKind
from applications.forms import CreditCodeField
from operations import clock
from reviews.forms import OpinionForm

from .. import rules
from ..forms_common import required_day


class RevokeForm(OpinionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinion"].label = "取消资格决定意见"


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
        starts_on = today or clock.today()
        return {"credit_code": code, "starts_on": starts_on, "ends_on": rules.add_years(starts_on, rules.BAN_YEARS)}


class LiftBanForm(forms.Form):
    reason = forms.CharField(label="解除理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
                             error_messages={"required": "解除限制须填写理由。"})
