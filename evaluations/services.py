"""Use cases after 备案; each opens its own transaction and is the only writer of what it changes.

Every decision on a consortium goes through applications.workflow.transition (a timeline entry, an
audit event and the notices after commit); the stage's guards and effects are registered here (the
app's ready() imports this module): the 绩效评价, revocation and its 3-year ban, member changes by
补充协议, dissolution, the 科技联络员. What is not a decision on a consortium has its own use case with
its own audit event: annual reports, the experts' scores, support projects, a ban recorded or lifted by hand.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts import audit, notify
from accounts.models import AuditEvent, User
from accounts.roles import Role
from applications import rules as application_rules
from applications import services as application_services
from applications import uploads, workflow
from applications.choices import AttachmentKind, MemberRole, Status, UnitKind
from applications.models import Consortium, Membership, UnitBan, users_who_see
from reviews import scoring
from reviews import services as review_services

from . import rules
from .choices import ChangeAction, EvaluationBasis, Grade, ProjectStatus, Reminder, RequestStatus, TargetState
from .models import (
    FIGURE_GROUPS,
    FIGURES,
    REPORT_TEXTS,
    AnnualReport,
    DissolutionRequest,
    Evaluation,
    EvaluationCriterion,
    ExpertPanel,
    LiaisonAssignment,
    MemberChange,
    MemberChangeItem,
    PanelAssignment,
    PanelScore,
    ReportReminder,
    Revocation,
    SupportProject,
)

_date = rules.chinese_date


def digest(content):
    """SHA-256 of the canonical JSON of frozen content: what a printed document's verification code is taken from."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _plain(value):
    return value if value is None or isinstance(value, (int, str)) else str(value)


def _staff_only(actor, what):
    if actor.role != Role.MUNICIPAL_STAFF:
        raise PermissionDenied(f"只有市科技局可以{what}。")


def _target(consortium):
    return f"创新联合体 {consortium.pk} {consortium.name}"


def _filed_consortium(consortium_id, actor, *, lock=False):
    """A consortium the actor sees, filed; PermissionDenied when out of scope, ValidationError when not filed."""
    consortia = Consortium.objects.visible_to(actor).select_related("lead_unit")
    if lock:
        consortia = consortia.select_for_update(of=("self",))
    consortium = consortia.filter(pk=consortium_id).first()
    if consortium is None:
        raise PermissionDenied("没有找到该创新联合体。")
    if consortium.status != Status.FILED:
        raise ValidationError(f"该创新联合体当前状态为“{consortium.get_status_display()}”，不能办理。")
    return consortium


# ---------------------------------------------------------------------------
# Annual reports (§六（三）): written by the lead, 暂存 at any time, frozen when submitted.
# ---------------------------------------------------------------------------


class StaleReport(Exception):
    """Someone saved the report after this editor loaded the page."""

    def __init__(self, report):
        who = report.updated_by.display_name if report.updated_by else "他人"
        super().__init__(
            f"您打开本页后，{who}于 {timezone.localtime(report.updated_at):%m-%d %H:%M} 保存了本年度报告。"
            "为避免覆盖较新的内容，本次保存未生效；您填写的内容仍保留在下方。"
            "请先复制需要保留的内容，再刷新本页查看最新内容后重新填写保存。"
        )


def filed_targets(consortium, year):
    """The yearly targets of ``year`` as the filed 建设方案 states them (the frozen version's content)."""
    version = consortium.application.versions.order_by("-number").first()
    targets = version.content.get("targets", []) if version else []
    return [target for target in targets if target.get("year") == year]


def previous_report(consortium, year):
    """The report of the year before, if submitted: the figures a report is compared with."""
    return AnnualReport.objects.filter(consortium=consortium, year=year - 1, submitted_at__isnull=False).first()


def start_report(consortium_id, actor, year, *, today=None, request=None):
    """The report of a year, opened by the lead: pre-filled from its latest submitted report of an earlier year."""
    today = today or timezone.localdate()
    if actor.role != Role.APPLICANT:
        raise PermissionDenied("只有牵头单位可以填报年度报告。")
    with transaction.atomic():
        consortium = _filed_consortium(consortium_id, actor, lock=True)
        existing = AnnualReport.objects.filter(consortium=consortium, year=year).first()
        if existing is not None:
            return existing
        ok, reason = rules.may_write_report(year, consortium.filed_on.year, today)
        if not ok:
            raise ValidationError(reason)
        earlier = (AnnualReport.objects.filter(consortium=consortium, year__lt=year, submitted_at__isnull=False)
                   .order_by("-year").first())
        report = AnnualReport(consortium=consortium, year=year, updated_by=actor)
        if earlier is not None:
            for name in FIGURES + REPORT_TEXTS:
                setattr(report, name, getattr(earlier, name))
        report.target_progress = [{"target": target, "state": "", "note": ""} for target in filed_targets(consortium, year)]
        report.save()
    return report


def _editable_report(report_id, actor):
    report = AnnualReport.objects.select_for_update(of=("self",)).select_related("consortium", "updated_by").get(pk=report_id)
    if actor.role != Role.APPLICANT or not workflow.in_scope(actor, report.consortium_id):
        raise PermissionDenied("只有牵头单位可以填报年度报告。")
    if report.is_submitted:
        raise ValidationError("该年度报告已报送，不能再修改。")
    if report.consortium.status != Status.FILED:
        raise ValidationError(f"该创新联合体当前状态为“{report.consortium.get_status_display()}”，不能填报年度报告。")
    return report


