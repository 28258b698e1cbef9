"""The workbook upload of the import page."""

from django import forms
from django.conf import settings


class WorkbookForm(forms.Form):
    workbook = forms.FileField(label="导入文件（.xlsx）", error_messages={
        "required": "请选择要导入的 Excel 文件。", "empty": "上传的文件是空的。", "invalid": "请选择要导入的 Excel 文件。"})

    def clean_workbook(self):
        uploaded = self.cleaned_data["workbook"]
        if not uploaded.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 工作簿（可先下载模板填写）。")
        if uploaded.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(f"文件超过 {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB。")
        head = uploaded.read(4)
        uploaded.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError("该文件不是 .xlsx 格式的 Excel 工作簿（可先下载模板填写）。")
        return uploaded
