"""Bulk data for `make bench`: units, consortia in every state with their members, versions, 综合论证,
evaluations and pending registrations, written with bulk_create (minutes of service calls otherwise).

Every row is valid as the portal would have made it (credit codes with their check character, one live
consortium per lead, members distinct within a consortium, record numbers unique).
"""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from accounts.models import Bureau
from accounts.reference import MUNICIPAL_BUREAU
from accounts.roles import Role
from applications.choices import MemberRole, RegistrationStatus, Status, UnitKind
from applications.models import Application, ApplicationVersion, Consortium, IndustryField, Membership, Registration, Unit
from applications.validators import credit_code_check_char
from evaluations.models import Evaluation
from operations import clock
from reviews.models import AppraisalRound, ExpertAssignment, RoundEntry

User = get_user_model()
MEMBERS_EACH = 5
# How 100 consortia are spread over the lifecycle (drafts are invisible to the bureaus).
STATUS_MIX = (
    [Status.DRAFT] * 3 + [Status.SUBMITTED] * 15 + [Status.RETURNED] * 5 + [Status.RETURNED_BY_CITY] * 2
    + [Status.DISTRICT_PASSED] * 10 + [Status.UNDER_APPRAISAL] * 8 + [Status.FILED] * 40 + [Status.REJECTED] * 6
    + [Status.NOT_FILED] * 6 + [Status.REVOKED] * 3 + [Status.DISSOLVED] * 2
)
PLACES = ["镇江", "京口", "润州", "丹徒", "丹阳", "扬中", "句容", "新区"]
BRANDS = ["华源", "金港", "恒泰", "瑞康", "天工", "蓝海", "航宇", "绿源", "润达", "三山", "启明", "中电", "宏达", "科润", "鼎盛", "汇通"]
TRADES = ["智能电气", "新材料", "精密机械", "生物医药", "船舶装备", "新能源", "电子信息", "汽车零部件", "光学材料", "数字科技"]
MEMBER_KINDS = [UnitKind.ENTERPRISE] * 14 + [UnitKind.UNIVERSITY] * 3 + [UnitKind.INSTITUTE] * 2 + [UnitKind.OTHER]


def credit_code(serial, kind):
    first17 = f"{'12' if kind in (UnitKind.UNIVERSITY, UnitKind.INSTITUTE) else '91'}321100{serial:09d}"
    return first17 + credit_code_check_char(first17)


