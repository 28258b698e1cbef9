"""年度运行情况总结和下一年度工作计划 (§六（三））: written by the lead, 暂存 at any time, frozen on submission."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from applications.dossier import verification
from evaluations import audit_actions as evaluations_actions
from evaluations.choices import Reminder
from evaluations.models import AnnualReport, ReportReminder
from evaluations.reports import services as reports_services
from operations.text import digest
from tests import factories
from tests.evaluations.helpers import filed, fixed_today, report_post, this_year
from tests.lifecycle import report_data, submit_report

pytestmark = pytest.mark.django_db


def test_a_new_report_is_prefilled_from_last_years_and_shows_last_years_figures_beside(client):
    year = this_year()
    cast = filed(filed_in=year - 1)
    submit_report(cast.consortium, cast.applicant, year - 1, patents_applied=30, summary="去年的总结")
    client.force_login(cast.applicant)
    response = client.post(reverse("evaluations:report_start", args=[cast.consortium.pk, year]))
    assert response.status_code == 302
    report = AnnualReport.objects.get(consortium=cast.consortium, year=year)
    assert (report.patents_applied, report.summary, report.rd_spend_lead) == (30, "去年的总结", Decimal("100.00"))
    page = client.get(reverse("evaluations:report", args=[cast.consortium.pk, year])).content.decode()
    assert 'data-previous-of="patents_applied" data-value="30"' in page
    assert 'value="30"' in page  # pre-filled, to be updated


def test_the_lead_saves_at_any_time_and_invalid_input_is_kept_as_typed_with_the_message_beside(client):
    year = this_year()
    cast = filed()
    report = reports_services.start_report(cast.consortium.pk, cast.applicant, year)
    client.force_login(cast.applicant)
    url = reverse("evaluations:report", args=[cast.consortium.pk, year])
    body = report_post(report, patents_applied="5", invention_patents_applied="9", rd_spend_lead="-3", summary="写了一半的总结")
    response = client.post(url, body)
    page = response.content.decode()
    assert "有 2 处需要改正" in page
    assert "发明专利不能多于申请专利总数。" in page
    assert "金额不能为负数。" in page
    report.refresh_from_db()
    assert report.summary == "" and report.pending_input["summary"] == ["写了一半的总结"]
    # Shown again, as typed, the next time the page is opened; nothing lost.
    again = client.get(url).content.decode()
    assert "写了一半的总结" in again and 'value="-3"' in again and "金额不能为负数。" in again
    # Submitting is refused while that input waits.
    response = client.post(reverse("evaluations:report_submit", args=[cast.consortium.pk, year]), follow=True)
    assert "有暂存但未通过校验的内容" in response.content.decode()
    assert not AnnualReport.objects.get(pk=report.pk).is_submitted
    # Corrected and saved: stored, the kept input dropped.
    client.post(url, report_post(report, summary="完整的总结"))
    report.refresh_from_db()
    assert (report.summary, report.pending_input, report.lock_version) == ("完整的总结", None, 2)
    assert AuditEvent.objects.filter(action=evaluations_actions.REPORT_SAVED, actor=cast.applicant).count() == 1


def test_a_field_marked_invalid_on_one_page_is_not_marked_on_the_next(client):
    """crispy's |as_crispy_field marks an invalid text on its widget: each form must draw its own widgets (a form whose
    fields were shared between pages, operations.forms.shared_fields, would carry the mark to the next one)."""
    year = this_year()
    cast = filed()
    report = reports_services.start_report(cast.consortium.pk, cast.applicant, year)
    client.force_login(cast.applicant)
    url = reverse("evaluations:report", args=[cast.consortium.pk, year])

    def summary_box(page):
        return re.search(r'<textarea name="summary"[^>]*>', page).group(0)

    refused = client.post(url, report_post(report, summary="长" * 20001)).content.decode()
    assert "is-invalid" in summary_box(refused) and "“年度运行情况总结”最多 20000 字（当前 20001 字）。" in refused
    client.post(url, report_post(report, summary="完整的总结"))
    assert "is-invalid" not in summary_box(client.get(url).content.decode())


def test_a_stale_save_is_refused_naming_who_saved_when_and_keeps_what_was_typed(client):
    year = this_year()
    cast = filed()
    colleague = factories.user(Role.APPLICANT, unit=cast.applicant.unit, full_name="王同事")
    report = reports_services.start_report(cast.consortium.pk, cast.applicant, year)
    loaded = report.lock_version
    reports_services.save_report(report.pk, colleague, loaded, report_data(report, summary="同事的版本"))
    client.force_login(cast.applicant)
    response = client.post(reverse("evaluations:report", args=[cast.consortium.pk, year]),
                           report_post(report, lock_version=loaded, summary="我的版本"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "王同事于" in page and "保存了本年度报告" in page and "本次保存未生效" in page
    assert "我的版本" in page
    report.refresh_from_db()
    assert report.summary == "同事的版本" and report.updated_by == colleague


def test_submitting_needs_everything_then_freezes_the_report(client):
    year = this_year()
    cast = filed()
    report = reports_services.start_report(cast.consortium.pk, cast.applicant, year)
    client.force_login(cast.applicant)
    submit_url = reverse("evaluations:report_submit", args=[cast.consortium.pk, year])
    refused = client.post(submit_url, follow=True).content.decode()
    assert "以下内容尚未填写，不能报送：牵头单位研发投入（万元）" in refused
    client.post(reverse("evaluations:report", args=[cast.consortium.pk, year]), report_post(report, summary="第一稿总结"))
    response = client.post(submit_url, follow=True)
    assert "已报送，报送后不能再修改" in response.content.decode()
    report.refresh_from_db()
    assert report.is_submitted and report.content["summary"] == "第一稿总结" and len(report.sha256) == 64
    assert report.sha256 == digest(report.content)
    # Frozen: the editor is gone, a save is refused, the page shows what was submitted.
    with pytest.raises(Exception) as refused_save:
        reports_services.save_report(report.pk, cast.applicant, None, {})
    assert str(refused_save.value.messages[0]) == "该年度报告已报送，不能再修改。"
    AnnualReport.objects.filter(pk=report.pk).update(summary="数据库里被改动的总结")
    page = client.get(reverse("evaluations:report", args=[cast.consortium.pk, year])).content.decode()
    assert "第一稿总结" in page and "数据库里被改动的总结" not in page and 'name="summary"' not in page
    assert AuditEvent.objects.filter(action=evaluations_actions.REPORT_SUBMITTED).count() == 1


def test_a_report_being_written_is_the_leads_alone(client):
    year = this_year()
    cast = filed()
    reports_services.start_report(cast.consortium.pk, cast.applicant, year)
    url = reverse("evaluations:report", args=[cast.consortium.pk, year])
    client.force_login(cast.city)
    assert client.get(url).status_code == 404
    client.force_login(factories.user(Role.APPLICANT))
    assert client.get(url).status_code == 404
    assert client.post(reverse("evaluations:report_submit", args=[cast.consortium.pk, year])).status_code == 404


@pytest.mark.slow  # renders a PDF or starts a process
def test_the_printed_report_has_a_cover_page_numbers_and_its_verification_code_on_every_page(client):
    year = this_year()
    cast = filed()
    report = submit_report(cast.consortium, cast.applicant, year, summary="联合攻关取得突破")
    client.force_login(cast.city)
    response = client.get(reverse("evaluations:report_pdf", args=[cast.consortium.pk, year]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.getvalue())).pages]
    code = verification.code_for(report.sha256)
    assert len(pages) >= 2
    assert all(code in text for text in pages)
    assert "年度运行情况总结" in pages[0] and cast.consortium.name in pages[0] and "— 1 —" not in pages[0]
    assert "— 1 —" in pages[1] and "联合攻关取得突破" in "".join(pages)
    # The public verify page knows the paper.
    verify = client.get(reverse("dossier:verify", args=[code]))
    assert verify.status_code == 200
    assert f"{year} 年度运行情况总结和下一年度工作计划" in verify.content.decode()


# --- Reminders ------------------------------------------------------------------------------


def test_reminders_are_sent_once_per_threshold_and_not_again_on_the_next_run(monkeypatch, django_capture_on_commit_callbacks):
    cast = filed(filed_in=2026)
    other_lead_account = factories.user(Role.APPLICANT, unit=cast.applicant.unit)

    def run(day):
        fixed_today(monkeypatch, day)
        with django_capture_on_commit_callbacks(execute=True):
            return reports_services.send_due_reminders()

    assert run(date(2026, 11, 30)) == 0
    assert run(date(2026, 12, 1)) == 1
    assert run(date(2026, 12, 1)) == 0  # the same day again
    assert run(date(2026, 12, 2)) == 0  # the same threshold, a day later
    assert run(date(2026, 12, 24)) == 1
    assert run(date(2027, 1, 1)) == 1
    assert run(date(2027, 1, 1)) == 0
    assert list(ReportReminder.objects.filter(consortium=cast.consortium).order_by("pk").values_list("year", "reminder")) == [
        (2026, Reminder.BEFORE_30), (2026, Reminder.BEFORE_7), (2026, Reminder.OVERDUE)]
    titles = list(Notification.objects.filter(recipient=other_lead_account).values_list("body", flat=True))
    assert len(titles) == 3
    assert "距报送截止日期（2026年12月31日）还有 31 天" in titles[-1]
    assert "已超过报送截止日期（2026年12月31日），尚未报送" in titles[0]
    assert not Notification.objects.filter(recipient=cast.city, title__startswith="年度报告提醒").exists()


def test_no_reminder_once_the_report_is_submitted_and_the_command_can_run_twice(monkeypatch):
    cast = filed(filed_in=2026)
    fixed_today(monkeypatch, date(2026, 12, 20))
    submit_report(cast.consortium, cast.applicant, 2026)
    out = io.StringIO()
    call_command("send_report_reminders", stdout=out)
    call_command("send_report_reminders", "--date", "2026-12-24", stdout=out)
    assert out.getvalue() == "已发送年度报告提醒 0 条。\n已发送年度报告提醒 0 条。\n"
    assert not ReportReminder.objects.exists()


def test_the_reminder_command_sends_for_the_day_it_is_given():
    cast = filed(filed_in=2025)
    out = io.StringIO()
    call_command("send_report_reminders", "--date", "2025-12-24", stdout=out)
    call_command("send_report_reminders", "--date", "2025-12-24", stdout=out)
    assert out.getvalue() == "已发送年度报告提醒 1 条。\n已发送年度报告提醒 0 条。\n"
    assert ReportReminder.objects.get().consortium == cast.consortium


# --- Overdue -------------------------------------------------------------------------------------


def test_an_overdue_report_is_flagged_in_lists_dashboards_and_on_the_consortium_page(client):
    year = this_year()
    cast = filed(filed_in=year - 1)
    flag = f"{year - 1} 年度报告逾期"
    client.force_login(cast.applicant)
    assert flag in client.get(reverse("dashboards:applicant")).content.decode()
    assert f"{year - 1} 年度报告已逾期未报送" in client.get(reverse("dashboards:applicant")).content.decode()
    assert f"{year - 1} 年度报告逾期未报送" in client.get(reverse("applications:detail", args=[cast.consortium.pk])).content.decode()
    client.force_login(cast.city)
    assert flag in client.get(reverse("evaluations:index")).content.decode()
    assert flag in client.get(reverse("evaluations:index") + "?show=overdue").content.decode()
    dashboard = client.get(reverse("dashboards:municipal")).content.decode()
    assert 'data-count="overdue"><div class="stat text-danger">1</div>' in dashboard
    client.force_login(cast.district)
    assert flag in client.get(reverse("reviews:district_queue") + "?status=filed").content.decode()
    # Submitted (late), it is no longer flagged, and shows as late.
    submit_report(cast.consortium, cast.applicant, year - 1)
    client.force_login(cast.city)
    assert flag not in client.get(reverse("evaluations:index")).content.decode()
    assert "逾期报送" in client.get(reverse("evaluations:report", args=[cast.consortium.pk, year - 1])).content.decode()


@pytest.mark.parametrize("year", [1, 99999, 2100])
def test_a_year_no_report_can_have_is_not_found(client, year):
    cast = filed()
    for user in (cast.applicant, cast.city):
        client.force_login(user)
        assert client.get(reverse("evaluations:report", args=[cast.consortium.pk, year])).status_code == 404
        assert client.get(reverse("evaluations:report_pdf", args=[cast.consortium.pk, year])).status_code == 404
    assert client.get(reverse("evaluations:grade", args=[cast.consortium.pk, year])).status_code == 404
    client.force_login(cast.applicant)
    assert client.post(reverse("evaluations:report_start", args=[cast.consortium.pk, year])).status_code == 404
