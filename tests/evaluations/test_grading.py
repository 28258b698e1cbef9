"""绩效评价 (§六（二）): 优秀 / 合格 / 不合格 on the annual report and experts' scores or a third party's report,
and what follows: the recommendation list, revocation after two consecutive 不合格 and the 3-year ban."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from applications import services as application_services
from applications import workflow
from applications.choices import Status
from applications.dossier import verification
from applications.models import StatusChange, UnitBan
from evaluations.grading import selectors as grading_selectors
from evaluations.grading import services as grading_services
from evaluations.models import Evaluation, EvaluationCriterion, PanelAssignment, Revocation
from evaluations.sanctions import services as sanctions_services
from operations.text import digest
from tests import factories
from tests.applications.intake_helpers import member_post, member_row, pdf_bytes, upload
from tests.evaluations.helpers import filed, fixed_today, this_year
from tests.lifecycle import complete_application, submit_report

pytestmark = pytest.mark.django_db


NOT_DUE = "只有连续 2 次评价为“不合格”（按评价年度相邻的两次评价）的创新联合体才能取消资格。"


def grade_page(cast, year):
    return reverse("evaluations:grade", args=[cast.consortium.pk, year])


def test_staff_grade_on_a_third_party_report_and_the_lead_reads_the_grade(client, django_capture_on_commit_callbacks):
    year = this_year()
    cast = filed()
    submit_report(cast.consortium, cast.applicant, year)
    client.force_login(cast.city)
    # An upload that is not a PDF/JPG/PNG is refused beside its field, and nothing is graded.
    refused = client.post(grade_page(cast, year), {
        "grade": "excellent", "basis": "third_party", "opinion": "成效显著", "third_party_institution": "江苏省科技评估中心",
        "third_party_file": upload("评价报告.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    })
    assert refused.status_code == 200
    assert "只接受 PDF、JPG、PNG 文件" in refused.content.decode()
    assert not Evaluation.objects.exists()
    missing = client.post(grade_page(cast, year), {"grade": "excellent", "basis": "third_party", "opinion": "成效显著"}).content.decode()
    assert "以第三方评价报告为依据的，须上传第三方评价报告。" in missing and "请填写出具评价报告的第三方机构名称。" in missing
    assert "成效显著" in missing  # what was typed stays
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(grade_page(cast, year), {
            "grade": "excellent", "basis": "third_party", "opinion": "年度目标全面完成，评价为优秀。",
            "third_party_institution": "江苏省科技评估中心", "third_party_report_number": "苏科评〔2026〕18号",
            "third_party_file": upload("第三方评价报告.pdf", pdf_bytes(), "application/pdf"),
        })
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.year, evaluation.grade, evaluation.basis, evaluation.third_party_name, evaluation.third_party_institution) == (
        year, "excellent", "third_party", "第三方评价报告.pdf", "江苏省科技评估中心")
    assert (evaluation.content["third_party_institution"], evaluation.content["third_party_report_number"]) == (
        "江苏省科技评估中心", "苏科评〔2026〕18号")
    # The timeline, the audit log and the lead's message say the grade.
    change = StatusChange.objects.filter(consortium=cast.consortium).last()
    assert (change.action, change.detail, change.opinion) == ("evaluate", f"{year} 年度绩效评价结果：优秀", "年度目标全面完成，评价为优秀。")
    assert AuditEvent.objects.filter(action="status_change").first().detail == (
        f"绩效评价：已备案；{year} 年度绩效评价结果：优秀；意见：年度目标全面完成，评价为优秀。")
    message = Notification.objects.get(recipient=cast.applicant, title=f"绩效评价结果：{cast.consortium.name}")
    assert f"{year} 年度绩效评价结果：优秀" in message.body and "评价意见：年度目标全面完成，评价为优秀。" in message.body
    # The third party's report stays with the grade, for those who see the consortium.
    download = client.get(reverse("evaluations:third_party_report", args=[cast.consortium.pk, evaluation.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    client.force_login(factories.user(Role.APPLICANT))
    assert client.get(reverse("evaluations:third_party_report", args=[cast.consortium.pk, evaluation.pk])).status_code == 404
    # The consortium page shows the grade history; 优秀 puts it on the recommendation list.
    client.force_login(cast.applicant)
    page = client.get(reverse("applications:detail", args=[cast.consortium.pk])).content.decode()
    assert f'data-evaluation="{year}"' in page and 'data-grade="excellent"' in page and "data-recommended" in page
    client.force_login(cast.city)
    listed = client.get(reverse("evaluations:recommended")).content.decode()
    assert f'data-consortium="{cast.consortium.pk}"' in listed


@pytest.mark.slow  # renders a PDF or starts a process
def test_the_grading_notice_prints_from_its_frozen_content_with_a_verification_code(client):
    year = this_year()
    cast = filed()
    cast.take("evaluate", year=year, grade="unqualified", opinion="目标完成率不足一半。")
    evaluation = Evaluation.objects.get()
    client.force_login(cast.applicant)
    response = client.get(reverse("evaluations:grading_notice", args=[cast.consortium.pk, evaluation.pk]))
    reader = PdfReader(io.BytesIO(response.getvalue()))
    text = "".join(reader.pages[0].extract_text().split())  # letter-spaced titles
    assert len(reader.pages) == 1
    assert "绩效评价结果通知" in text and "不合格" in text and "目标完成率不足一半。" in text
    assert "江苏省科技评估中心" in text and "第三方评价报告.pdf" not in text  # the evaluator, not a file name
    assert verification.code_for(evaluation.sha256) in text
    assert evaluation.sha256 == digest(evaluation.content)
    assert "绩效评价结果通知" in client.get(reverse("dossier:verify", args=[verification.code_for(evaluation.sha256)])).content.decode()


def test_a_year_is_graded_on_its_report_or_once_it_is_overdue_never_before():
    year = this_year()
    cast = filed()
    with pytest.raises(workflow.TransitionError) as refused:
        grading_services.evaluate(cast.consortium.pk, cast.city, year=year, grade="qualified", basis="third_party", opinion="意见",
                                  third_party=upload("评价.pdf", pdf_bytes(), "application/pdf"), institution="江苏省科技评估中心")
    assert refused.value.reasons == [f"{year} 年度报告尚未报送，且未过报送截止日期（{year}年12月31日），暂不能评价。"]
    assert not Evaluation.objects.exists()


def test_staff_cannot_grade_alone_a_year_whose_report_never_came(client):
    """§六（二） names two methods, experts and a third party; "逾期未报送" is what they are told, not a basis."""
    year = this_year()
    cast = filed(filed_in=year - 2)
    with pytest.raises(workflow.TransitionError) as refused:
        grading_services.evaluate(cast.consortium.pk, cast.city, year=year - 1, grade="unqualified", basis="no_report", opinion="未报送")
    assert refused.value.reasons == ["请选择评价依据（专家评分或第三方评价报告）。"]
    client.force_login(cast.city)
    form = client.get(grade_page(cast, year - 1)).content.decode()
    assert 'value="no_report"' not in form and 'value="experts"' in form and 'value="third_party"' in form
    posted = client.post(grade_page(cast, year - 1), {"grade": "unqualified", "basis": "no_report", "opinion": "未报送年度报告。"})
    assert posted.status_code == 200 and "请选择评价依据（专家评分或第三方评价报告）。" in posted.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.slow  # renders a PDF or starts a process
def test_a_year_whose_report_never_came_goes_to_the_experts_or_a_third_party_who_are_told_so(client, django_capture_on_commit_callbacks):
    """Otherwise a consortium could escape its second 不合格 by not reporting: the year is judged like any other."""
    year = this_year()
    cast = filed(filed_in=year - 2)
    client.force_login(cast.city)
    page = client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).content.decode()
    assert page.count("绩效评价（逾期未报送）") == 2  # the two years past their 12-31
    assert client.get(grade_page(cast, year)).status_code == 404  # this year's report is not due yet
    form = client.get(grade_page(cast, year - 2)).content.decode()
    assert f"{year - 2} 年度运行情况总结和下一年度工作计划应于 {year - 2}年12月31日 前报送，至今未报送（逾期未报送）。" in form
    # The experts score the year, told that its report never came.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evaluations:open_panel", args=[cast.consortium.pk, year - 2]), {"experts": [cast.expert.pk]})
    task = PanelAssignment.objects.get()
    assert task.panel.report is None and task.panel.year == year - 2
    assert "逾期未报送" in Notification.objects.get(recipient=cast.expert).body
    client.force_login(cast.expert)
    expert_page = client.get(reverse("evaluations:assignment", args=[task.pk])).content.decode()
    assert "data-no-report" in expert_page and f"{year - 2} 年度运行情况总结和下一年度工作计划应于 {year - 2}年12月31日 前报送" in expert_page
    criteria = list(EvaluationCriterion.objects.filter(is_active=True))
    client.post(reverse("evaluations:assignment", args=[task.pk]), {**{f"c{c.pk}": "40" for c in criteria}, "comment": "未报送年度报告"})
    client.force_login(cast.city)
    assert client.post(grade_page(cast, year - 2), {"grade": "unqualified", "basis": "experts", "opinion": "未报送年度报告。"}).status_code == 302
    evaluation = Evaluation.objects.get(year=year - 2)
    assert (evaluation.grade, evaluation.basis, evaluation.report, evaluation.content["overdue_report"]) == ("unqualified", "experts", None, True)
    notice = client.get(reverse("evaluations:grading_notice", args=[cast.consortium.pk, evaluation.pk]))
    text = "".join(PdfReader(io.BytesIO(notice.getvalue())).pages[0].extract_text().split())
    assert "年度报告逾期未报送年度报告" in text and "专家评分" in text and "不合格" in text
    # The next year, by a third party: two 不合格 in a row, and the portal proposes revocation.
    grading_services.evaluate(cast.consortium.pk, cast.city, year=year - 1, grade="unqualified", basis="third_party", opinion="仍未报送。",
                              third_party=upload("评价.pdf", pdf_bytes(), "application/pdf"), institution="江苏省科技评估中心")
    assert grading_selectors.graded_years(cast.consortium) == [(year - 2, "unqualified"), (year - 1, "unqualified")]
    assert "办理取消资格" in client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).content.decode()


def test_experts_score_the_report_with_the_conflict_rule_of_the_appraisal(client):
    year = this_year()
    cast = filed()
    report = submit_report(cast.consortium, cast.applicant, year)
    member = cast.consortium.memberships.filter(role="member").select_related("unit").first()
    insider = factories.user(Role.EXPERT, full_name="成员单位专家", employer=member.unit_name)
    first, second = cast.expert, factories.user(Role.EXPERT, full_name="吴研究员", employer="南京工业大学")
    client.force_login(cast.city)
    response = client.post(reverse("evaluations:open_panel", args=[cast.consortium.pk, year]),
                           {"experts": [first.pk, second.pk, insider.pk]}, follow=True)
    page = response.content.decode()
    assert "分配专家 2 名" in page and f"成员单位专家任职于成员单位“{member.unit_name}”，应当回避。" in page
    # Staff cannot grade on the experts' scores before both have scored.
    waiting = client.post(grade_page(cast, year), {"grade": "qualified", "basis": "experts", "opinion": "合格"}, follow=True)
    assert f"以下专家尚未提交评分：吴研究员、{first.full_name}。" in waiting.content.decode()  # in the order assigned
    # One scores through the page; the other declares a conflict.
    criteria = list(EvaluationCriterion.objects.filter(is_active=True))
    client.force_login(first)
    task = PanelAssignment.objects.get(expert=first)
    client.post(reverse("evaluations:assignment", args=[task.pk]), {**{f"c{c.pk}": "85" for c in criteria}, "comment": "较好"})
    client.force_login(second)
    other = PanelAssignment.objects.get(expert=second)
    assert report.content["summary"] in client.get(reverse("evaluations:assignment", args=[other.pk])).content.decode()
    client.post(reverse("evaluations:assignment", args=[other.pk]), {"declare_conflict": "1", "reason": "曾任牵头单位顾问"})
    assert client.get(reverse("evaluations:assignment", args=[other.pk])).status_code == 404
    client.force_login(cast.city)
    graded = client.post(grade_page(cast, year), {"grade": "qualified", "basis": "experts", "opinion": "合格"})
    assert graded.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.basis, str(evaluation.mean_score), evaluation.panel.closed_at is not None) == ("experts", "85.0", True)
    # Scoring is closed with the grade.
    with pytest.raises(ValidationError):
        grading_services.submit_panel_scores(task.pk, first, {c.pk: 80 for c in criteria}, "")


def _grades(cast, *grades):
    year = this_year() - len(grades) + 1
    for offset, grade in enumerate(grades):
        cast.take("evaluate", year=year + offset, grade=grade)


@pytest.mark.slow  # renders a PDF or starts a process
def test_two_consecutive_unqualified_grades_lead_to_revocation_and_a_three_year_ban(client, django_capture_on_commit_callbacks):
    cast = filed()
    _grades(cast, "unqualified", "unqualified")
    client.force_login(cast.city)
    assert "data-proposal" in client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).content.decode()
    assert "拟取消资格" in client.get(reverse("dashboards:municipal")).content.decode()
    refused = client.post(reverse("evaluations:revoke", args=[cast.consortium.pk]), {"opinion": ""})
    assert "请填写意见。" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evaluations:revoke", args=[cast.consortium.pk]), {"opinion": "连续两次不合格，取消资格。"})
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.REVOKED
    today = timezone.localdate(cast.consortium.status_changes.last().created_at)
    ban = UnitBan.objects.get(unit=cast.consortium.lead_unit)
    assert (ban.starts_on, ban.consortium, ban.recorded_by) == (today, cast.consortium, cast.city)
    assert ban.ends_on.year == today.year + 3
    revocation = Revocation.objects.get()
    assert revocation.ban == ban and revocation.sha256 == digest(revocation.content)
    last = cast.consortium.status_changes.last()
    assert (last.action, last.to_status) == ("revoke", Status.REVOKED)
    assert "3 年内不得牵头或参与创新联合体" in last.detail
    assert Notification.objects.filter(recipient=cast.applicant, title=f"取消资格：{cast.consortium.name}").exists()
    notice = client.get(reverse("evaluations:revocation_notice", args=[cast.consortium.pk]))
    printed = "".join(PdfReader(io.BytesIO(notice.getvalue())).pages[0].extract_text().split())
    assert f"关于取消“{cast.consortium.name}”市级创新联合体资格的决定" in printed
    assert f"镇创联撤〔{today.year}〕1号" in printed and revocation.content["document_number"] == f"镇创联撤〔{today.year}〕1号"
    assert f"{this_year() - 1}年度" in printed and f"{this_year()}年度" in printed  # the two years that caused it
    assert [g["year"] for g in revocation.content["grades"]] == [this_year() - 1, this_year()]
    # The ban shows on the unit's page, to staff and to the unit itself.
    for user in (cast.city, cast.applicant):
        client.force_login(user)
        unit_page = client.get(reverse("evaluations:unit", args=[ban.unit_id])).content.decode()
        assert "data-ban-in-force" in unit_page and f"{ban.ends_on:%Y}年{ban.ends_on.month}月{ban.ends_on.day}日前不得牵头或参与创新联合体" in unit_page


def test_the_banned_lead_can_neither_lead_a_new_application_nor_join_another_as_a_member(client):
    cast = filed()
    _grades(cast, "unqualified", "unqualified")
    sanctions_services.revoke(cast.consortium.pk, cast.city, "取消资格")
    ban = UnitBan.objects.get()
    lead = cast.consortium.lead_unit
    until = f"{ban.ends_on.year}年{ban.ends_on.month}月{ban.ends_on.day}日"
    reason = f"{lead.name}因牵头的“{cast.consortium.name}”连续 2 次评价为“不合格”被取消资格，{until}前不得牵头或参与创新联合体。"
    # As a lead: the start page says why and until when.
    client.force_login(cast.applicant)
    start = client.get(reverse("applications:start")).content.decode()
    assert reason in start
    assert application_services.may_start_application(cast.applicant) == (False, reason)
    # As a member of another consortium's 申请书: refused beside its row.
    other_applicant, other = complete_application()
    client.force_login(other_applicant)
    response = client.post(reverse("applications:edit", args=[other.consortium_id, "members"]),
                           member_post([member_row(lead.name, lead.credit_code)], other.lock_version))
    assert reason in response.content.decode()
    assert not other.consortium.memberships.filter(unit=lead).exists()


def test_unqualified_then_qualified_then_unqualified_does_not_revoke(client):
    cast = filed()
    _grades(cast, "unqualified", "qualified", "unqualified")
    with pytest.raises(workflow.TransitionError) as refused:
        sanctions_services.revoke(cast.consortium.pk, cast.city, "取消资格")
    assert refused.value.reasons == [NOT_DUE]
    client.force_login(cast.city)
    page = client.get(reverse("evaluations:revoke", args=[cast.consortium.pk])).content.decode()
    assert NOT_DUE in page and "确认取消资格" not in page
    assert "data-proposal" not in client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).content.decode()
    assert not UnitBan.objects.exists()


def test_a_revocation_on_29_february_bans_until_28_february_three_years_later(monkeypatch):
    cast = filed()
    fixed_today(monkeypatch, date(2028, 2, 29))
    cast.take("evaluate", year=2027, grade="unqualified")
    cast.take("evaluate", year=2028, grade="unqualified")
    sanctions_services.revoke(cast.consortium.pk, cast.city, "取消资格")
    ban = UnitBan.objects.get()
    assert (ban.starts_on, ban.ends_on) == (date(2028, 2, 29), date(2031, 2, 28))
    assert list(UnitBan.objects.active(date(2031, 2, 27))) == [ban]
    assert list(UnitBan.objects.active(date(2031, 2, 28))) == []
    fixed_today(monkeypatch, date(2031, 2, 27))
    assert application_services.may_start_application(cast.applicant)[1].endswith("2031年2月28日前不得牵头或参与创新联合体。")
    fixed_today(monkeypatch, date(2031, 2, 28))
    assert application_services.may_start_application(cast.applicant) == (True, "")
