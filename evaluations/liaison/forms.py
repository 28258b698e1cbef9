"""The choice of a 科技联络员."""

from django import forms

from accounts.models import User
from accounts.roles import Role


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
