"""回避 at scoring (issue 19): the conflict check runs again when an expert opens a 综合论证 task and when they submit
scores; a conflict that arose after assignment recuses them, with the reason, and the city staff are told."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from accounts.roles import Role
from applications.choices import Status
from reviews import audit_actions as reviews_actions
from reviews import services
from reviews.models import Criterion, ExpertAssignment, Score
from tests import factories
from tests.lifecycle import cast_at

pytestmark = pytest.mark.django_db

REASON = "周教授任职于成员单位“江苏大学测试”，应当回避。"


@pytest.fixture
def appraisal():
    cast = cast_at(Status.UNDER_APPRAISAL)
    cast.expert.full_name = "周教授"
    cast.expert.save(update_fields=["full_name"])
    cast.task = ExpertAssignment.objects.get(entry__consortium=cast.consortium, expert=cast.expert)
    return cast


def moves_to_a_member(expert):
    """Since assignment the expert took a post at one of the consortium's members."""
    expert.employer = "江苏大学测试"
    expert.save(update_fields=["employer"])


def scores():
    return {f"c{c.pk}": "80" for c in Criterion.objects.filter(is_active=True)} | {"comment": "同意"}


def assert_recused(cast):
    cast.task.refresh_from_db()
    assert (cast.task.conflict_declared, cast.task.conflict_reason) == (True, f"评分时复核发现利害关系，自动回避：{REASON}")
    event = AuditEvent.objects.get(action=reviews_actions.CONFLICT_DECLARED)
    assert (event.username, event.detail) == (cast.expert.username, f"评分时复核发现利害关系，自动回避：{REASON}")
    told = Notification.objects.get(recipient=cast.city)
    assert (told.title, told.link) == (f"专家已回避：{cast.consortium.name}", reverse("reviews:review", args=[cast.consortium.pk]))
    assert told.body == (f"“{cast.consortium.name}”的综合论证：{REASON}系统在专家评分时复核发现，已将其评审任务标记为回避，请另行安排专家。")
    assert not Notification.objects.filter(recipient=cast.expert, title__startswith="专家已回避").exists()


def test_an_expert_who_joined_a_member_since_assignment_is_recused_on_opening_the_task(client, appraisal,
                                                                                         django_capture_on_commit_callbacks):
    moves_to_a_member(appraisal.expert)
    client.force_login(appraisal.expert)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reviews:assignment", args=[appraisal.task.pk]), follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert [str(m) for m in response.context["messages"]] == [
        f"{REASON}该评审任务已按回避规定标记为回避，不能评分，市科技局将另行安排专家。"]
    assert_recused(appraisal)
    assert client.get(reverse("reviews:assignment", args=[appraisal.task.pk])).status_code == 404  # off their list
    # 予以备案 no longer waits for a recused expert.
    assert services.decide(appraisal.consortium.pk, appraisal.city, "city_return", "请补充").status == Status.RETURNED_BY_CITY


def test_a_conflict_that_arises_while_the_page_is_open_refuses_the_scores(client, appraisal, django_capture_on_commit_callbacks):
    client.force_login(appraisal.expert)
    assert client.get(reverse("reviews:assignment", args=[appraisal.task.pk])).status_code == 200
    moves_to_a_member(appraisal.expert)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:assignment", args=[appraisal.task.pk]), scores(), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"{REASON}该评审任务已按回避规定标记为回避，不能评分，市科技局将另行安排专家。"]
    assert not Score.objects.exists()
    assert_recused(appraisal)


def test_the_service_refuses_the_scores_and_keeps_the_recusal(appraisal):
    moves_to_a_member(appraisal.expert)
    values = {c.pk: 80 for c in Criterion.objects.filter(is_active=True)}
    with pytest.raises(services.Recused):
        services.submit_scores(appraisal.task.pk, appraisal.expert, values, "同意")
    appraisal.task.refresh_from_db()
    assert appraisal.task.conflict_declared and appraisal.task.submitted_at is None


def test_an_expert_free_of_conflict_opens_and_scores_as_before(client, appraisal):
    client.force_login(appraisal.expert)
    assert client.get(reverse("reviews:assignment", args=[appraisal.task.pk])).status_code == 200
    response = client.post(reverse("reviews:assignment", args=[appraisal.task.pk]), scores())
    assert response.status_code == 302
    appraisal.task.refresh_from_db()
    assert (appraisal.task.conflict_declared, appraisal.task.submitted_at is not None) == (False, True)
    assert not AuditEvent.objects.filter(action=reviews_actions.CONFLICT_DECLARED).exists()
    assert not Notification.objects.filter(title__startswith="专家已回避").exists()


def test_another_experts_task_is_not_theirs_to_open():
    cast = cast_at(Status.UNDER_APPRAISAL)
    task = ExpertAssignment.objects.get(entry__consortium=cast.consortium)
    with pytest.raises(services.PermissionDenied):
        services.open_assignment(task.pk, factories.user(Role.EXPERT))