def save_report(report_id, actor, expected_version, data, *, request=None):
    """暂存: write what the editor sent (validated by its form), refusing a stale editor.

    ``data``: the figures and texts by field name, and "progress": [{"state", "note"}] in the order of the
    report's targets.
    """
    with transaction.atomic():
        report = _editable_report(report_id, actor)
        if expected_version is not None and expected_version != report.lock_version:
            raise StaleReport(report)
        for name in FIGURES + REPORT_TEXTS:
            setattr(report, name, data[name])
        progress = data.get("progress", [])
        report.target_progress = [
            {**row, "state": progress[i]["state"], "note": progress[i]["note"]} if i < len(progress) else row
            for i, row in enumerate(report.target_progress)
        ]
        report.lock_version += 1
        report.updated_by = actor
        report.pending_input = None
        report.save()
        audit.record(AuditEvent.Action.REPORT_SAVED, request=request, actor=actor, target=_target(report.consortium),
                     detail=f"暂存 {report.year} 年度报告（第 {report.lock_version} 次保存）")
    return report


def keep_report_input(report_id, actor, data):
    """暂存 of input that does not validate yet: kept as typed, shown again with its errors (NUL dropped)."""
    cleaned = {key.replace("\x00", ""): [value.replace("\x00", "") for value in values] for key, values in data.items()}
    with transaction.atomic():
        report = _editable_report(report_id, actor)
        report.pending_input = cleaned
        report.save(update_fields=["pending_input", "updated_at"])


def figure_rows(report, previous):
    """[(group, [{field, label, value, previous, change}])] of a report against the year before's."""
    fields = {f.name: f for f in AnnualReport._meta.get_fields() if f.name in FIGURES}
    rows = []
    for group, names in FIGURE_GROUPS:
        items = []
        for name in names:
            value = getattr(report, name)
            before = getattr(previous, name) if previous is not None else None
            change = rules.change_between(value, before)
            items.append({
                "field": name, "label": str(fields[name].verbose_name), "value": _plain(value), "previous": _plain(before),
                "change": None if change is None else (f"+{change}" if change > 0 else str(change)),
            })
        rows.append({"group": group, "rows": items})
    return rows


def missing_for_submission(report):
    fields = {f.name: str(f.verbose_name) for f in AnnualReport._meta.get_fields() if f.name in FIGURES + REPORT_TEXTS}
    return rules.report_missing(
        {fields[name]: getattr(report, name) for name in FIGURES},
        {fields[name]: getattr(report, name) for name in REPORT_TEXTS},
        [(row["target"].get("tasks", ""), row["state"]) for row in report.target_progress],
    )


def report_content(report, submitted_by, submitted_at):
    consortium = report.consortium
    states = dict(TargetState.choices)
    return {
        "consortium": {
            "id": consortium.pk, "name": consortium.name, "record_number": consortium.record_number or "",
            "lead_unit": consortium.lead_unit.name, "industry_field": consortium.industry_field.name,
        },
        "year": report.year,
        "due_on": rules.report_due_on(report.year).isoformat(),
        "figures": figure_rows(report, previous_report(consortium, report.year)),
        "targets": [{**row, "state_label": states.get(row["state"], "")} for row in report.target_progress],
        "summary": report.summary,
        "problems": report.problems,
        "next_year_plan": report.next_year_plan,
        "submitted_at": timezone.localtime(submitted_at).isoformat(timespec="minutes"),
        "submitted_by": submitted_by.display_name,
    }


def submit_report(report_id, actor, *, request=None):
    """报送: every figure, text and target filled in; the report is frozen and the liaison officer told."""
    with transaction.atomic():
        report = _editable_report(report_id, actor)
        if report.pending_input is not None:
            raise ValidationError("有暂存但未通过校验的内容，请改正标红处并暂存后再报送。")
        missing = missing_for_submission(report)
        if missing:
            raise ValidationError("以下内容尚未填写，不能报送：" + "、".join(missing) + "。")
        now = timezone.now()
        report.content = report_content(report, actor, now)
        report.sha256 = digest(report.content)
        report.submitted_at, report.submitted_by = now, actor
        report.save()
        consortium = report.consortium
        late = now.date() > rules.report_due_on(report.year)
        audit.record(AuditEvent.Action.REPORT_SUBMITTED, request=request, actor=actor, target=_target(consortium),
                     detail=f"报送 {report.year} 年度报告{'（逾期）' if late else ''}（SHA-256 {report.sha256}）")
        liaison = LiaisonAssignment.objects.current().filter(consortium=consortium).select_related("officer").first()
        if liaison is not None:
            notify.notify([liaison.officer], f"年度报告已报送：{consortium.name}",
                          f"您联系的“{consortium.name}”已报送 {report.year} 年度运行情况总结和下一年度工作计划。",
                          reverse("evaluations:report", args=[consortium.pk, report.year]))
    return report


# ---------------------------------------------------------------------------
# Reminders: run daily (manage.py send_report_reminders); each reminder once per report and threshold.
# ---------------------------------------------------------------------------

