"""The transition engine (applications.workflow): the table, its guards and effects, one transaction."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEvent
from accounts.roles import Role
from applications import audit_actions as applications_actions
from applications import services, snapshot, workflow
from applications.choices import Status
from applications.models import StatusChange
from operations.text import digest
from tests import factories
from tests.lifecycle import cast_at, complete_application

pytestmark = pytest.mark.django_db


def test_every_status_is_reachable_from_a_draft():
    reachable, frontier = {Status.DRAFT}, [Status.DRAFT]
    while frontier:
        state = frontier.pop()
        for step in workflow.steps_from(state):
            if step.target not in reachable:
                reachable.add(step.target)
                frontier.append(step.target)
    assert reachable == set(Status)


def test_the_registered_guards_checks_and_effects_are_exactly_those_the_tables_name():
    named = {"guard": set(), "check": set(), "effect": set()}
    for flow in workflow.flows():
        for step in flow.steps:
            named["guard"] |= set(step.guards)
            named["check"] |= {step.check} - {None}
            named["effect"] |= set(step.effects)
    assert {kind: set(functions) for kind, functions in workflow.registered().items()} == named


def test_every_state_table_is_declared_once():
    assert [flow.name for flow in workflow.flows()] == ["consortium", "member_change", "dissolution_request"]


def test_each_guard_check_and_effect_is_registered_by_the_app_that_owns_it():
    owners = {(kind, name): function.__module__ for kind, functions in workflow.registered().items() for name, function in functions.items()}
    grading, sanctions, membership = "evaluations.grading.services", "evaluations.sanctions.services", "evaluations.membership.services"
    dissolution, liaison = "evaluations.dissolution.services", "evaluations.liaison.services"
    assert owners == {
        ("guard", "no_banned_unit"): "applications.bans",
        ("check", "readiness"): "applications.services", ("effect", "freeze_version"): "applications.services",
        ("effect", "open_appraisal"): "reviews.services", ("check", "appraisal_decided"): "reviews.services",
        ("check", "appraisal_running"): "reviews.services",
        ("effect", "close_appraisal"): "reviews.services", ("effect", "file_consortium"): "reviews.services",
        ("guard", "revocation_not_due"): grading, ("check", "evaluation"): grading, ("effect", "record_evaluation"): grading,
        ("check", "grade_correction"): grading, ("effect", "record_grade_correction"): grading,
        ("check", "revocation"): sanctions, ("effect", "ban_lead_unit"): sanctions,
        ("check", "member_change_request"): membership, ("effect", "file_member_change_request"): membership,
        ("check", "member_change_to_file"): membership, ("effect", "apply_member_change"): membership,
        ("effect", "return_member_change"): membership,
        ("guard", "no_active_projects"): dissolution, ("check", "dissolution_requested"): dissolution,
        ("effect", "record_dissolution_request"): dissolution, ("effect", "return_dissolution_request"): dissolution,
        ("effect", "record_dissolution"): dissolution,
        ("check", "liaison"): liaison, ("effect", "assign_liaison"): liaison,
        ("effect", "candidate_applied"): "candidates.services", ("effect", "candidate_filed"): "candidates.services",
        ("effect", "recommendation_opinion"): "reviews.recommendations",
    }


def test_submitting_an_incomplete_draft_through_the_engine_is_refused_with_the_readiness_reasons():
    applicant = factories.user(Role.APPLICANT)
    consortium = factories.consortium(lead=applicant.unit)
    with pytest.raises(workflow.TransitionError) as refused:
        workflow.transition(consortium.pk, "submit", applicant)
    assert refused.value.message == "不能“提交申请”："
    assert refused.value.reasons[0] == (
        "成员单位不少于 4 家（不含牵头单位）：目前成员单位 0 家（不含牵头单位），原则上不少于 4 家：请添加成员单位，或填写情况说明。"
    )
    assert len(refused.value.reasons) == 12
    consortium.refresh_from_db()
    assert consortium.status == Status.DRAFT
    assert not StatusChange.objects.exists() and not AuditEvent.objects.filter(action="status_change").exists()


def test_submitting_freezes_a_version_in_the_same_step():
    applicant, application = complete_application()
    workflow.transition(application.consortium_id, "submit", applicant)
    assert list(application.versions.values_list("number", flat=True)) == [1]


def test_a_failing_effect_rolls_back_the_status_the_decision_and_the_audit_event(monkeypatch):
    cast = cast_at(Status.SUBMITTED)

    def broken(taken, decision):
        raise RuntimeError("写入失败")

    monkeypatch.setitem(workflow._effects, "freeze_version", broken)
    monkeypatch.setitem(workflow.LIFECYCLE.by_key, (Status.SUBMITTED, "district_pass"), workflow.Step(
        "district_pass", "初审通过", Status.SUBMITTED, Status.DISTRICT_PASSED, frozenset({Role.DISTRICT_REVIEWER}),
        True, effects=("freeze_version",)))
    changes, events = StatusChange.objects.count(), AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        workflow.transition(cast.consortium.pk, "district_pass", cast.district, opinion="同意")
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.SUBMITTED
    assert (StatusChange.objects.count(), AuditEvent.objects.count()) == (changes, events)


def test_a_step_naming_an_unregistered_check_is_a_configuration_error(monkeypatch):
    cast = cast_at(Status.SUBMITTED)
    monkeypatch.delitem(workflow._checks, "readiness")
    with pytest.raises(Exception) as error:
        workflow.refusal_reasons(workflow.STEP_BY_KEY[(Status.DRAFT, "submit")], cast.consortium, cast.applicant)
    assert str(error.value) == "workflow: the check “readiness” named in a state table is not registered"


def test_pass_writes_the_decision_and_the_audit_event():
    cast = cast_at(Status.SUBMITTED)
    changed = workflow.transition(cast.consortium.pk, "district_pass", cast.district, opinion="同意推荐").consortium
    assert changed.status == Status.DISTRICT_PASSED
    last = StatusChange.objects.filter(consortium=cast.consortium).last()
    assert (last.from_status, last.to_status, last.actor, last.opinion) == (
        Status.SUBMITTED, Status.DISTRICT_PASSED, cast.district, "同意推荐"
    )
    event = AuditEvent.objects.filter(action=applications_actions.STATUS_CHANGE).first()
    assert event.detail == "初审通过：待初审 → 初审通过；意见：同意推荐"


def test_wrong_state_is_refused_with_the_current_state_named():
    cast = cast_at(Status.DRAFT)
    with pytest.raises(workflow.TransitionError) as error:
        workflow.transition(cast.consortium.pk, "district_pass", cast.district, opinion="同意")
    assert str(error.value).startswith("该申请当前状态为“草稿”，无法执行“初审通过”")


def test_a_reviewer_of_another_district_is_refused_and_nothing_changes():
    cast = cast_at(Status.SUBMITTED)
    other = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))
    with pytest.raises(PermissionDenied):
        workflow.transition(cast.consortium.pk, "district_pass", other, opinion="同意")
    cast.consortium.refresh_from_db()
    assert cast.consortium.status == Status.SUBMITTED


def test_an_applicant_of_another_unit_cannot_submit():
    cast = cast_at(Status.DRAFT)
    with pytest.raises(PermissionDenied):
        workflow.transition(cast.consortium.pk, "submit", factories.user(Role.APPLICANT))


def test_a_district_reviewer_cannot_act_on_a_draft_of_its_district():
    cast = cast_at(Status.DRAFT)
    assert workflow.available_steps(cast.district, cast.consortium) == []
    assert not workflow.in_scope(cast.district, cast.consortium.pk)


def test_return_needs_an_opinion():
    cast = cast_at(Status.SUBMITTED)
    with pytest.raises(workflow.TransitionError) as error:
        workflow.transition(cast.consortium.pk, "district_return", cast.district, opinion="  ")
    assert str(error.value) == "“退回修改”须填写意见。"


def test_a_city_return_comes_back_to_the_city():
    cast = cast_at(Status.RETURNED_BY_CITY)
    assert workflow.transition(cast.consortium.pk, "resubmit", cast.applicant).consortium.status == Status.DISTRICT_PASSED


def test_labels_are_the_tables_own():
    assert workflow.ACTION_LABELS["district_reject"] == "初审不予通过"
    assert [step.label for step in workflow.steps_from(Status.SUBMITTED, Role.DISTRICT_REVIEWER)] == ["初审通过", "退回修改", "初审不予通过"]


@pytest.mark.django_db
def test_a_submission_freezes_the_content_its_check_judged_and_reads_the_application_once(monkeypatch):
    applicant, application = complete_application()
    read, load = [], snapshot.load
    monkeypatch.setattr(snapshot, "load", lambda pk: read.append(pk) or load(pk))  # counts the reads; each is the real one
    version = services.submit_application(application.pk, applicant)
    assert read == [application.pk]  # 形式审查 read it; the version froze what it judged
    assert version.number == 1 and version.content == snapshot.build(load(application.pk))
    assert version.sha256 == digest(version.content)
