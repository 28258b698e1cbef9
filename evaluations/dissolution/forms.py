"""The lead's request to dissolve."""

from django import forms


class DissolutionRequestForm(forms.Form):
    reason = forms.CharField(label="解散理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
                             help_text="说明解散的原因；须经全体成员单位同意",
                             error_messages={"required": "请填写解散理由。", "max_length": "解散理由最多 2000 字。"})