REMINDER_TEXT = {
    Reminder.BEFORE_30: "距报送截止日期（{due}）还有 {days} 天，请及时填报“{name}”{year} 年度运行情况总结和下一年度工作计划。",
    Reminder.BEFORE_7: "距报送截止日期（{due}）仅剩 {days} 天，请尽快报送“{name}”{year} 年度运行情况总结和下一年度工作计划。",
    Reminder.OVERDUE: "“{name}”{year} 年度运行情况总结和下一年度工作计划已超过报送截止日期（{due}），尚未报送，请尽快报送。",
}


def send_due_reminders(today=None):
    """Remind the lead's accounts of each report not submitted whose reminder is due today; return the number sent.

    Idempotent: each reminder is recorded per consortium, year and threshold before it is sent, in the
    same transaction, so a second run (or a run on a later day of the same window) sends nothing again.
    """
    today = today or timezone.localdate()
    sent = 0
    for year in (today.year - 1, today.year):
        reminder = rules.reminder_due(year, today)
        if reminder is None:
            continue
        consortia = Consortium.objects.filter(status=Status.FILED, filed_on__year__lte=year).select_related("lead_unit")
        submitted = set(AnnualReport.objects.filter(year=year, submitted_at__isnull=False).values_list("consortium_id", flat=True))
        reminded = set(ReportReminder.objects.filter(year=year, reminder=reminder).values_list("consortium_id", flat=True))
        for consortium in consortia:
            if consortium.pk in submitted or consortium.pk in reminded:
                continue
            if _remind(consortium, year, reminder, today):
                sent += 1
    return sent


def _remind(consortium, year, reminder, today):
    due = rules.report_due_on(year)
    try:
        with transaction.atomic():
            ReportReminder.objects.create(consortium=consortium, year=year, reminder=reminder)
            body = REMINDER_TEXT[reminder].format(due=_date(due), days=(due - today).days + 1, name=consortium.name, year=year)
            notify.notify(users_who_see(consortium, Role.APPLICANT), f"年度报告提醒：{consortium.name}{year} 年度", body,
                          reverse("evaluations:report", args=[consortium.pk, year]))
    except IntegrityError:  # another run recorded it first
        return False
    return True


# ---------------------------------------------------------------------------
# 绩效评价 by experts: the 综合论证's scoring and 回避 (reviews), on the submitted annual report.
# ---------------------------------------------------------------------------


def _graded(report):
    return Evaluation.objects.filter(consortium_id=report.consortium_id, year=report.year).exists()


def open_panel(report_id, experts, actor, *, request=None):
    """Experts score a submitted report; each expert who must recuse is skipped and said so. Returns (panel, notes)."""
    _staff_only(actor, "组织专家评分")
    notes = []
    with transaction.atomic():
        report = (AnnualReport.objects.visible_to(actor).select_for_update(of=("self",)).select_related("consortium")
                  .filter(pk=report_id).first())
        if report is None:
            raise PermissionDenied("没有找到该年度报告。")
        if _graded(report):
            raise ValidationError(f"{report.year} 年度已评价，不能再组织专家评分。")
        panel, _ = ExpertPanel.objects.get_or_create(report=report, defaults={"consortium": report.consortium, "opened_by": actor})
        for expert in experts:
            try:
                with transaction.atomic():
                    _assign(panel, expert, actor, request)
            except ValidationError as error:
                notes.append("；".join(error.messages))
    return panel, notes


def assign_panel_expert(panel_id, expert, actor, *, request=None):
    _staff_only(actor, "分配评审专家")
    with transaction.atomic():
        panel = ExpertPanel.objects.select_for_update(of=("self",)).select_related("report", "consortium").get(pk=panel_id)
        if panel.closed_at is not None:
            raise ValidationError("该年度报告的绩效评价已完成，不能再分配专家。")
        return _assign(panel, expert, actor, request)


def _assign(panel, expert, actor, request):
    review_services.ensure_may_score(expert, panel.consortium)
    assignment, created = PanelAssignment.objects.get_or_create(panel=panel, expert=expert, defaults={"assigned_by": actor})
    if not created:
        raise ValidationError(f"{expert.display_name}已分配到该年度报告。")
    consortium = panel.consortium
    audit.record(AuditEvent.Action.EXPERT_ASSIGNED, request=request, actor=actor, target=_target(consortium),
                 detail=f"{panel.report.year} 年度绩效评价专家：{expert.display_name}（{expert.username}）")
    notify.notify(
        [expert], f"新的绩效评价任务：{consortium.name}",
        f"市科技局邀请您对“{consortium.name}”{panel.report.year} 年度运行情况进行绩效评价评分。"
        "如您与该联合体成员单位存在利害关系，请在评审页面声明回避。",
        reverse("evaluations:assignment", args=[assignment.pk]),
    )
    return assignment


def _locked_task(assignment_id):
    assignment = (PanelAssignment.objects.select_for_update(of=("self",))
                  .select_related("panel__consortium", "panel__report").get(pk=assignment_id))
    closed = "该年度报告的绩效评价已完成。" if assignment.panel.closed_at else ""
    return assignment, closed


def declare_panel_conflict(assignment_id, expert, reason, *, request=None):
    with transaction.atomic():
        assignment, closed = _locked_task(assignment_id)
        return review_services.record_conflict(assignment, expert, reason, closed=closed,
                                               target=_target(assignment.panel.consortium), request=request)


