"""The sanctions of §六（二） over histories of every shape, as a bureau meets them over years (DESIGN.md rules 5–7, 10):
连续 2 次 read in the order of the years evaluated, a due revocation as the consortium's next step, a wrong grade
corrected only by a 复核, the 推荐 list from the latest year evaluated, and the recommendation decided."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AuditEvent, Notification
from applications import workflow
from applications.choices import Status
from applications.dossier import verification
from applications.models import UnitBan
from evaluations import flows
from evaluations.dissolution import services as dissolution_services
from evaluations.grading import selectors as grading_selectors
from evaluations.grading import services as grading_services
from evaluations.membership import services as membership_services
from evaluations.models import Evaluation, GradeCorrection, MemberChange, Recommendation, Revocation
from evaluations.sanctions import services as sanctions_services
from operations import clock
from tests.applications.intake_helpers import pdf_bytes, upload
from tests.evaluations.helpers import filed, this_year
from tests.lifecycle import signed_by_legal_representatives

pytestmark = pytest.mark.django_db

NOT_DUE = "只有连续 2 次评价为“不合格”（按评价年度相邻的两次评价）的创新联合体才能取消资格。"


def due_reason(first, second):
    return (f"该联合体 {first}、{second} 年度连续 2 次评价为“不合格”，依《工作方案》六（二）应取消市级创新联合体资格；"
            "在市科技局作出取消资格决定（或经复核更正评价结果）前，不能办理其他评价、成员变更或解散。")


def graded(cast, *history):
    """Grade years in the order given (each year's report submitted first): [(year, grade)]."""
    for year, grade in history:
        cast.take("evaluate", year=year, grade=grade)


def page_of(client, cast):
    return client.get(reverse("evaluations:consortium", args=[cast.consortium.pk])).content.decode()


def test_a_back_filled_year_takes_its_place_in_year_order_not_the_order_decided(client):
    """2024 合格 and 2025 不合格, then 2023 back-filled 不合格: no two adjacent years are 不合格, nothing is due."""
    year = this_year()
    cast = filed(filed_in=year - 3)
    graded(cast, (year - 2, "qualified"), (year - 1, "unqualified"), (year - 3, "unqualified"))
    assert grading_selectors.graded_years(cast.consortium) == [(year - 3, "unqualified"), (year - 2, "qualified"), (year - 1, "unqualified")]
    with pytest.raises(workflow.TransitionError) as refused:
        sanctions_services.revoke(cast.consortium.pk, cast.city, "取消资格")
    assert refused.value.reasons == [NOT_DUE]
    client.force_login(cast.city)
    page = page_of(client, cast)
    assert "data-proposal" not in page
    # The history is shown in year order, with the rule in one sentence.
    assert page.index(f'data-evaluation="{year - 3}"') < page.index(f'data-evaluation="{year - 2}"') < page.index(f'data-evaluation="{year - 1}"')
    assert "“连续 2 次评价为不合格”按评价年度排列" in page
    assert not Revocation.objects.exists() and not UnitBan.objects.exists()


def test_a_due_revocation_is_the_next_step_nothing_else_moves_the_consortium(client):
    """2023 and 2024 不合格: grading 2025, a member change and dissolution are refused with that reason until revoked."""
    year = this_year()
    cast = filed(filed_in=year - 3)
    graded(cast, (year - 3, "unqualified"), (year - 2, "unqualified"))
    reason = due_reason(year - 3, year - 2)
    # Grading another year cannot erase it.
    with pytest.raises(workflow.TransitionError) as refused:
        cast.take("evaluate", year=year - 1, grade="qualified")
    assert refused.value.reasons == [reason]
    # Nor can dissolving escape it, at the lead's request or the city's.
    with pytest.raises(workflow.TransitionError) as refused:
        dissolution_services.request_dissolution(cast.consortium.pk, cast.applicant, "经全体成员同意申请解散。")
    assert refused.value.reasons == [reason]
    with pytest.raises(workflow.TransitionError) as refused:
        cast.take("request_member_change")
    assert refused.value.reasons == [reason]
    assert not MemberChange.objects.exists()
    # The pages say what is pending; the buttons that would go around it are gone.
    client.force_login(cast.city)
    page = page_of(client, cast)
    assert "待办：取消资格。" in page and reason in page and "办理取消资格" in page
    grade_form = client.get(reverse("evaluations:grade", args=[cast.consortium.pk, year - 1])).content.decode()
    assert reason in grade_form and "确认评价结果" not in grade_form
    client.force_login(cast.applicant)
    assert "暂不能申请成员变更" in page_of(client, cast)
    change_form = client.get(reverse("evaluations:member_change_new", args=[cast.consortium.pk])).content.decode()
    assert f"现在不能申请成员变更：{reason}" in change_form
    dissolution = client.get(reverse("evaluations:dissolution", args=[cast.consortium.pk])).content.decode()
    assert reason in dissolution
    # Revoked: the decision names the two years; the lead is banned.
    revocation = sanctions_services.revoke(cast.consortium.pk, cast.city, "连续两次不合格。")
    assert [g["year"] for g in revocation.content["grades"]] == [year - 3, year - 2]
    assert UnitBan.objects.get().unit == cast.consortium.lead_unit


def test_a_request_waiting_when_the_revocation_becomes_due_is_not_recorded(client):
    year = this_year()
    cast = filed(filed_in=year - 3)
    cast.take("request_dissolution")
    graded(cast, (year - 3, "unqualified"), (year - 2, "unqualified"))
    with pytest.raises(workflow.TransitionError) as refused:
        dissolution_services.decide_dissolution(cast.consortium.pk, cast.city, "dissolve", "同意解散。")
    assert refused.value.reasons == [due_reason(year - 3, year - 2)]
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.FILED


@pytest.mark.slow  # renders a PDF or starts a process
def test_a_year_nobody_evaluated_does_not_separate_two_unqualified(client):
    """不合格, (a year not evaluated), 不合格: two consecutive evaluations — due, and the page says why."""
    year = this_year()
    cast = filed(filed_in=year - 3)
    graded(cast, (year - 3, "unqualified"), (year - 1, "unqualified"))
    client.force_login(cast.city)
    assert due_reason(year - 3, year - 1) in page_of(client, cast)
    assert "拟取消资格" in client.get(reverse("dashboards:municipal")).content.decode()
    revocation = sanctions_services.revoke(cast.consortium.pk, cast.city, "连续两次不合格。")
    notice = client.get(reverse("evaluations:revocation_notice", args=[cast.consortium.pk]))
    printed = "".join(PdfReader(io.BytesIO(notice.getvalue())).pages[0].extract_text().split())
    assert f"{year - 3}年度" in printed and f"{year - 1}年度" in printed and f"{year - 2}年度" not in printed
    assert revocation.change.detail.startswith(f"{year - 3}、{year - 1} 年度连续 2 次评价为“不合格”；")


@pytest.mark.slow  # renders a PDF or starts a process
def test_a_wrong_grade_is_corrected_by_a_review_and_the_revocation_is_recomputed(client, django_capture_on_commit_callbacks):
    year = this_year()
    cast = filed(filed_in=year - 3)
    graded(cast, (year - 3, "unqualified"), (year - 2, "unqualified"))
    wrong = cast.consortium.evaluations.get(year=year - 2)
    client.force_login(cast.city)
    correct = reverse("evaluations:correct_grade", args=[cast.consortium.pk, wrong.pk])
    # A reason is required, and the grade must change.
    assert "请填写意见。" in client.post(correct, {"grade": "qualified", "opinion": ""}).content.decode()
    same = client.post(correct, {"grade": "unqualified", "opinion": "复核"}).content.decode()
    assert "复核后的评价结果与原结果（不合格）相同，无需更正。" in same
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(correct, {"grade": "qualified", "opinion": "第三方报告计算有误，复核后为合格。"})
    assert response.status_code == 302
    wrong.refresh_from_db()
    correction = GradeCorrection.objects.get()
    assert (wrong.grade, correction.previous_grade, correction.grade, correction.reason) == (
        "qualified", "unqualified", "qualified", "第三方报告计算有误，复核后为合格。")
    # Nothing is due any more: the next year may be graded, and the revocation is refused.
    assert "data-proposal" not in page_of(client, cast)
    with pytest.raises(workflow.TransitionError):
        sanctions_services.revoke(cast.consortium.pk, cast.city, "取消")
    cast.take("evaluate", year=year - 1, grade="qualified")
    # Audited, in the timeline, told to the lead and the district.
    assert AuditEvent.objects.filter(action="status_change", detail__startswith="评价结果复核：").exists()
    assert Notification.objects.filter(recipient=cast.applicant, title=f"绩效评价结果复核更正：{cast.consortium.name}").exists()
    assert Notification.objects.filter(recipient=cast.district, title=f"绩效评价结果复核更正：{cast.consortium.name}").exists()
    # The corrected notice prints with its own code; the old code verifies and says it was corrected.
    notice = client.get(reverse("evaluations:correction_notice", args=[cast.consortium.pk, correction.pk]))
    printed = "".join(PdfReader(io.BytesIO(notice.getvalue())).pages[0].extract_text().split())
    assert "（复核更正）" in printed and "原通知作废" in printed and verification.code_for(correction.sha256) in printed
    old = client.get(reverse("dossier:verify", args=[verification.code_for(wrong.sha256)])).content.decode()
    assert "本通知已于" in old and "更正后的评价结果为“合格”" in old
    new = client.get(reverse("dossier:verify", args=[verification.code_for(correction.sha256)])).content.decode()
    assert "复核后评价结果" in new and "合格" in new


def test_a_grade_brought_in_from_paper_is_corrected_by_a_notice_that_states_everything_itself(client):
    """A grade imported from before the portal has no frozen notice (it was issued on paper): the correction's notice
    takes the consortium, the year and the first decision's day from the records, and says the first one was on paper."""
    year = this_year()
    cast = filed(filed_in=year - 3)
    graded(cast, (year - 2, "excellent"))
    imported = cast.consortium.evaluations.get(year=year - 2)
    Evaluation.objects.filter(pk=imported.pk).update(content={}, sha256="")  # as evaluations/legacy imports it
    correction = grading_services.correct_grade(cast.consortium.pk, cast.city, imported.pk, "qualified", "成果转化金额重复计列，复核后为合格。")
    client.force_login(cast.city)
    notice = client.get(reverse("evaluations:correction_notice", args=[cast.consortium.pk, correction.pk]))
    pages = PdfReader(io.BytesIO(notice.getvalue())).pages
    printed = "".join("".join(page.extract_text().split()) for page in pages)
    decided = clock.localdate(imported.decided_at)
    assert f"{cast.consortium.lead_unit.name}：" in printed
    assert (f"市科学技术局于{decided.year}年{decided.month}月{decided.day}日通知你单位牵头的“{cast.consortium.name}”"
            f"{year - 2}年度绩效评价结果为“优秀”（纸质通知）。") in printed
    assert cast.consortium.record_number in printed and "验证码）" not in printed and "“”" not in printed
    assert "复核理由：成果转化金额重复计列，复核后为合格。" in printed and len(pages) == 1


def test_the_latest_year_evaluated_keeps_its_recommendation_when_an_earlier_year_is_back_filled(client):
    """2025 优秀, then 2023 back-filled 不合格: 2025 is still the latest year evaluated, so it is still recommended."""
    year = this_year()
    cast = filed(filed_in=year - 3)
    graded(cast, (year - 1, "excellent"), (year - 3, "unqualified"))
    client.force_login(cast.city)
    assert f'data-consortium="{cast.consortium.pk}"' in client.get(reverse("evaluations:recommended")).content.decode()
    assert "data-recommended" in page_of(client, cast)


def test_the_city_records_its_recommendation_and_later_its_outcome(client):
    year = this_year()
    cast = filed(filed_in=year - 1)
    graded(cast, (year - 1, "excellent"))
    client.force_login(cast.city)
    url = reverse("evaluations:recommend", args=[cast.consortium.pk])
    refused = client.post(url, {"eligible": "yes", "note": "", "decided_on": "2026-01-01"}).content.decode()
    assert "请填写推荐意见（是否符合条件及理由）。" in refused
    assert client.post(url, {"eligible": "yes", "note": "研发投入强度高，符合推荐条件。", "decided_on": f"{year}-03-01"}).status_code == 302
    recommendation = Recommendation.objects.get()
    assert (recommendation.year, recommendation.eligible, recommendation.outcome) == (year - 1, True, "pending")
    assert AuditEvent.objects.filter(detail__contains="符合条件，予以推荐；研发投入强度高").exists()
    # Once per 优秀 year.
    with pytest.raises(Exception) as twice:
        grading_services.record_recommendation(cast.consortium.pk, cast.city, eligible=False, note="再次", decided_on=recommendation.decided_on)
    assert "已对" in str(twice.value)
    early = client.post(url, {"outcome": "accepted", "outcome_on": f"{year}-02-01", "note": ""}).content.decode()
    assert "结果日期不能早于推荐决定日期。" in early
    client.post(url, {"outcome": "accepted", "outcome_on": f"{year}-06-30", "note": "获省科技厅认定"})
    recommendation.refresh_from_db()
    assert (recommendation.outcome, recommendation.outcome_note) == ("accepted", "获省科技厅认定")
    page = page_of(client, cast)
    assert f'data-recommendation="{year - 1}"' in page and "获省级以上认定" in page


def test_a_dissolution_is_refused_while_revocation_is_due_even_if_asked_before_a_project_ended(client):
    """The guards of the dissolution flow and of the consortium's step read the same rule."""
    year = this_year()
    cast = filed(filed_in=year - 3)
    graded(cast, (year - 3, "unqualified"), (year - 2, "unqualified"))
    assert flows.open_request(flows.DISSOLUTION_REQUEST, cast.consortium) is None
    with pytest.raises(workflow.TransitionError):
        membership_services.request_member_change(
            cast.consortium.pk, cast.applicant, effective_on=cast.consortium.filed_on, description="退出", removals=[],
            additions=[], statement="", signatures=signed_by_legal_representatives(cast.consortium),
            supplementary_agreement=upload("补充协议.pdf", pdf_bytes(), "application/pdf"))


def test_a_banned_units_places_in_other_filed_consortia_are_flagged_counted_and_their_leads_told(client, django_capture_on_commit_callbacks):
    """DESIGN.md rule 6: the city settles each by a member change that removes the unit, which is allowed."""
    year = this_year()
    revoked, other = filed(filed_in=year - 3), filed(filed_in=year - 3)
    lead = revoked.consortium.lead_unit
    # The unit that will be banned is a member of the other consortium.
    other.take("request_member_change", additions=[{
        "unit_name": lead.name, "credit_code": lead.credit_code, "unit_kind": lead.kind, "task_division": "配套",
        "duties": "试验", "sales_revenue": None, "rd_spend": None}])
    membership_services.decide_member_change(other.consortium.pk, other.city, "file_member_change", "同意")
    graded(revoked, (year - 3, "unqualified"), (year - 2, "unqualified"))
    with django_capture_on_commit_callbacks(execute=True):
        sanctions_services.revoke(revoked.consortium.pk, revoked.city, "连续两次不合格。")
    ban = UnitBan.objects.get()
    until = f"{ban.ends_on.year}年{ban.ends_on.month}月{ban.ends_on.day}日"
    told = Notification.objects.get(recipient=other.applicant, title=f"成员单位受限制：{other.consortium.name}")
    assert f"成员单位{lead.name}因" in told.body and "成员变更（补充协议）" in told.body
    client.force_login(other.city)
    page = page_of(client, other)
    assert "data-banned-member" in page and f"成员单位{lead.name}因{ban.reason}，{until}前不得牵头或参与创新联合体" in page
    listed = client.get(reverse("evaluations:index") + "?show=banned_members").content.decode()
    link = '{}"'.format
    assert link(reverse("evaluations:consortium", args=[other.consortium.pk])) in listed
    assert link(reverse("evaluations:consortium", args=[revoked.consortium.pk])) not in listed
    assert f"成员单位{lead.name}受限制（{until}前不得参与）" in client.get(reverse("dashboards:consortia")).content.decode()
    assert "成员单位受限制" in client.get(reverse("dashboards:municipal")).content.decode()
    # A change that keeps the banned unit is refused; the one that removes it is allowed and settles the flag.
    place = other.consortium.memberships.get(unit=lead, left_on__isnull=True)
    with pytest.raises(workflow.TransitionError) as refused:
        other.take("request_member_change")
    assert any(lead.name in reason and "请在本次变更中将其退出" in reason for reason in refused.value.reasons)
    other.take("request_member_change", additions=[], removals=[place.pk])
    membership_services.decide_member_change(other.consortium.pk, other.city, "file_member_change", "依规退出。")
    assert "data-banned-member" not in page_of(client, other)
