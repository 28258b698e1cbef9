"""Member changes by 补充协议 (§六（三））: asked by the lead with the agreement signed by all, recorded by the city
with an effective date; the rules of the application apply to the list after the change."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Max

from applications import bans as application_bans
from applications import rules as application_rules
from applications import services as application_services
from applications import uploads, workflow
from applications.choices import AttachmentKind, MemberRole, UnitKind
from applications.models import Membership
from operations import clock
from operations.text import chinese_date

from .. import flows, rules
from ..choices import ChangeAction, RequestStatus
from ..models import MemberChange, MemberChangeItem


@dataclass
class MemberChangeCheck:
    """What the rules say of a proposed change. ``errors``: [(where, message)], where "effective_on",
    "removals", ("additions", row index), "shortfall_statement" or None (the change as a whole)."""

    errors: list = field(default_factory=list)
    shortfalls: list = field(default_factory=list)  # facts of the 原则上 rules the result falls short of
    result: list = field(default_factory=list)  # [(declared name, credit code, kind, role, "新增" or "")]

    @property
    def ok(self):
        return not self.errors

    def messages(self):
        return [message for _, message in self.errors]


def last_effective_on(consortium):
    return MemberChange.objects.filter(consortium=consortium, status=RequestStatus.FILED).aggregate(last=Max("effective_on"))["last"]


def check_member_change(consortium, *, effective_on, removals, additions, statement, today=None):
    """The member list after a change, judged by the rules of the application (seed §三, §六（二）).

    ``removals``: memberships of the consortium; ``additions``: rows {unit_name, credit_code, unit_kind, …}.
    Absolute: a date not before the last change, the lead staying, members once each, no banned unit.
    原则上: enough members and a 高校院所, or a 情况说明.
    """
    today = today or clock.today()
    check = MemberChangeCheck()
    for where, (ok, reason) in (
        ("effective_on", rules.effective_date_valid(effective_on, consortium.filed_on, last_effective_on(consortium))),
        (None, rules.change_not_empty(additions, removals)),
        ("removals", rules.lead_stays([m.role for m in removals])),
    ):
        if not ok:
            check.errors.append((where, reason))
    current = list(consortium.memberships.current(effective_on).select_related("unit"))
    current_ids = {m.pk for m in current}
    check.errors += [("removals", f"{m.unit_name}在生效日期已不是本联合体成员单位。")
                     for m in removals if m.pk not in current_ids or m.left_on is not None]
    staying = [m for m in current if m.pk not in {r.pk for r in removals}]
    codes = [m.unit.credit_code for m in staying] + [row["credit_code"] for row in additions]
    bans = {**application_bans.in_force(codes, effective_on), **application_bans.in_force(codes, today)}  # in force either day
    check.errors += _addition_errors(consortium, additions, bans)
    for membership in staying:
        ok, reason = application_rules.not_banned(membership.unit_name, bans.get(membership.unit.credit_code))
        if not ok:
            check.errors.append((None, f"{reason}变更后的成员名单不能包含该单位，请在本次变更中将其退出。"))
    check.result = [(m.unit_name, m.unit.credit_code, m.unit_kind, m.role, "") for m in staying] + [
        (row["unit_name"], row["credit_code"], row["unit_kind"], MemberRole.MEMBER, ChangeAction.ADD.label) for row in additions
    ]
    check.shortfalls = application_rules.member_shortfalls([(kind, role == MemberRole.LEAD) for _, _, kind, role, _ in check.result])
    if check.shortfalls and not application_rules.statement_given(statement)[0]:
        check.errors.append(("shortfall_statement", f"变更后{'；'.join(check.shortfalls)}：须填写情况说明。"))
    return check


def _addition_errors(consortium, additions, bans):
    """[(("additions", row index), message)] of the units to add: a valid code, not a member already, not banned."""
    open_codes = set(consortium.memberships.filter(left_on__isnull=True).values_list("unit__credit_code", flat=True))
    errors = []
    for index, row in enumerate(additions):
        ok, reason = application_rules.credit_code_valid(row["unit_name"], row["credit_code"])
        if not ok:
            errors.append((("additions", index), reason))
        elif row["credit_code"] in open_codes:
            errors.append((("additions", index), f"{row['unit_name']}已是本联合体成员单位。"))
        ok, reason = application_rules.not_banned(row["unit_name"], bans.get(row["credit_code"]))
        if not ok:
            errors.append((("additions", index), reason))
    return errors


def _change_summary(effective_on, added_names, removed_names):
    parts = [f"生效日期：{chinese_date(effective_on)}"]
    if added_names:
        parts.append("新增成员单位：" + "、".join(added_names))
    if removed_names:
        parts.append("退出成员单位：" + "、".join(removed_names))
    return "；".join(parts)


ADDITION_FIELDS = ["unit_name", "credit_code", "unit_kind", "task_division", "duties", "sales_revenue", "rd_spend"]



@dataclass(frozen=True)
class MemberChangeProposal:
    """What the lead asks: ``removals`` ids of memberships, ``additions`` rows as the 申请书 declares members,
    ``supplementary_agreement`` the uploaded 补充协议 with what uploads.inspect found, ``signatures`` who signed it for each
    member ({unit id: {capacity, person_name, signed_on, upload}}, as applications.forms.SignatoryFormSet gives)."""

    effective_on: date
    removals: tuple
    additions: tuple
    statement: str
    supplementary_agreement: object
    inspected: tuple
    signatures: dict


@dataclass(frozen=True)
class MemberChangeDecision:
    """What the check found: the memberships that leave, and the rules' verdict on the list after the change."""

    removals: tuple
    check: MemberChangeCheck
    proposal: MemberChangeProposal | None = None  # when asked
    member_change: MemberChange | None = None  # when recorded