def submit_panel_scores(assignment_id, expert, values, comment, *, request=None):
    """values: {criterion id: Decimal 0–100} for every active 绩效评价 criterion."""
    with transaction.atomic():
        assignment, closed = _locked_task(assignment_id)
        return review_services.record_scores(
            assignment, expert, values, comment, criteria=EvaluationCriterion.objects.filter(is_active=True),
            score_model=PanelScore, closed=closed, target=_target(assignment.panel.consortium), request=request,
        )


def panel_summary(panel):
    return scoring.summarize(panel.assignments.select_related("expert").prefetch_related("scores__criterion"))


# ---------------------------------------------------------------------------
# The 绩效评价 (§六（二）) and its consequences.
# ---------------------------------------------------------------------------

CONSEQUENCES = {
    Grade.EXCELLENT: "根据《镇江市创新联合体培育建设工作方案》六（二），评价结果为“优秀”的，适当加大项目支持力度，"
                     "并对符合条件的推荐申报省级以上创新联合体。",
    Grade.UNQUALIFIED: "根据《镇江市创新联合体培育建设工作方案》六（二），连续 2 次评价为“不合格”的，取消市级创新联合体资格，"
                       "牵头单位 3 年内不得牵头或参与其他创新联合体。",
}


def grades_of(consortium):
    """The consortium's grades, oldest first (the order the revocation rule reads them in)."""
    return list(Evaluation.objects.filter(consortium=consortium).order_by("decided_at", "pk").values_list("grade", flat=True))


@workflow.guard("evaluation_valid")
def _evaluation_valid(consortium, actor, params):
    """One 绩效评价 per consortium and year, on its submitted report, graded on the experts' scores or a third
    party's report."""
    reasons = []
    if params.get("grade") not in Grade.values:
        reasons.append("请选择评价结果（优秀、合格、不合格）。")
    basis = params.get("basis")
    if basis not in EvaluationBasis.values:
        reasons.append("请选择评价依据（专家评分或第三方评价报告）。")
    year = params.get("year")
    if not year:
        reasons.append("请填写评价年度。")
        return reasons
    if Evaluation.objects.filter(consortium=consortium, year=year).exists():
        return reasons + [f"{year} 年度已评价，不能重复评价。"]
    report = AnnualReport.objects.filter(consortium=consortium, year=year, submitted_at__isnull=False).first()
    if basis == EvaluationBasis.NO_REPORT:
        if report is not None:
            return reasons + [f"{year} 年度报告已报送，请以专家评分或第三方评价报告为依据。"]
        overdue = year in rules.overdue_years(consortium.filed_on.year, (), timezone.localdate())
        ok, reason = rules.grade_without_report(params.get("grade"), overdue)
        return reasons + ([] if ok else [reason])
    if report is None:
        return reasons + [f"{year} 年度报告尚未报送，绩效评价须依据已报送的年度报告。"]
    if basis == EvaluationBasis.EXPERTS:
        panel = ExpertPanel.objects.filter(report=report).first()
        if panel is None:
            reasons.append("尚未组织专家评分；以专家评分为依据的，须待专家提交评分。")
        else:
            summary = panel_summary(panel)
            if summary.missing:
                reasons.append(f"以下专家尚未提交评分：{'、'.join(expert.display_name for expert in summary.missing)}。")
            elif not summary.submitted:
                reasons.append("尚无专家提交评分，请先分配专家并等待评分。")
    elif basis == EvaluationBasis.THIRD_PARTY and not params.get("third_party"):
        reasons.append("请上传第三方评价报告（PDF/JPG/PNG）。")
    return reasons


@workflow.effect("record_evaluation")
def _record_evaluation(consortium, change, actor, params):
    year, grade, basis = params["year"], params["grade"], params["basis"]
    report = AnnualReport.objects.filter(consortium=consortium, year=year, submitted_at__isnull=False).first()
    panel = ExpertPanel.objects.filter(report=report).first() if report else None
    now = timezone.now()
    evaluation = Evaluation(
        consortium=consortium, year=year, grade=grade, basis=basis, report=report, opinion=change.opinion,
        decided_by=actor, decided_at=now, change=change,
    )
    if basis == EvaluationBasis.EXPERTS:
        evaluation.panel = panel
        evaluation.mean_score = panel_summary(panel).mean
    elif basis == EvaluationBasis.THIRD_PARTY:
        uploaded, (content_type, name, sha256) = params["third_party"]
        evaluation.third_party_name, evaluation.third_party_sha256 = uploaded.name[:200], sha256
        evaluation.third_party_file.save(name, uploaded, save=False)
    if panel is not None and panel.closed_at is None:
        panel.closed_at = now
        panel.save(update_fields=["closed_at"])
    consecutive = rules.revocation_due(grades_of(consortium) + [grade])[0]
    evaluation.content = {
        "consortium": {"name": consortium.name, "record_number": consortium.record_number or "", "lead_unit": consortium.lead_unit.name},
        "year": year, "grade": grade, "grade_label": Grade(grade).label, "basis": basis, "basis_label": EvaluationBasis(basis).label,
        "mean_score": _plain(evaluation.mean_score), "third_party_name": evaluation.third_party_name,
        "opinion": change.opinion, "decided_on": timezone.localdate(now).isoformat(),
        "consequence": CONSEQUENCES.get(grade, "") + ("本次为连续第 2 次评价为“不合格”。" if consecutive else ""),
    }
    evaluation.sha256 = digest(evaluation.content)
    evaluation.save()
    change.detail = f"{year} 年度绩效评价结果：{Grade(grade).label}" + (
        "（连续第 2 次“不合格”，将依规取消资格）" if consecutive else "")