def unit_name(serial, kind):
    place, brand, trade = PLACES[serial % 8], BRANDS[serial // 8 % 16], TRADES[serial // 128 % 10]
    if kind == UnitKind.UNIVERSITY:
        return f"{place}{brand}理工学院（{serial}）"
    if kind == UnitKind.INSTITUTE:
        return f"{place}{trade}研究院（{serial}）"
    return f"{place}{brand}{trade}科技有限公司（{serial}）"


def make_units(first, count, *, leads):
    districts = list(Bureau.objects.filter(kind="district").order_by("sort_order"))
    units = []
    for serial in range(first, first + count):
        kind = UnitKind.ENTERPRISE if leads else MEMBER_KINDS[serial % len(MEMBER_KINDS)]
        outside = not leads and serial % 7 == 0
        units.append(Unit(
            name=unit_name(serial, kind), credit_code=credit_code(serial, kind), kind=kind,
            bureau=None if outside else districts[serial % len(districts)], legal_representative="张三",
            address="镇江市学府路 1 号",
            registration_status=RegistrationStatus.APPROVED if leads else RegistrationStatus.UNREGISTERED,
        ))
    return Unit.objects.bulk_create(units, batch_size=2000)


def make_consortia(leads, pool, first):
    """One consortium per lead, its status from STATUS_MIX, MEMBERS_EACH members from ``pool``."""
    fields = list(IndustryField.objects.order_by("sort_order"))
    today = clock.today()
    consortia = []
    for offset, lead in enumerate(leads):
        n = first + offset
        status = STATUS_MIX[n % len(STATUS_MIX)]
        numbered = status in (Status.FILED, Status.REVOKED, Status.DISSOLVED)
        consortia.append(Consortium(
            name=f"{lead.name.split('科技有限公司')[0]}创新联合体（{n}）", industry_field=fields[n % len(fields)], lead_unit=lead,
            chief_scientist="孙立新", chief_scientist_title="教授", status=status,
            record_number=f"镇创联备〔{2023 + n % 4}〕{n + 1:05d}号" if numbered else None,
            filed_on=today - timedelta(days=n % 900) if numbered else None,
        ))
    consortia = Consortium.objects.bulk_create(consortia, batch_size=2000)
    memberships, applications = [], []
    for offset, consortium in enumerate(consortia):
        lead = consortium.lead_unit
        memberships.append(Membership(consortium=consortium, unit=lead, unit_name=lead.name, unit_kind=lead.kind,
                                      role=MemberRole.LEAD, position=1, sales_revenue=Decimal("52000.00"), rd_spend=Decimal("3100.50")))
        for k in range(MEMBERS_EACH):
            unit = pool[((first + offset) * MEMBERS_EACH + k) % len(pool)]
            enterprise = unit.kind == UnitKind.ENTERPRISE
            memberships.append(Membership(
                consortium=consortium, unit=unit, unit_name=unit.name, unit_kind=unit.kind, role=MemberRole.MEMBER,
                position=k + 2, task_division="联合攻关", duties="研发与中试",
                sales_revenue=Decimal("1234.56") + k if enterprise else None, rd_spend=Decimal("98.76") + k if enterprise else None,
            ))
        applications.append(Application(consortium=consortium, contact_person="李明", contact_phone="0511-85000000"))
    Membership.objects.bulk_create(memberships, batch_size=5000)
    applications = Application.objects.bulk_create(applications, batch_size=2000)
    ApplicationVersion.objects.bulk_create([
        ApplicationVersion(application=application, number=1, content={"benchmark": True}, sha256="0" * 64)
        for application, consortium in zip(applications, consortia) if consortium.status != Status.DRAFT
    ], batch_size=2000)
    return consortia


def seed(*, consortia=1000, units=10_000):
    """The bench's world: ``units`` units in all (``consortia`` of them lead), ``consortia`` consortia."""
    leads = make_units(0, consortia, leads=True)
    pool = make_units(consortia, units - consortia, leads=False)
    made = make_consortia(leads, pool, 0)
    people = make_people(leads[0])
    appraise(made, people["expert"], people["city"])
    evaluate(made, people["city"])
    register(40)
    people.update(editors(made))
    return people


def editors(consortia):
    """The editors' subjects: the first lead's draft 申请书 (the applicant's), and a filed consortium whose lead
    writes this year's 年度报告 (a "lead" account of its own)."""
    draft = next(c for c in consortia if c.status == Status.DRAFT)
    filed = next(c for c in consortia if c.status == Status.FILED)
    (lead, report), = report_writers([filed], username="bench_lead")
    return {"lead": lead, "draft": draft, "filed": filed, "report_year": report.year}


def report_writers(filed, *, username):
    """For each filed consortium, an account of its lead (``username``, then ``username``2, 3, …) and this year's
    年度报告 begun (a summary, nothing else): [(account, report)]."""
    from evaluations.models import AnnualReport  # here: the only function of this module about reports

    year = clock.today().year
    made = []
    for n, consortium in enumerate(filed, start=1):
        lead = User(username=username if n == 1 else f"{username}{n}", full_name="赵总", role=Role.APPLICANT,
                    unit=consortium.lead_unit)
        lead.set_unusable_password()
        lead.save()
        report = AnnualReport.objects.create(consortium=consortium, year=year, updated_by=lead,
                                             summary="本年度联合攻关进展顺利。" * 20)
        made.append((lead, report))
    return made


def grow(to_consortia, *, already):
    """More consortia (with new leads, members from the existing pool) until there are ``to_consortia``."""
    pool = list(Unit.objects.filter(registration_status=RegistrationStatus.UNREGISTERED).order_by("pk"))
    leads = make_units(10_000_000, to_consortia - already, leads=True)
    make_consortia(leads, pool, already)


def make_people(lead):
    municipal = Bureau.objects.get(name=MUNICIPAL_BUREAU)
    jingkou = Bureau.objects.get(district="京口区")
    lead.bureau = jingkou
    lead.save(update_fields=["bureau"])
    people = {
        "city": User(username="bench_city", full_name="李处长", role=Role.MUNICIPAL_STAFF, bureau=municipal),
        "district": User(username="bench_district", full_name="王审核", role=Role.DISTRICT_REVIEWER, bureau=jingkou),
        "applicant": User(username="bench_applicant", full_name="刘晓明", role=Role.APPLICANT, unit=lead),
        "expert": User(username="bench_expert", full_name="周教授", role=Role.EXPERT, employer="东南大学"),
        "expert2": User(username="bench_expert2", full_name="吴研究员", role=Role.EXPERT, employer="南京工业大学"),
    }
    for user in people.values():
        user.set_unusable_password()
        user.save()
    return people


def appraise(consortia, expert, city):
    """Every consortium under 综合论证 in one of a few rounds, with two experts, one of whom has scored some."""
    rounds = [AppraisalRound.objects.create(title=f"2026 年第 {n} 批综合论证", created_by=city) for n in range(1, 4)]
    entries = RoundEntry.objects.bulk_create([
        RoundEntry(round=rounds[n % 3], consortium=c, version_number=1)
        for n, c in enumerate(c for c in consortia if c.status == Status.UNDER_APPRAISAL)
    ])
    second = User.objects.get(username="bench_expert2")
    now = clock.now()
    ExpertAssignment.objects.bulk_create([
        ExpertAssignment(entry=entry, expert=person, assigned_by=city, submitted_at=now if n % 3 == 0 and person == second else None)
        for n, entry in enumerate(entries) for person in (expert, second)
    ])


def evaluate(consortia, city):
    grades = itertools.cycle(["excellent", "qualified", "qualified", "qualified", "unqualified"])
    now = clock.now()
    year = clock.today().year
    Evaluation.objects.bulk_create([
        Evaluation(consortium=c, year=year, grade=next(grades), opinion="运行良好", basis="experts", decided_by=city, decided_at=now)
        for c in consortia if c.status == Status.FILED
    ])


def register(count):
    jingkou = Bureau.objects.get(district="京口区")
    applicants = User.objects.bulk_create([
        User(username=f"bench_reg{n}", full_name=f"注册人{n}", role=Role.APPLICANT, password="!") for n in range(count)
    ])
    Registration.objects.bulk_create([
        Registration(applicant=user, name=f"镇江启明数字科技{n}有限公司", credit_code=credit_code(20_000_000 + n, UnitKind.ENTERPRISE),
                     bureau=jingkou, legal_representative="李四", address="镇江市京口区学府路 2 号",
                     created_at=clock.now() - timedelta(hours=n))
        for n, user in enumerate(applicants)
    ])