def signing_units(consortium):
    """[(Unit, name as declared)] of the units that sign a 补充协议 (§六（三）: 全体成员): every current member, the lead
    first, those the change removes included."""
    return [(m.unit, m.unit_name) for m in consortium.memberships.current().select_related("unit").order_by("position", "pk")]


def request_member_change(consortium_id, actor, *, effective_on, description, removals, additions, statement,
                          signatures, supplementary_agreement, request=None):
    """The lead asks the city to file a change of members, with the 补充协议 and who signed it for each member.
    Returns the MemberChange."""
    proposal = MemberChangeProposal(effective_on, tuple(removals), tuple(additions), (statement or "").strip(),
                                    supplementary_agreement, uploads.inspect(supplementary_agreement), dict(signatures))
    return flows.MEMBER_CHANGE.transition(consortium_id, "request_member_change", actor, opinion=description, request=request,
                           proposal=proposal).subject


@workflow.check("member_change_request")
def _check_request(consortium, actor, proposal, subject):
    if proposal is None:  # asked for a page's buttons: only the guards speak
        return None
    removals = tuple(consortium.memberships.filter(pk__in=proposal.removals).select_related("unit"))
    if len(removals) != len(set(proposal.removals)):
        raise workflow.Refused("所选退出单位不是本联合体的成员单位。")
    check = check_member_change(consortium, effective_on=proposal.effective_on, removals=removals,
                                additions=list(proposal.additions), statement=proposal.statement)
    signed = {unit_id: {**row, "has_authorization": bool(row.get("upload"))} for unit_id, row in proposal.signatures.items()}
    unsigned = application_rules.signature_problems([(unit.pk, name) for unit, name in signing_units(consortium)], signed,
                                                    clock.today(), agreement="补充协议")
    if not check.ok or unsigned:
        raise workflow.Refused(check.messages() + unsigned)
    return MemberChangeDecision(removals, check, proposal=proposal)


