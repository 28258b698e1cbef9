import re

from django.core.exceptions import ValidationError

CLASSES = (
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^a-zA-Z0-9]"), "特殊字符"),
)


class CharacterClassValidator:
    """等保2.0 二级: a password mixes at least three of the four character classes."""

    required = 3

    def validate(self, password, user=None):
        present = sum(1 for pattern, _ in CLASSES if pattern.search(password))
        if present < self.required:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。"


class MinimumLengthValidator:
    """Django's own check, with the Chinese message its translation lacks."""

    def __init__(self, min_length=8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self):
        return f"密码长度不能少于 {self.min_length} 位。"