def evaluate(consortium_id, actor, *, year, grade, basis, opinion, third_party=None, request=None):
    """§六（二）: municipal staff grade a filed consortium's year, with a written opinion.

    ``third_party``: the uploaded third-party evaluation report (checked like every upload), when that is the basis.
    """
    inspected = None
    if basis == EvaluationBasis.THIRD_PARTY and third_party is not None:
        inspected = (third_party, uploads.inspect(third_party))
    return workflow.transition(consortium_id, "evaluate", actor, opinion=opinion, request=request,
                               year=year, grade=grade, basis=basis, third_party=inspected)


@workflow.guard("revocation_due")
def _revocation_due(consortium, actor, params):
    ok, reason = rules.revocation_due(grades_of(consortium))
    return [] if ok else [reason]


@workflow.effect("ban_lead_unit")
def _ban_lead_unit(consortium, change, actor, params):
    """§六（二）: in the same transaction as the revocation, the lead unit is barred for 3 years from today;
    the decision is kept as printed on its notice."""
    starts_on, ends_on = rules.ban_period(timezone.localdate())
    ban = UnitBan.objects.create(
        unit=consortium.lead_unit, consortium=consortium, starts_on=starts_on, ends_on=ends_on, recorded_by=actor,
        reason=f"牵头的“{consortium.name}”连续 2 次评价为“不合格”被取消资格",
    )
    last_two = list(Evaluation.objects.filter(consortium=consortium).order_by("-decided_at", "-pk")[:2])[::-1]
    content = {
        "consortium": {"name": consortium.name, "record_number": consortium.record_number or "",
                       "filed_on": consortium.filed_on.isoformat(), "lead_unit": consortium.lead_unit.name},
        "grades": [{"year": e.year, "grade_label": e.get_grade_display(), "decided_on": timezone.localdate(e.decided_at).isoformat()}
                   for e in last_two],
        "opinion": change.opinion, "revoked_on": starts_on.isoformat(),
        "ban_starts_on": starts_on.isoformat(), "ban_ends_on": ends_on.isoformat(),
    }
    Revocation.objects.create(consortium=consortium, change=change, ban=ban, revoked_on=starts_on, content=content, sha256=digest(content))
    change.detail = (f"牵头单位{consortium.lead_unit.name}自{_date(starts_on)}起 3 年内不得牵头或参与创新联合体"
                     f"（{_date(ends_on)}起解除）")


def revoke(consortium_id, actor, opinion, *, request=None):
    """Staff confirm the revocation the portal proposes after two consecutive 不合格."""
    return workflow.transition(consortium_id, "revoke", actor, opinion=opinion, request=request)


# ---------------------------------------------------------------------------
# Bans recorded or lifted by hand: they concern a unit, not a consortium, so they are not workflow steps.
# ---------------------------------------------------------------------------


def _tell_unit(unit, subject, body):
    accounts = User.objects.filter(role=Role.APPLICANT, unit=unit, is_active=True).order_by("pk")
    notify.notify(accounts, subject, body, reverse("evaluations:unit", args=[unit.pk]))


def record_ban(actor, *, credit_code, unit_name, unit_kind, reason, starts_on, ends_on, request=None):
    """Staff bar a unit by hand (e.g. a sanction decided outside the portal), with a reason; audited and told."""
    _staff_only(actor, "记录限制牵头/参与")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写限制原因。"})
    ok, problem = rules.ban_dates_valid(starts_on, ends_on)
    if not ok:
        raise ValidationError({"ends_on": problem})
    with transaction.atomic():
        unit = application_services.registry_entry(credit_code, unit_name, unit_kind)
        ban = UnitBan.objects.create(unit=unit, starts_on=starts_on, ends_on=ends_on, reason=reason, recorded_by=actor)
        audit.record(AuditEvent.Action.BAN_RECORDED, request=request, actor=actor, target=f"单位 {unit.name}（{unit.credit_code}）",
                     detail=f"{_date(starts_on)}至{_date(ends_on)}前不得牵头或参与创新联合体；原因：{reason}")
        _tell_unit(unit, "限制牵头或参与创新联合体",
                   f"{unit.name}因{reason}，自{_date(starts_on)}起、{_date(ends_on)}前不得牵头或参与创新联合体。")
    return ban