@workflow.effect("file_member_change_request")
def _file_member_change_request(taken, decided):
    consortium, proposal = taken.consortium, decided.proposal
    effective_on = proposal.effective_on
    attachment = application_services.store_attachment(
        consortium, taken.actor, unit=consortium.lead_unit, kind=AttachmentKind.SUPPLEMENTARY_AGREEMENT,
        title=f"补充协议（{chinese_date(effective_on)}生效）", uploaded=proposal.supplementary_agreement, inspected=proposal.inspected,
    )
    member_change = MemberChange.objects.create(
        consortium=consortium, effective_on=effective_on, description=taken.change.opinion,
        shortfall_statement=proposal.statement if decided.check.shortfalls else "", shortfalls=decided.check.shortfalls,
        supplementary_agreement=attachment, requested_by=taken.actor,
    )
    application_services.write_signatures(member_change.signatories, consortium, signing_units(consortium), proposal.signatures,
                                           taken.actor)
    MemberChangeItem.objects.bulk_create(
        [MemberChangeItem(change=member_change, action=ChangeAction.REMOVE, position=i, membership=m, unit_name=m.unit_name,
                          credit_code=m.unit.credit_code, unit_kind=m.unit_kind) for i, m in enumerate(decided.removals, 1)]
        + [MemberChangeItem(change=member_change, action=ChangeAction.ADD, position=i, **{f: row.get(f) for f in ADDITION_FIELDS})
           for i, row in enumerate(proposal.additions, 1)]
    )
    taken.change.detail = "拟" + _change_summary(effective_on, [r["unit_name"] for r in proposal.additions],
                                                [m.unit_name for m in decided.removals])
    taken.subject = member_change
    return member_change


def pending_member_change(consortium):
    return flows.open_request(flows.MEMBER_CHANGE, consortium)


def check_recorded_change(member_change):
    """The pending change judged again as it stands now (members and bans may have changed since it was asked)."""
    items = list(member_change.items.select_related("membership__unit"))
    return check_member_change(
        member_change.consortium, effective_on=member_change.effective_on,
        removals=[item.membership for item in items if item.action == ChangeAction.REMOVE],
        additions=[{f: getattr(item, f) for f in ADDITION_FIELDS} for item in items if item.action == ChangeAction.ADD],
        statement=member_change.shortfall_statement,
    )


@workflow.check("member_change_to_file")
def _check_recordable(consortium, actor, proposal, subject):
    check = check_recorded_change(subject)
    if not check.ok:
        raise workflow.Refused(check.messages())
    return MemberChangeDecision((), check, member_change=subject)


@workflow.effect("apply_member_change")
def _apply_member_change(taken, decided):
    """备案: removed members leave and added ones join on the effective date; the registry is only added to."""
    consortium, member_change = taken.consortium, decided.member_change
    effective_on = member_change.effective_on
    position = (consortium.memberships.aggregate(last=Max("position"))["last"] or 0)
    added, removed = [], []
    for item in member_change.items.select_related("membership"):
        if item.action == ChangeAction.REMOVE:
            Membership.objects.filter(pk=item.membership_id).update(left_on=effective_on)
            removed.append(item.unit_name)
            continue
        position += 1
        unit = application_services.registry_entry(item.credit_code, item.unit_name, item.unit_kind)
        item.membership = Membership.objects.create(
            consortium=consortium, unit=unit, unit_name=item.unit_name, unit_kind=item.unit_kind, role=MemberRole.MEMBER,
            position=position, task_division=item.task_division, duties=item.duties,
            sales_revenue=item.sales_revenue if item.unit_kind == UnitKind.ENTERPRISE else None,
            rd_spend=item.rd_spend if item.unit_kind == UnitKind.ENTERPRISE else None, joined_on=effective_on,
        )
        item.save(update_fields=["membership"])
        added.append(item.unit_name)
    _settle(member_change, taken)
    taken.change.detail = _change_summary(effective_on, added, removed)
    return member_change


def _settle(member_change, taken):
    member_change.decided_by, member_change.decided_at, member_change.opinion = taken.actor, clock.now(), taken.change.opinion
    member_change.save(update_fields=["decided_by", "decided_at", "opinion"])


@workflow.effect("return_member_change")
def _return_member_change(taken, decided):
    member_change = taken.subject
    _settle(member_change, taken)
    taken.change.detail = "退回的变更：" + _change_summary(
        member_change.effective_on, *[[i.unit_name for i in member_change.items.all() if i.action == action]
                                      for action in (ChangeAction.ADD, ChangeAction.REMOVE)])
    return member_change


def decide_member_change(consortium_id, actor, action, opinion, *, change_id=None, request=None):
    """备案 (file_member_change) or return (return_member_change, with an opinion) the change the page showed."""
    if action not in ("file_member_change", "return_member_change"):
        raise ValidationError("未知的办理结论。")
    return flows.MEMBER_CHANGE.transition(consortium_id, action, actor, opinion=opinion, request=request, subject_id=change_id).subject
