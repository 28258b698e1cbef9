"""Sentences the portal says in more than one place, once (pretalx keeps its phrases the same way). Bottom layer.

The ban of §六（二）, however it came about (a revocation, a decision recorded by hand), is always said the same way:
who, why, until when — in refusals, on the unit's and the consortium's pages, in notices and the audit log.
"""

from operations.text import chinese_date

BAN_SCOPE = "不得牵头或参与创新联合体"


def ban(unit_name, reason, ends_on, starts_on=None):
    """某公司因……，2029年2月28日前不得牵头或参与创新联合体。 (with the first day when ``starts_on`` is given)"""
    since = f"自{chinese_date(starts_on)}起、" if starts_on else ""
    return f"{unit_name}因{reason}，{since}{chinese_date(ends_on)}前{BAN_SCOPE}。"


def lead_banned_for_three_years(unit_name, starts_on, ends_on):
    """The consequence of a revocation for its lead unit (§六（二））."""
    return f"牵头单位{unit_name}自{chinese_date(starts_on)}起 3 年内{BAN_SCOPE}（{chinese_date(ends_on)}起解除）"
