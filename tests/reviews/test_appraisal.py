"""综合论证 as complete use cases: decisions need every score, the record outlives the decision, experts
read only what was assigned and only while it runs, and each service checks who calls it."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AuditEvent
from accounts.roles import Role
from applications import workflow
from applications.choices import Status
from reviews import services
from reviews.forms import CriteriaFormSet
from reviews.models import AppraisalRound, Criterion, ExpertAssignment, RoundEntry
from tests import factories
from tests.applications.dossier.helpers import attach, page_texts
from tests.lifecycle import cast_at, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def appraisal():
    """An application under 综合论证 with two experts, neither has scored."""
    cast = cast_at(Status.UNDER_APPRAISAL)
    cast.second = factories.user(Role.EXPERT, full_name="吴研究员", employer="南京工业大学")
    services.assign_expert(RoundEntry.objects.get(consortium=cast.consortium).pk, cast.second, cast.city)
    return cast


def assignment(cast, expert):
    return ExpertAssignment.objects.get(entry__consortium=cast.consortium, expert=expert)


@pytest.mark.parametrize("action", ["file", "not_file"])
def test_a_decision_is_refused_while_an_expert_has_not_scored(appraisal, action):
    score(assignment(appraisal, appraisal.expert), 86)
    with pytest.raises(workflow.TransitionError) as refused:
        services.decide(appraisal.consortium.pk, appraisal.city, action, "意见", name=services.suggested_name(appraisal.consortium))
    assert refused.value.reasons == ["以下专家尚未提交评分：吴研究员。"]
    appraisal.consortium.refresh_from_db()
    assert (appraisal.consortium.status, appraisal.consortium.record_number) == (Status.UNDER_APPRAISAL, None)


def test_filing_is_allowed_once_every_expert_who_did_not_recuse_has_scored(appraisal):
    score(assignment(appraisal, appraisal.expert), 86)
    services.declare_conflict(assignment(appraisal, appraisal.second).pk, appraisal.second, "曾为牵头单位顾问")
    consortium = services.decide(appraisal.consortium.pk, appraisal.city, "file", "予以备案",
                                 name=services.suggested_name(appraisal.consortium))
    assert consortium.status == Status.FILED


def test_a_decision_with_no_expert_at_all_is_refused():
    cast = cast_at(Status.DISTRICT_PASSED)
    services.create_round("无专家批次", [cast.consortium.pk], [], cast.city)
    with pytest.raises(workflow.TransitionError) as refused:
        services.decide(cast.consortium.pk, cast.city, "not_file", "不予备案")
    assert refused.value.reasons == ["尚无专家提交评分，请先分配专家并等待评分。"]


def test_a_return_needs_no_scores(appraisal):
    assert services.decide(appraisal.consortium.pk, appraisal.city, "city_return", "请补充").status == Status.RETURNED_BY_CITY


def test_the_decision_form_names_who_is_missing_then_shows_each_score_the_mean_and_the_spread(client, appraisal):
    client.force_login(appraisal.city)
    url = reverse("reviews:review", args=[appraisal.consortium.pk])
    page = client.get(url).content.decode()
    assert "予以备案或不予备案须待全部专家（已回避的除外）提交评分，尚未提交：" in page
    score(assignment(appraisal, appraisal.expert), 86)
    score(assignment(appraisal, appraisal.second), 80)
    page = client.get(url).content.decode()
    assert "尚未提交" not in page
    assert "专家平均加权得分 <strong>83.0</strong>，极差 6.0（2 名专家）" in page
    assert "加权得分 <strong>86.0</strong>" in page and "加权得分 <strong>80.0</strong>" in page


@pytest.mark.slow  # renders a PDF or starts a process
def test_the_appraisal_record_stays_readable_to_the_city_after_filing_and_never_reaches_the_applicant(client, appraisal):
    score(assignment(appraisal, appraisal.expert), 86)
    score(assignment(appraisal, appraisal.second), 80)
    services.decide(appraisal.consortium.pk, appraisal.city, "file", "建设方案成熟，予以备案。",
                    name=services.suggested_name(appraisal.consortium))
    client.force_login(appraisal.city)
    page = client.get(reverse("reviews:review", args=[appraisal.consortium.pk])).content.decode()
    assert appraisal.second.full_name in page and appraisal.expert.display_name in page
    assert "平均加权得分 <strong>83.0</strong>；极差 6.0" in page
    assert "综合论证意见：建设方案成熟，予以备案。" in page
    client.force_login(appraisal.applicant)
    entry = RoundEntry.objects.get(consortium=appraisal.consortium)
    assert client.get(reverse("reviews:review", args=[appraisal.consortium.pk])).status_code == 403
    assert client.get(reverse("reviews:appraisal_opinion", args=[appraisal.consortium.pk, entry.pk])).status_code == 403
    detail = client.get(reverse("applications:detail", args=[appraisal.consortium.pk])).content.decode()
    assert appraisal.second.full_name not in detail and "加权" not in detail
    client.force_login(appraisal.district)
    assert appraisal.second.full_name not in client.get(reverse("reviews:review", args=[appraisal.consortium.pk])).content.decode()


@pytest.mark.slow  # renders a PDF or starts a process
def test_the_appraisal_opinion_prints_on_one_a4_page(client, appraisal):
    score(assignment(appraisal, appraisal.expert), 86)
    score(assignment(appraisal, appraisal.second), 80)
    services.decide(appraisal.consortium.pk, appraisal.city, "file", "予以备案。", name=services.suggested_name(appraisal.consortium))
    entry = RoundEntry.objects.get(consortium=appraisal.consortium)
    client.force_login(appraisal.city)
    response = client.get(reverse("reviews:appraisal_opinion", args=[appraisal.consortium.pk, entry.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.getvalue()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]
    text = "".join(page_texts(pdf)[0].split())  # as read, whatever the line breaks
    for expected in ("创新联合体综合论证意见", "吴研究员", "86.0", "80.0", "平均加权得分83.0", "极差（最高分与最低分之差）6.0",
                     "论证结论予以备案"):
        assert expected in text
    assert AuditEvent.objects.filter(action="document_download", actor=appraisal.city).count() == 1


def test_an_expert_reads_the_application_only_while_the_appraisal_runs_and_keeps_their_scores(client, appraisal):
    mine = assignment(appraisal, appraisal.expert)
    version = appraisal.application.versions.get()
    attachment_id = version.content["attachments"][0]["id"]
    client.force_login(appraisal.expert)
    page = reverse("reviews:assignment", args=[mine.pk])
    download = reverse("reviews:assignment_attachment", args=[mine.pk, attachment_id])
    assert "（一）基础信息表" in client.get(page).content.decode()
    assert client.get(download).status_code == 200
    score(mine, 88)
    score(assignment(appraisal, appraisal.second), 80)
    services.decide(appraisal.consortium.pk, appraisal.city, "not_file", "不予备案")
    closed = client.get(page).content.decode()
    assert "该申请的综合论证已结束，申请材料不再向专家开放；您提交的评分仍可查看。" in closed
    assert "（一）基础信息表" not in closed and "88.0" in closed
    assert client.get(download).status_code == 404


def test_an_expert_never_gets_a_file_that_is_not_in_the_version_assigned(client, appraisal):
    mine = assignment(appraisal, appraisal.expert)
    later = factories.consortium()  # an attachment of someone else's application
    other = attach(later, later.lead_unit, "license", b"%PDF-1.4 other")
    client.force_login(appraisal.expert)
    assert client.get(reverse("reviews:assignment_attachment", args=[mine.pk, other.pk])).status_code == 404


def test_an_expert_who_recused_sees_the_assignment_no_more(client, appraisal):
    mine = assignment(appraisal, appraisal.expert)
    services.declare_conflict(mine.pk, appraisal.expert, "亲属任职于成员单位")
    client.force_login(appraisal.expert)
    assert client.get(reverse("reviews:assignment", args=[mine.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="conflict_declared", actor=appraisal.expert).get().detail == "回避理由：亲属任职于成员单位"


# --- the services check who calls them --------------------------------------------------------


def test_only_municipal_staff_assign_experts_and_never_after_the_decision(appraisal):
    entry = RoundEntry.objects.get(consortium=appraisal.consortium)
    third = factories.user(Role.EXPERT, full_name="郑教授")
    with pytest.raises(PermissionDenied):
        services.assign_expert(entry.pk, third, appraisal.district)
    services.decide(appraisal.consortium.pk, appraisal.city, "city_return", "请补充")
    with pytest.raises(ValidationError) as refused:
        services.assign_expert(entry.pk, third, appraisal.city)
    assert refused.value.messages == ["该申请的综合论证已结束，不能再分配专家。"]
    assert AuditEvent.objects.filter(action="expert_assigned").count() == 2  # the two of the fixture


def test_a_round_where_nothing_could_start_leaves_no_round_behind():
    cast = cast_at(Status.SUBMITTED)  # not yet passed by its district
    round_, outcomes = services.create_round("空批次", [cast.consortium.pk], [], factories.user(Role.MUNICIPAL_STAFF))
    assert round_ is None and [o.ok for o in outcomes] == [False]
    assert not AppraisalRound.objects.exists()


def test_a_batch_pass_ignores_what_the_reviewer_cannot_see():
    mine, theirs = cast_at(Status.SUBMITTED), cast_at(Status.SUBMITTED)
    outsider = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("句容市"))
    assert services.batch_district_pass([mine.consortium.pk, theirs.consortium.pk], outsider, "同意") == []
    assert [o.consortium for o in services.batch_district_pass([mine.consortium.pk], mine.district, "同意")] == [mine.consortium]


def test_changing_criteria_weights_is_recorded_in_the_audit_log():
    staff = factories.user(Role.MUNICIPAL_STAFF)
    criteria = list(Criterion.objects.filter(is_active=True))
    data = {"form-TOTAL_FORMS": str(len(criteria)), "form-INITIAL_FORMS": str(len(criteria))}
    for i, c in enumerate(criteria):
        weight = c.weight + (5 if i == 0 else -5 if i == 1 else 0)
        data.update({f"form-{i}-id": c.pk, f"form-{i}-name": c.name, f"form-{i}-description": c.description,
                     f"form-{i}-weight": weight, f"form-{i}-sort_order": c.sort_order, f"form-{i}-is_active": "on"})
    formset = CriteriaFormSet(data)
    assert formset.is_valid(), formset.errors
    services.save_criteria(formset, staff)
    event = AuditEvent.objects.get(action="criteria_changed")
    assert event.detail == (f"{criteria[0].name}（{criteria[0].weight}%） → {criteria[0].name}（{criteria[0].weight + 5}%）；"
                            f"{criteria[1].name}（{criteria[1].weight}%） → {criteria[1].name}（{criteria[1].weight - 5}%）")
    with pytest.raises(PermissionDenied):
        services.save_criteria(formset, factories.user(Role.EXPERT))


def test_scores_and_their_submission_are_audited(appraisal):
    score(assignment(appraisal, appraisal.expert), Decimal("86"))
    event = AuditEvent.objects.get(action="scores_submitted")
    assert (event.actor, event.detail) == (appraisal.expert, "加权得分 86.0")
