"""The work plan's rules as small functions returning (ok, reason).

A page shows the reason; a service refuses with it. Both call the same function.
"""

from django.utils import timezone

from .choices import RegistrationStatus, UnitKind
from .models import Consortium, UnitBan

OK = (True, "")


def active_ban(unit, today=None):
    today = today or timezone.localdate()
    return UnitBan.objects.filter(unit=unit, starts_on__lte=today, ends_on__gt=today).order_by("-ends_on").first()


def not_banned(unit, today=None):
    """Seed §六(二): two consecutive 不合格 bar the lead unit for 3 years."""
    ban = active_ban(unit, today)
    if ban:
        return False, (
            f"{unit.name}因{ban.reason}，{ban.ends_on:%Y年%-m月%-d日}前不得牵头或参与创新联合体。"
        )
    return OK


def registered_zhenjiang_enterprise(unit):
    """Seed §三(一)1: a 镇江-registered enterprise with independent legal personality, approved by its district."""
    if unit.registration_status != RegistrationStatus.APPROVED:
        return False, "单位注册尚未通过所在辖市区科技部门审核，暂不能牵头申报。"
    if unit.bureau_id is None:
        return False, "牵头单位须在镇江市注册。"
    if unit.kind != UnitKind.ENTERPRISE or not unit.is_legal_person:
        return False, "牵头单位须为具有独立法人资格的企业。"
    return OK


def leads_no_other_live_consortium(unit, excluding=None):
    """Seed §三(一)1: 原则上 1 家牵头单位只能牵头组建 1 个创新联合体."""
    live = Consortium.objects.live().filter(lead_unit=unit)
    if excluding is not None:
        live = live.exclude(pk=excluding.pk)
    other = live.first()
    if other:
        return False, (
            f"{unit.name}已牵头“{other.name}”（{other.get_status_display()}），"
            "原则上 1 家牵头单位只能牵头组建 1 个创新联合体。"
        )
    return OK


def may_lead(unit, today=None, *, excluding=None):
    for ok, reason in (
        registered_zhenjiang_enterprise(unit),
        not_banned(unit, today),
        leads_no_other_live_consortium(unit, excluding),
    ):
        if not ok:
            return ok, reason
    return OK


def may_start_application(user):
    if user.unit_id is None:
        return False, "您的账号未关联申报单位。"
    return may_lead(user.unit)