def lift_ban(ban_id, actor, reason, *, today=None, request=None):
    """Lift a ban early, from today, with a reason; the record stays (audited and told)."""
    _staff_only(actor, "解除限制")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "解除限制须填写理由。"})
    today = today or timezone.localdate()
    with transaction.atomic():
        ban = UnitBan.objects.select_for_update(of=("self",)).select_related("unit").get(pk=ban_id)
        if ban.lifted_on is not None:
            raise ValidationError(f"该限制已于{_date(ban.lifted_on)}解除。")
        if ban.ends_on <= today:
            raise ValidationError(f"该限制已于{_date(ban.ends_on)}期满，无需解除。")
        ban.lifted_on, ban.lifted_by, ban.lift_reason = max(today, ban.starts_on), actor, reason
        ban.save(update_fields=["lifted_on", "lifted_by", "lift_reason"])
        audit.record(AuditEvent.Action.BAN_LIFTED, request=request, actor=actor, target=f"单位 {ban.unit.name}（{ban.unit.credit_code}）",
                     detail=f"解除“{ban.reason}”的限制（原定{_date(ban.ends_on)}起解除），自{_date(ban.lifted_on)}起解除；理由：{reason}")
        _tell_unit(ban.unit, "解除限制牵头或参与创新联合体",
                   f"市科技局已解除{ban.unit.name}因{ban.reason}而不得牵头或参与创新联合体的限制，自{_date(ban.lifted_on)}起生效。\n理由：{reason}")
    return ban


# ---------------------------------------------------------------------------
# Support projects (§五): recorded by municipal staff, caps held here, in the form and in the database.
# ---------------------------------------------------------------------------

PROJECT_FIELDS = ["name", "level", "kind", "amount", "starts_on", "ends_on", "status"]


def _check_project(data):
    ok, reason = rules.within_funding_cap(data["kind"], data["amount"])
    if not ok:
        raise ValidationError({"amount": reason})
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": "实施期结束日期不能早于开始日期。"})


def _describe_project(project):
    return (f"{project.name}（{project.get_level_display()}，{project.get_kind_display()}，{project.amount} 万元，"
            f"{_date(project.starts_on)}—{_date(project.ends_on)}，{project.get_status_display()}）")


def record_project(consortium_id, actor, data, *, request=None):
    _staff_only(actor, "登记承担项目")
    _check_project(data)
    with transaction.atomic():
        consortium = _filed_consortium(consortium_id, actor, lock=True)
        project = SupportProject.objects.create(consortium=consortium, recorded_by=actor, **{f: data[f] for f in PROJECT_FIELDS})
        audit.record(AuditEvent.Action.PROJECT_RECORDED, request=request, actor=actor, target=_target(consortium),
                     detail=_describe_project(project))
    return project


def change_project(project_id, actor, data, *, request=None):
    _staff_only(actor, "修改承担项目")
    _check_project(data)
    with transaction.atomic():
        project = SupportProject.objects.select_for_update(of=("self",)).select_related("consortium").get(pk=project_id)
        _filed_consortium(project.consortium_id, actor, lock=True)
        before = _describe_project(project)
        for name in PROJECT_FIELDS:
            setattr(project, name, data[name])
        project.save()
        audit.record(AuditEvent.Action.PROJECT_CHANGED, request=request, actor=actor, target=_target(project.consortium),
                     detail=f"{before} → {_describe_project(project)}")
    return project


def running_projects(consortium):
    return list(SupportProject.objects.filter(consortium=consortium, status=ProjectStatus.ONGOING).order_by("starts_on", "pk"))


# ---------------------------------------------------------------------------
# Member changes by 补充协议 (§六（三））.
# ---------------------------------------------------------------------------


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
    return MemberChange.objects.filter(consortium=consortium, status=RequestStatus.RECORDED).aggregate(last=Max("effective_on"))["last"]


def check_member_change(consortium, *, effective_on, removals, additions, statement, today=None):
    """The member list after a change, judged by the rules of the application (seed §三, §六（二）).

    ``removals``: memberships of the consortium; ``additions``: rows {unit_name, credit_code, unit_kind, …}.
    Absolute: a date not before the last change, the lead staying, members once each, no banned unit.
    原则上: enough members and a 高校院所, or a 情况说明.
    """
    today = today or timezone.localdate()
    check = MemberChangeCheck()
    ok, reason = rules.effective_date_valid(effective_on, consortium.filed_on, last_effective_on(consortium))
    if not ok:
        check.errors.append(("effective_on", reason))
    ok, reason = rules.change_not_empty(additions, removals)
    if not ok:
        check.errors.append((None, reason))
    ok, reason = rules.lead_stays([m.role for m in removals])
    if not ok:
        check.errors.append(("removals", reason))
    current = list(consortium.memberships.current(effective_on).select_related("unit"))
    current_ids = {m.pk for m in current}
    for membership in removals:
        if membership.pk not in current_ids or membership.left_on is not None:
            check.errors.append(("removals", f"{membership.unit_name}在生效日期已不是本联合体成员单位。"))
    staying = [m for m in current if m.pk not in {r.pk for r in removals}]
    open_codes = set(consortium.memberships.filter(left_on__isnull=True).values_list("unit__credit_code", flat=True))
    codes = [m.unit.credit_code for m in staying] + [row["credit_code"] for row in additions]
    bans = {}
    for ban in UnitBan.objects.filter(unit__credit_code__in=codes).select_related("unit").order_by("-ends_on"):
        if ban.in_force(effective_on) or ban.in_force(today):
            bans.setdefault(ban.unit.credit_code, ban)
    for index, row in enumerate(additions):
        ok, reason = application_rules.credit_code_valid(row["unit_name"], row["credit_code"])
        if not ok:
            check.errors.append((("additions", index), reason))
        elif row["credit_code"] in open_codes:
            check.errors.append((("additions", index), f"{row['unit_name']}已是本联合体成员单位。"))
        ok, reason = application_rules.not_banned(row["unit_name"], bans.get(row["credit_code"]))
        if not ok:
            check.errors.append((("additions", index), reason))
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


