"""A 市级以上 project the consortium carries."""

from django import forms

from applications.forms import money

from .. import rules
from ..choices import PROJECT_KIND_LEVELS, ProjectKind, ProjectLevel, ProjectStatus
from ..forms_common import kind_level_field, required_day, split_kind_level
from ..models import SupportProject


class ProjectForm(forms.Form):
    """A 市级以上 project the consortium carries; the caps of §五 are held here, in the service and in the database."""

    name = forms.CharField(label="项目名称", max_length=200, widget=forms.TextInput(attrs={"maxlength": 200}),
                           error_messages={"required": "请填写项目名称。", "max_length": "项目名称最多 200 字。"})
    kind_level = kind_level_field("类别与级别", PROJECT_KIND_LEVELS, kind_labels=dict(ProjectKind.choices),
                                  level_labels=dict(ProjectLevel.choices))
    amount = money("支持经费（万元）", max_digits=SupportProject._meta.get_field("amount").max_digits)
    starts_on = required_day("实施期起", "请填写实施期起始日期。")
    ends_on = required_day("实施期止", "请填写实施期结束日期。")
    status = forms.ChoiceField(label="状态", choices=ProjectStatus.choices, initial=ProjectStatus.ONGOING)

    FIELDS = ["name", "amount", "starts_on", "ends_on", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = True
        self.fields["amount"].error_messages["required"] = "请填写支持经费（万元）。"
        self.fields["amount"].help_text = "市科技计划“项目+课题”重点项目最高 200 万元，揭榜挂帅最高 100 万元（《工作方案》五）"
        self.fields["kind_level"].help_text = "重点项目、揭榜挂帅为市级；省级以上科技计划为省级或国家级（《工作方案》五）"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind_level"):
            cleaned["kind"], cleaned["level"] = split_kind_level(cleaned["kind_level"])
        if cleaned.get("kind") and cleaned.get("amount") is not None:
            ok, reason = rules.within_funding_cap(cleaned["kind"], cleaned["amount"])
            if not ok:
                self.add_error("amount", reason)
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", "实施期结束日期不能早于开始日期。")
        return cleaned

    @classmethod
    def initial_for(cls, project):
        return {**{name: getattr(project, name) for name in cls.FIELDS}, "kind_level": f"{project.kind}/{project.level}"}
