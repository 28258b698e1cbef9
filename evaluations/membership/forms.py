"""A member change as the lead asks it; the member list of a chosen day."""

from django import forms

from applications.choices import MemberRole
from applications.forms import MemberFormSet, SignatoryFormSet, day, text

from ..forms_common import required_day
from . import services


class MemberChangeForm(forms.Form):
    effective_on = required_day("生效日期", "请填写生效日期（补充协议约定的生效日期）。")
    description = text("变更说明", 3000, rows=4, help_text="增减成员单位的原因，各成员单位的任务分工如何调整")
    removals = forms.ModelMultipleChoiceField(
        label="退出的成员单位", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "请选择本联合体现有的成员单位。", "invalid_pk_value": "请选择本联合体现有的成员单位。"},
    )
    shortfall_statement = text("情况说明", 3000, rows=4,
                               help_text="变更后成员单位少于原则性要求或没有高校院所的，须说明原因（市科技局备案时可见）")
    supplementary_agreement = forms.FileField(label="补充协议（全体成员单位签署的扫描件，PDF/JPG/PNG）",
                                error_messages={"required": "请上传全体成员单位签署的补充协议。"})

    def __init__(self, *args, consortium, **kwargs):
        super().__init__(*args, **kwargs)
        self.consortium = consortium
        self.fields["description"].required = True
        self.fields["description"].error_messages["required"] = "请填写变更说明。"
        self.fields["removals"].queryset = consortium.memberships.current().filter(role=MemberRole.MEMBER).select_related("unit")
        self.fields["removals"].label_from_instance = lambda m: f"{m.unit_name}（{m.unit.credit_code}，{m.get_unit_kind_display()}）"
        self.additions = MemberFormSet(self.data or None, prefix="members", lead_unit=consortium.lead_unit)
        # Who signed the 补充协议 for each member (§六（三）: 经创新联合体全体成员同意), one row per unit.
        self.signatories = SignatoryFormSet(self.data or None, self.files or None, prefix="signatories",
                                            units=[(unit.pk, name) for unit, name in services.signing_units(consortium)])

    def is_valid(self):
        return all([super().is_valid(), self.additions.is_valid(), self.signatories.is_valid()])  # a list: all show their errors

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


class MembersOnForm(forms.Form):
    on = day("查看日期")