def _change_summary(effective_on, added_names, removed_names):
    parts = [f"生效日期：{_date(effective_on)}"]
    if added_names:
        parts.append("新增成员单位：" + "、".join(added_names))
    if removed_names:
        parts.append("退出成员单位：" + "、".join(removed_names))
    return "；".join(parts)


ADDITION_FIELDS = ["unit_name", "credit_code", "unit_kind", "task_division", "duties", "sales_revenue", "rd_spend"]


def request_member_change(consortium_id, actor, *, effective_on, description, removals, additions, statement,
                          all_agreed, agreement, request=None):
    """The lead asks the city to record a change of members, with the 补充协议 signed by all members.

    ``removals``: ids of memberships; ``additions``: rows as the 申请书 declares members; ``agreement``: the upload.
    """
    if not all_agreed:
        raise ValidationError({"all_agreed": "须确认全体成员单位已同意本次变更并签署补充协议。"})
    inspected = uploads.inspect(agreement)
    return workflow.transition(
        consortium_id, "request_member_change", actor, opinion=description, request=request,
        effective_on=effective_on, removals=list(removals), additions=list(additions), statement=(statement or "").strip(),
        agreement=(agreement, inspected),
    )


def _proposed(consortium, params):
    removals = list(consortium.memberships.filter(pk__in=params.get("removals", [])).select_related("unit"))
    if len(removals) != len(set(params.get("removals", []))):
        return None, ["所选退出单位不是本联合体的成员单位。"]
    return removals, []


@workflow.guard("member_change_allowed")
def _member_change_allowed(consortium, actor, params):
    if MemberChange.objects.filter(consortium=consortium, status=RequestStatus.PENDING).exists():
        return ["已有一项成员变更等待市科技局办理，请待其办理完毕后再申请。"]
    if not params.get("agreement"):
        return ["请上传全体成员单位签署的补充协议。"]
    removals, problems = _proposed(consortium, params)
    if problems:
        return problems
    check = check_member_change(consortium, effective_on=params["effective_on"], removals=removals,
                                additions=params.get("additions", []), statement=params.get("statement", ""))
    return check.messages()


@workflow.effect("record_member_change_request")
def _record_member_change_request(consortium, change, actor, params):
    removals, _ = _proposed(consortium, params)
    uploaded, inspected = params["agreement"]
    attachment = application_services.store_attachment(
        consortium, actor, unit=consortium.lead_unit, kind=AttachmentKind.SUPPLEMENTARY_AGREEMENT,
        title=f"补充协议（{_date(params['effective_on'])}生效）", uploaded=uploaded, inspected=inspected,
    )
    check = check_member_change(consortium, effective_on=params["effective_on"], removals=removals,
                                additions=params["additions"], statement=params["statement"])
    member_change = MemberChange.objects.create(
        consortium=consortium, effective_on=params["effective_on"], description=change.opinion,
        shortfall_statement=params["statement"] if check.shortfalls else "", shortfalls=check.shortfalls,
        all_agreed=True, agreement=attachment, requested_by=actor,
    )
    MemberChangeItem.objects.bulk_create(
        [MemberChangeItem(change=member_change, action=ChangeAction.REMOVE, position=i, membership=m, unit_name=m.unit_name,
                          credit_code=m.unit.credit_code, unit_kind=m.unit_kind) for i, m in enumerate(removals, 1)]
        + [MemberChangeItem(change=member_change, action=ChangeAction.ADD, position=i, **{f: row.get(f) for f in ADDITION_FIELDS})
           for i, row in enumerate(params["additions"], 1)]
    )
    change.detail = "拟" + _change_summary(params["effective_on"], [r["unit_name"] for r in params["additions"]],
                                          [m.unit_name for m in removals])


def pending_member_change(consortium):
    return MemberChange.objects.filter(consortium=consortium, status=RequestStatus.PENDING).first()


def check_recorded_change(member_change):
    """The pending change judged again as it stands now (members and bans may have changed since it was asked)."""
    items = list(member_change.items.select_related("membership__unit"))
    return check_member_change(
        member_change.consortium, effective_on=member_change.effective_on,
        removals=[item.membership for item in items if item.action == ChangeAction.REMOVE],
        additions=[{f: getattr(item, f) for f in ADDITION_FIELDS} for item in items if item.action == ChangeAction.ADD],
        statement=member_change.shortfall_statement,
    )


@workflow.guard("member_change_pending")
def _member_change_pending(consortium, actor, params):
    return [] if pending_member_change(consortium) else ["没有待办理的成员变更。"]


@workflow.guard("member_change_still_valid")
def _member_change_still_valid(consortium, actor, params):
    member_change = pending_member_change(consortium)
    if member_change is None:
        return ["没有待办理的成员变更。"]
    return check_recorded_change(member_change).messages()


@workflow.effect("apply_member_change")
def _apply_member_change(consortium, change, actor, params):
    """备案: removed members leave and added ones join on the effective date; the registry is only added to."""
    member_change = MemberChange.objects.select_for_update().get(consortium=consortium, status=RequestStatus.PENDING)
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
    member_change.status, member_change.decided_by, member_change.decided_at = RequestStatus.RECORDED, actor, timezone.now()
    member_change.opinion = change.opinion
    member_change.save()
    change.detail = _change_summary(effective_on, added, removed)


