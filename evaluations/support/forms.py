"""A 市级以上 project the consortium carries."""

from django import forms

from applications.forms import money
from applications.models import Unit

from .. import rules
from ..choices import PROJECT_KIND_LEVELS, SUPPORT_KIND_LEVELS, ProjectKind, ProjectLevel, ProjectStatus, SupportKind
from ..forms_common import kind_level_field, required_day, split_kind_level
from ..models import SupportProject, SupportRecord


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


class SupportRecordForm(forms.Form):
    """One record of support (§五). A district bureau is offered the 资助 it gives; the city every kind. Only the
    kind–level pairs the plan allows are offered; the caps are held here, in the service and in the database."""

    kind_level = kind_level_field("支持类别与级别", SUPPORT_KIND_LEVELS, kind_labels=dict(SupportKind.choices),
                                  level_labels=dict(ProjectLevel.choices))
    amount = money("金额（万元）", max_digits=SupportRecord._meta.get_field("amount").max_digits)
    year = forms.IntegerField(label="年度", widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                              error_messages={"required": "请填写支持年度，如 2025。", "invalid": "请填写年份，如 2025。"})
    granting_body = forms.CharField(label="支持部门", max_length=100, widget=forms.TextInput(attrs={"maxlength": 100}),
                                    error_messages={"required": "请填写给予支持的部门。", "max_length": "支持部门最多 100 字。"})
    unit = forms.ModelChoiceField(label="受支持单位", queryset=Unit.objects.none(), required=False, empty_label="创新联合体整体",
                                  error_messages={"invalid_choice": "受支持单位须是该创新联合体的牵头或成员单位。"})
    project = forms.ModelChoiceField(label="关联项目", queryset=SupportProject.objects.none(), required=False, empty_label="无",
                                     error_messages={"invalid_choice": "关联项目须是该创新联合体承担的项目。"})
    note = forms.CharField(label="说明", max_length=200, required=False, widget=forms.TextInput(attrs={"maxlength": 200}),
                           error_messages={"max_length": "说明最多 200 字。"})

    def __init__(self, *args, consortium, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            allowed = {kind: SUPPORT_KIND_LEVELS[kind] for kind in kinds}
            self.fields["kind_level"] = kind_level_field("支持类别与级别", allowed, kind_labels=dict(SupportKind.choices),
                                                         level_labels=dict(ProjectLevel.choices))
        self.fields["kind_level"].help_text = ("市级重点项目（最高 200 万元）、揭榜挂帅（最高 100 万元）为市级；省级以上计划为省级或国家级；"
                                               "创新券及仪器共享补贴为省级或市级；市区资助为区县级（《工作方案》五）")
        self.fields["amount"].required = True
        self.fields["amount"].error_messages["required"] = "请填写金额（万元）。"
        self.fields["unit"].queryset = Unit.objects.filter(memberships__consortium=consortium).distinct().order_by("name")
        self.fields["project"].queryset = consortium.support_projects.order_by("-starts_on", "pk")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind_level"):
            cleaned["kind"], cleaned["level"] = split_kind_level(cleaned["kind_level"])
            ok, reason = rules.within_funding_cap(cleaned["kind"], cleaned.get("amount"))
            if not ok:
                self.add_error("amount", reason)
        return cleaned

    @staticmethod
    def initial_for(record):
        return {"kind_level": f"{record.kind}/{record.level}", "amount": record.amount, "year": record.year,
                "granting_body": record.granting_body, "unit": record.unit_id, "project": record.project_id, "note": record.note}
