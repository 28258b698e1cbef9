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


# Words a guesser tries first here: the city and the bureau in pinyin and abbreviations, the portal's
# own words, and the stock words and keyboard runs of default passwords. A password made only of
# these plus digits and symbols (Zhenjiang2026, zj@2026!, Admin@123, P@ssw0rd2026, Qwer1234!)
# falls to the first guesses whatever its length.
GUESSABLE_WORDS = frozenset({
    "zhenjiang", "zhen", "jiang", "zj", "zhj", "jiangsu", "js", "zjs", "jsz", "zjkj", "kjj", "zjkjj", "kejiju",
    "keji", "kj", "kjc", "chuangxin", "cx", "lianheti", "lht", "cxlht", "gov", "zf", "zhengfu",
    "password", "passwd", "pass", "pwd", "admin", "administrator", "root", "user", "test", "guest", "demo",
    "welcome", "login", "system", "sysadmin", "manager", "super", "default", "china", "iloveyou", "woaini",
    "qwer", "qwert", "qwerty", "asdf", "asdfg", "zxcv", "zxcvb", "qaz", "wsx", "edc", "rfv", "abc", "abcd",
})
# The same names typed in Chinese (镇江2026!).
CHINESE_WORDS = {"镇江市": "zhenjiang", "镇江": "zhenjiang", "江苏省": "jiangsu", "江苏": "jiangsu", "科技局": "kejiju",
                 "科技": "keji", "创新联合体": "chuangxinlianheti", "创新": "chuangxin", "联合体": "lianheti", "密码": "password"}
# Letters written as digits or symbols (P@ssw0rd, Adm1n, Zhenj1ang).
LOOKALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})
# Passwords published in this repository (the demo data); load_demo sets it without validation.
PUBLISHED = frozenset({"zj@demo2026"})


def _made_of_words(letters):
    """Whether a run of letters splits entirely into GUESSABLE_WORDS (zhenjiangadmin, qweradmin)."""
    reachable = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        reachable[end] = any(reachable[start] and letters[start:end] in GUESSABLE_WORDS for start in range(end))
    return reachable[-1]


def _only_guessable_words(text):
    if any(char.isalpha() and not char.isascii() for char in text):
        return False  # other Chinese (or any non-Latin) letters are not in the guessing list
    runs = re.findall(r"[a-z]+", text)
    return bool(runs) and all(_made_of_words(run) for run in runs)


class GuessablePasswordValidator:
    """Refuses city-plus-year and stock-word passwords that Django's list of common passwords misses."""

    def validate(self, password, user=None):
        lowered = password.lower()
        for chinese, pinyin in CHINESE_WORDS.items():
            lowered = lowered.replace(chinese, pinyin)
        # The look-alike reading swaps only characters touching a letter, so that "2026" stays a year.
        lookalike = re.sub(
            r"(?<=[a-z])[@4013!$57]|[@4013!$57](?=[a-z])", lambda m: m.group().translate(LOOKALIKES), lowered
        )
        if lowered in PUBLISHED or _only_guessable_words(lowered) or _only_guessable_words(lookalike):
            raise ValidationError(self.get_help_text(), code="password_guessable")

    def get_help_text(self):
        return "密码过于常见，容易被猜到：不能只由城市名、单位简称、admin、password、qwer 等常用词加年份、数字或符号组成，请换一个。"