@workflow.effect("return_member_change")
def _return_member_change(consortium, change, actor, params):
    member_change = MemberChange.objects.select_for_update().get(consortium=consortium, status=RequestStatus.PENDING)
    member_change.status, member_change.decided_by, member_change.decided_at = RequestStatus.RETURNED, actor, timezone.now()
    member_change.opinion = change.opinion
    member_change.save()
    change.detail = "退回的变更：" + _change_summary(
        member_change.effective_on, *[[i.unit_name for i in member_change.items.all() if i.action == action]
                                      for action in (ChangeAction.ADD, ChangeAction.REMOVE)])


def decide_member_change(consortium_id, actor, action, opinion, *, request=None):
    """备案 (record_member_change) or return (return_member_change, with an opinion)."""
    if action not in ("record_member_change", "return_member_change"):
        raise ValidationError("未知的办理结论。")
    return workflow.transition(consortium_id, action, actor, opinion=opinion, request=request)


# ---------------------------------------------------------------------------
# Dissolution (§六（三））: asked by the lead, recorded by the city, never while a project is 在研.
# ---------------------------------------------------------------------------


@workflow.guard("no_active_projects")
def _no_active_projects(consortium, actor, params):
    ok, reason = rules.no_project_running(running_projects(consortium))
    return [] if ok else [reason]


def pending_dissolution(consortium):
    return DissolutionRequest.objects.filter(consortium=consortium, status=RequestStatus.PENDING).first()


@workflow.guard("no_dissolution_request_pending")
def _no_dissolution_request_pending(consortium, actor, params):
    return ["已有一项解散申请等待市科技局办理。"] if pending_dissolution(consortium) else []


@workflow.guard("dissolution_requested")
def _dissolution_requested(consortium, actor, params):
    return [] if pending_dissolution(consortium) else ["牵头单位尚未提出解散申请。"]


@workflow.effect("record_dissolution_request")
def _record_dissolution_request(consortium, change, actor, params):
    DissolutionRequest.objects.create(consortium=consortium, reason=change.opinion, requested_by=actor)


@workflow.effect("return_dissolution_request")
def _return_dissolution_request(consortium, change, actor, params):
    DissolutionRequest.objects.filter(consortium=consortium, status=RequestStatus.PENDING).update(
        status=RequestStatus.RETURNED, decided_by=actor, decided_at=timezone.now(), opinion=change.opinion,
    )


@workflow.effect("record_dissolution")
def _record_dissolution(consortium, change, actor, params):
    """The lead's pending request is recorded with the city's opinion; the lead is free to lead again (no ban)."""
    DissolutionRequest.objects.filter(consortium=consortium, status=RequestStatus.PENDING).update(
        status=RequestStatus.RECORDED, decided_by=actor, decided_at=timezone.now(), opinion=change.opinion,
    )
    LiaisonAssignment.objects.filter(consortium=consortium, ended_at__isnull=True).update(ended_at=timezone.now())


def request_dissolution(consortium_id, actor, reason, *, request=None):
    return workflow.transition(consortium_id, "request_dissolution", actor, opinion=reason, request=request)


def decide_dissolution(consortium_id, actor, action, opinion, *, request=None):
    """解散 (dissolve) or return the request (return_dissolution), each with an opinion."""
    if action not in ("dissolve", "return_dissolution"):
        raise ValidationError("未知的办理结论。")
    return workflow.transition(consortium_id, action, actor, opinion=opinion, request=request)


# ---------------------------------------------------------------------------
# 科技联络员 (§六（一））.
# ---------------------------------------------------------------------------


def current_liaison(consortium):
    return LiaisonAssignment.objects.current().filter(consortium=consortium).select_related("officer").first()


@workflow.guard("liaison_eligible")
def _liaison_eligible(consortium, actor, params):
    officer = params.get("officer")
    if officer is None or officer.role != Role.MUNICIPAL_STAFF or not officer.is_active:
        return ["科技联络员须为市科技局业务处室在职人员。"]
    current = current_liaison(consortium)
    if current is not None and current.officer_id == officer.pk:
        return [f"{officer.display_name}已是该联合体的科技联络员。"]
    return []


@workflow.effect("assign_liaison")
def _assign_liaison(consortium, change, actor, params):
    officer = params["officer"]
    now = timezone.now()
    previous = current_liaison(consortium)
    LiaisonAssignment.objects.filter(consortium=consortium, ended_at__isnull=True).update(ended_at=now)
    LiaisonAssignment.objects.create(consortium=consortium, officer=officer, assigned_by=actor)
    contact = f"（{officer.phone}）" if officer.phone else ""
    change.detail = f"科技联络员：{officer.display_name}{contact}" + (f"（接替{previous.officer.display_name}）" if previous else "")
    notify.notify([officer], f"选派为科技联络员：{consortium.name}",
                  f"市科技局选派您为“{consortium.name}”的科技联络员，请定期了解其工作进展并做好联系指导。",
                  reverse("evaluations:consortium", args=[consortium.pk]))


def assign_liaison(consortium_id, actor, officer, *, note="", request=None):
    return workflow.transition(consortium_id, "assign_liaison", actor, opinion=note, request=request, officer=officer)

