"""Use cases of the annual report; each opens its own transaction and is the only writer of what it changes."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import audit, notify
from accounts.roles import Role
from applications import workflow
from applications.choices import Status
from applications.models import Consortium, users_who_see
from applications.services import StaleEdit
from evaluations import audit_actions as evaluations_actions
from operations import clock
from operations.prepared import Prepared
from operations.text import chinese_date, digest

from .. import common, rules
from ..choices import FIGURE_GROUPS, FIGURES, REPORT_TEXTS, Reminder, TargetState
from ..models import AnnualReport, LiaisonAssignment, ReportReminder

_date = rules.chinese_date


def filed_targets(consortium, year):
    """The yearly targets of ``year`` as the filed 建设方案 states them (the frozen version's content)."""
    version = consortium.application.versions.order_by("-number").first()
    targets = version.content.get("targets", []) if version else []
    return [target for target in targets if target.get("year") == year]


def previous_report(consortium, year):
    """The report of the year before, if submitted: the figures a report is compared with."""
    return next(iter(_SUBMITTED_REPORT(consortium.pk, year - 1)), None)


_SUBMITTED_REPORT = Prepared(lambda consortium, year: AnnualReport.objects.filter(
    consortium_id=consortium, year=year, submitted_at__isnull=False).order_by("pk")[:1])


def start_report(consortium_id, actor, year, *, today=None, request=None):
    """The report of a year, opened by the lead: pre-filled from its latest submitted report of an earlier year."""
    today = today or clock.today()
    if actor.role != Role.APPLICANT:
        raise PermissionDenied("只有牵头单位可以填报年度报告。")
    with transaction.atomic():
        consortium = common.filed_consortium(consortium_id, actor, lock=True)
        existing = AnnualReport.objects.filter(consortium=consortium, year=year).first()
        if existing is not None:
            return existing
        ok, reason = rules.may_write_report(year, consortium.filed_on, today)
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
            raise StaleEdit(report.updated_by and report.updated_by.display_name, report.updated_at, "本年度报告")
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
        audit.record(evaluations_actions.REPORT_SAVED, request=request, actor=actor, target=common.target(report.consortium),
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
                "field": name, "label": str(fields[name].verbose_name), "value": common.plain(value), "previous": common.plain(before),
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
        "submitted_at": clock.localtime(submitted_at).isoformat(timespec="minutes"),
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
        now = clock.now()
        report.content = report_content(report, actor, now)
        report.sha256 = digest(report.content)
        report.submitted_at, report.submitted_by = now, actor
        report.save()
        consortium = report.consortium
        late = clock.localdate(now) > rules.report_due_on(report.year)
        audit.record(evaluations_actions.REPORT_SUBMITTED, request=request, actor=actor, target=common.target(consortium),
                     detail=f"报送 {report.year} 年度报告{'（逾期）' if late else ''}（SHA-256 {report.sha256}）")
        liaison = LiaisonAssignment.objects.current().filter(consortium=consortium).select_related("officer").first()
        if liaison is not None:
            notify.notify([liaison.officer], f"年度报告已报送：{consortium.name}",
                          f"您联系的“{consortium.name}”已报送 {report.year} 年度运行情况总结和下一年度工作计划。"
                          f"请在 {report.year} 年度绩效评价前填写科技联络员意见（选填），供市科技局参考。",
                          reverse("evaluations:grade", args=[consortium.pk, report.year]))
        # §六（一）: the district of the lead unit follows its filed consortia too.
        notify.notify(users_who_see(consortium, Role.DISTRICT_REVIEWER), f"年度报告已报送：{consortium.name}",
                      f"{consortium.lead_unit.name}牵头的“{consortium.name}”已{'逾期' if late else ''}报送 {report.year} 年度运行情况总结和下一年度工作计划。",
                      reverse("evaluations:report", args=[consortium.pk, report.year]))
    return report


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
    today = today or clock.today()
    sent = 0
    for year in (today.year - 1, today.year):
        reminder = rules.reminder_due(year, today)
        if reminder is None:
            continue
        consortia = Consortium.objects.filter(status=Status.FILED, filed_on__lt=date(year, *rules.first_year_cutoff())).select_related("lead_unit")
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
            body = REMINDER_TEXT[reminder].format(due=chinese_date(due), days=(due - today).days + 1, name=consortium.name, year=year)
            notify.notify(users_who_see(consortium, Role.APPLICANT), f"年度报告提醒：{consortium.name}{year} 年度", body,
                          reverse("evaluations:report", args=[consortium.pk, year]))
            if reminder == Reminder.OVERDUE:
                notify.notify(users_who_see(consortium, Role.DISTRICT_REVIEWER), f"年度报告逾期未报送：{consortium.name}{year} 年度",
                              f"{consortium.lead_unit.name}牵头的“{consortium.name}”{year} 年度运行情况总结和下一年度工作计划已超过报送截止日期"
                              f"（{chinese_date(due)}），尚未报送。", reverse("evaluations:report", args=[consortium.pk, year]))
    except IntegrityError:  # another run recorded it first
        return False
    return True
