"""Form pieces the after-filing forms share."""

from django import forms

from accounts.roles import Role
from applications.choices import Status
from applications.forms import day
from reviews.forms import OPINION_REQUIRED, step_choices


def required_day(label, message):
    field = day(label)
    field.required = True
    field.error_messages["required"] = message
    return field


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
