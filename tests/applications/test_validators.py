import pytest
from django.core.exceptions import ValidationError

from applications.validators import (
    CREDIT_CODE_CHARSET,
    credit_code_check_char,
    normalize_credit_code,
    validate_credit_code,
)

# Published codes of real organisations, and codes whose check character is 0 and Y.
VALID = ["91350100M000100Y43", "91110000802100433B", "911100001000050001"[:17] + "X", "121000004660070001"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_are_accepted(code):
    validate_credit_code(code)


def test_check_character_follows_gb32100_weights():
    # Σ(value × 3^(i−1) mod 31) = 307 for this prefix; (31 − 307 mod 31) mod 31 = 3.
    assert credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("code", VALID)
def test_a_corrupted_character_is_rejected_at_every_position(code):
    for position in range(18):
        for replacement in CREDIT_CODE_CHARSET:
            if replacement == code[position]:
                continue
            corrupted = code[:position] + replacement + code[position + 1:]
            with pytest.raises(ValidationError) as error:
                validate_credit_code(corrupted)
            assert error.value.code == "check_char"


def test_single_substitutions_never_go_unnoticed():
    """Mod-31 with weights coprime to 31 catches every single-character error."""
    code = VALID[0]
    for position in range(17):
        for replacement in CREDIT_CODE_CHARSET:
            if replacement != code[position]:
                corrupted = code[:position] + replacement + code[position + 1:17]
                assert credit_code_check_char(corrupted) != code[17]


def test_full_width_lower_case_and_spaces_are_normalised():
    assert normalize_credit_code(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert normalize_credit_code("9135 0100 m000 100y 43") == "91350100M000100Y43"
    validate_credit_code("91350100m000100y43")


@pytest.mark.parametrize(
    ("code", "kind", "message"),
    [
        ("9135010M000100Y43", "length", "统一社会信用代码应为 18 位，当前为 17 位。"),
        ("91350100M000100Y433", "length", "统一社会信用代码应为 18 位，当前为 19 位。"),
        ("91350100M0001O0Y43", "charset", "统一社会信用代码第 14 位“O”不是允许的字符（只可使用数字和除 I、O、Z、S、V 以外的大写字母）。"),
        ("91350100M000100Y44", "check_char", "统一社会信用代码校验不通过：代码中有字符录入有误。请对照营业执照或登记证书重新复制录入完整的 18 位代码。"),
    ],
)
def test_each_kind_of_mistake_gets_its_own_message(code, kind, message):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == kind
    assert error.value.messages == [message]


def test_the_check_character_message_never_proposes_a_character():
    """A typo in position 10 makes the 18th look wrong; proposing a new 18th would let a wrong code pass."""
    typo = "91350100N000100Y43"  # position 10 mistyped: M → N
    with pytest.raises(ValidationError) as error:
        validate_credit_code(typo)
    assert credit_code_check_char(typo[:17]) not in error.value.messages[0].replace("18", "")
    assert "第 18 位应为" not in error.value.messages[0]
