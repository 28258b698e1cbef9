"""回避 at 绩效评价 scoring (issue 19): a member change after the panel was opened may bring in an expert's employer;
the check runs again when the expert opens the task and submits scores, and recuses them with a notice to staff."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from evaluations.grading import services as grading_services
from evaluations.models import EvaluationCriterion, PanelAssignment, PanelScore
from reviews import audit_actions as reviews_actions
from reviews import services as review_services
from tests import factories
from tests.evaluations.helpers import filed, this_year
from tests.lifecycle import submit_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel():
    cast = filed()
    cast.year = this_year()
    submit_report(cast.consortium, cast.applicant, cast.year)
    cast.expert.full_name = "周教授"
    cast.expert.save(update_fields=["full_name"])
    grading_services.open_panel(cast.consortium.pk, cast.year, [cast.expert], cast.city)
    cast.task = PanelAssignment.objects.get(expert=cast.expert)
    return cast


def employer_joins(cast):
    """Since the panel was opened, the expert's employer became a member of the consortium."""
    factories.member(cast.consortium, factories.unit(name="东南大学", kind="university", bureau=None, registration_status="unregistered"))


def values():
    return {c.pk: 80 for c in EvaluationCriterion.objects.filter(is_active=True)}


REASON = "周教授任职于成员单位“东南大学”，应当回避。"


def assert_recused(cast):
    cast.task.refresh_from_db()
    assert (cast.task.conflict_declared, cast.task.conflict_reason) == (True, f"评分时复核发现利害关系，自动回避：{REASON}")
    assert AuditEvent.objects.get(action=reviews_actions.CONFLICT_DECLARED).detail == f"评分时复核发现利害关系，自动回避：{REASON}"
    told = Notification.objects.get(recipient=cast.city, title__startswith="专家已回避")
    assert (told.title, told.link) == (f"专家已回避：{cast.consortium.name}", reverse("evaluations:consortium", args=[cast.consortium.pk]))
    assert told.body == (f"“{cast.consortium.name}”{cast.year} 年度绩效评价：{REASON}"
                         "系统在专家评分时复核发现，已将其评审任务标记为回避，请另行安排专家。")


def test_scores_from_an_expert_whose_employer_joined_since_are_refused_and_the_task_recused(client, panel,
                                                                                             django_capture_on_commit_callbacks):
    employer_joins(panel)
    client.force_login(panel.expert)
    post = {f"c{pk}": "80" for pk in values()} | {"comment": "较好"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluations:assignment", args=[panel.task.pk]), post, follow=True)
    assert f"{REASON}该评审任务已按回避规定标记为回避，不能评分，市科技局将另行安排专家。" in [str(m) for m in response.context["messages"]]
    assert not PanelScore.objects.exists()
    assert_recused(panel)
    assert client.get(reverse("evaluations:assignment", args=[panel.task.pk])).status_code == 404


def test_opening_the_task_rechecks_the_conflict(panel, django_capture_on_commit_callbacks):
    assert grading_services.open_panel_task(panel.task.pk, panel.expert) == ""  # free of conflict: nothing happens
    assert not PanelAssignment.objects.filter(conflict_declared=True).exists()
    employer_joins(panel)
    with django_capture_on_commit_callbacks(execute=True):
        assert grading_services.open_panel_task(panel.task.pk, panel.expert) == REASON
    assert_recused(panel)
    with pytest.raises(ValidationError) as refused:  # recused once: refused as any recused task is
        grading_services.submit_panel_scores(panel.task.pk, panel.expert, values(), "")
    assert refused.value.messages == ["您已声明回避，不能评分。"]


def test_an_expert_free_of_conflict_scores_as_before(panel):
    grading_services.submit_panel_scores(panel.task.pk, panel.expert, values(), "较好")
    panel.task.refresh_from_db()
    assert (panel.task.conflict_declared, panel.task.submitted_at is not None) == (False, True)
    assert not Notification.objects.filter(title__startswith="专家已回避").exists()


def test_another_expert_cannot_open_the_task(panel):
    with pytest.raises(review_services.PermissionDenied):
        grading_services.open_panel_task(panel.task.pk, factories.user(Role.EXPERT))
