"""统一社会信用代码 (GB 32100-2015) and other field validators. Bottom layer."""

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_LENGTH = 18
_VALUES = {char: index for index, char in enumerate(CREDIT_CODE_CHARSET)}
_WEIGHTS = [pow(3, i, 31) for i in range(CREDIT_CODE_LENGTH - 1)]


def normalize_credit_code(value):
    """Full-width to half-width, drop every kind of space, upper case."""
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(value.split()).upper()


def credit_code_check_char(first17):
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, _WEIGHTS))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value):
    code = normalize_credit_code(value)
    if len(code) != CREDIT_CODE_LENGTH:
        raise ValidationError(
            "统一社会信用代码应为 18 位，当前为 %(length)d 位。", code="length", params={"length": len(code)}
        )
    for position, char in enumerate(code, start=1):
        if char not in _VALUES:
            raise ValidationError(
                "统一社会信用代码第 %(position)d 位“%(char)s”不是允许的字符（只可使用数字和除 I、O、Z、S、V 以外的大写字母）。",
                code="charset",
                params={"position": position, "char": char},
            )
    if code[17] != credit_code_check_char(code[:17]):
        # Never propose a character: a typo anywhere makes the 18th look wrong, and "fixing" it passes a wrong code.
        raise ValidationError(
            "统一社会信用代码校验不通过：代码中有字符录入有误。请对照营业执照或登记证书重新复制录入完整的 18 位代码。",
            code="check_char",
        )


def credit_code_problem(value):
    """The message for an invalid code, or "" when it is valid."""
    try:
        validate_credit_code(value)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def validate_money(value):
    """万元, ≥ 0, at most two decimals (the DecimalField enforces the decimals)."""
    if value is not None and value < Decimal("0"):
        raise ValidationError("金额不能为负数。", code="negative")


# Mobile (11 digits) or a landline with its area code and an optional extension, e.g. 0511-85000000-123.
PHONE_PATTERN = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
PHONE_MESSAGE = "请填写 11 位手机号或带区号的固定电话，如 0511-85000000。"
validate_phone = RegexValidator(PHONE_PATTERN, PHONE_MESSAGE, code="invalid")
