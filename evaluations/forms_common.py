"""Form pieces the after-filing forms share."""

from django import forms

from applications.forms import day
from reviews.forms import OPINION_REQUIRED


def required_day(label, message):
    field = day(label)
    field.required = True
    field.error_messages["required"] = message
    return field


class DecisionForm(forms.Form):
    """Settle a request of the lead, by one of the steps its table offers (``steps``); a step that requires an
    opinion gets one."""

    action = forms.ChoiceField(label="办理结论", widget=forms.RadioSelect,
                               error_messages={"required": "请选择办理结论。", "invalid_choice": "请选择办理结论。"})
    opinion = forms.CharField(label="办理意见", max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}), error_messages=OPINION_REQUIRED)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(step.action, step.label) for step in steps]
        self.opinion_required = {step.action for step in steps if step.opinion_required}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in self.opinion_required and not (cleaned.get("opinion") or "").strip():
            self.add_error("opinion", "请填写意见。")
        return cleaned


def kind_level_field(label, allowed, *, kind_labels, level_labels):
    """One select of the (kind, level) pairs ``allowed`` (kind → levels) permits, grouped by kind: the form offers
    no pair the rules refuse. Its value is "kind/level"; ``split_kind_level`` reads it back."""
    choices = [("", "请选择")]
    for kind, levels in allowed.items():
        options = [(f"{kind}/{level}", f"{kind_labels[kind]}（{level_labels[level]}）") for level in levels]
        choices.append((kind_labels[kind], options))
    return forms.ChoiceField(label=label, choices=choices, error_messages={
        "required": "请选择类别与级别。", "invalid_choice": "该类别与级别的组合不符合《工作方案》五的规定，请重新选择。"})


def split_kind_level(value):
    kind, _, level = (value or "").partition("/")
    return kind, level
