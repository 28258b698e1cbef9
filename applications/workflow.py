"""The lifecycle of DESIGN.md, as data, and the one function that changes a status.

Read the table top to bottom and you have the whole process: from which state an action may be
taken, where it leads, who may take it, whether a written opinion is required, which guards must
let it through and which effects it has. No other code writes ``Consortium.status``.

Guards and effects are registered by name by the app that owns them (in its AppConfig.ready()),
so that a later stage adds its own without this module importing it:

    @workflow.guard("scores_complete")
    def scores_complete(consortium, actor, params): return [reasons why not]  # [] lets it through

    @workflow.effect("record_filing")
    def record_filing(consortium, change, actor, params): ...  # writes in the same transaction

An effect may set ``change.detail`` (what the step decided besides its opinion: a grade, the members
added and removed); the timeline, the audit event and the notices show it.

``transition()`` runs the guards, then the effects, inside the transaction that holds the row
lock; a guard's reason refuses the step, a failing effect rolls back everything the step wrote.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.dispatch import Signal

from accounts import audit
from accounts.models import AuditEvent
from accounts.roles import Role

from .choices import Status
from .models import Consortium, StatusChange


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    source: str
    target: str
    roles: frozenset
    opinion_required: bool = False
    guards: tuple = ()
    effects: tuple = ()


S = Status
APPLICANT, DISTRICT, CITY = frozenset({Role.APPLICANT}), frozenset({Role.DISTRICT_REVIEWER}), frozenset({Role.MUNICIPAL_STAFF})
OPINION = True
STEPS = [
    #     action             label           from                 to                   who        opinion  guards                  effects
    Step("submit",           "提交申请",      S.DRAFT,             S.SUBMITTED,         APPLICANT, False, ("readiness",),          ("freeze_version",)),
    Step("resubmit",         "修改后重新提交", S.RETURNED,          S.SUBMITTED,         APPLICANT, False, ("readiness",),          ("freeze_version",)),
    Step("resubmit",         "修改后重新提交", S.RETURNED_BY_CITY,  S.DISTRICT_PASSED,   APPLICANT, False, ("readiness",),          ("freeze_version",)),
    Step("district_pass",    "初审通过",      S.SUBMITTED,         S.DISTRICT_PASSED,   DISTRICT,  OPINION),
    Step("district_return",  "退回修改",      S.SUBMITTED,         S.RETURNED,          DISTRICT,  OPINION),
    Step("district_reject",  "初审不予通过",   S.SUBMITTED,         S.REJECTED,          DISTRICT,  OPINION),
    Step("start_appraisal",  "启动综合论证",   S.DISTRICT_PASSED,   S.UNDER_APPRAISAL,   CITY,      False, (),                      ("open_appraisal",)),
    Step("file",             "予以备案",      S.UNDER_APPRAISAL,   S.FILED,             CITY,      OPINION, ("scores_complete",),   ("close_appraisal", "record_filing")),
    Step("not_file",         "不予备案",      S.UNDER_APPRAISAL,   S.NOT_FILED,         CITY,      OPINION, ("scores_complete",),   ("close_appraisal",)),
    Step("city_return",      "退回修改",      S.UNDER_APPRAISAL,   S.RETURNED_BY_CITY,  CITY,      OPINION, (),                     ("close_appraisal",)),
    # After 备案 (seed §六): most steps leave a filed consortium filed, and are still decisions with a record.
    Step("evaluate",         "绩效评价",      S.FILED,             S.FILED,             CITY,      OPINION, ("evaluation_valid",),  ("record_evaluation",)),
    Step("revoke",           "取消资格",      S.FILED,             S.REVOKED,           CITY,      OPINION, ("revocation_due",),    ("ban_lead_unit",)),
    Step("request_member_change", "申请成员变更", S.FILED,        S.FILED,             APPLICANT, OPINION, ("member_change_allowed",), ("record_member_change_request",)),
    Step("record_member_change",  "成员变更备案", S.FILED,        S.FILED,             CITY,      False, ("member_change_still_valid",), ("apply_member_change",)),
    Step("return_member_change",  "退回成员变更", S.FILED,        S.FILED,             CITY,      OPINION, ("member_change_pending",), ("return_member_change",)),
    Step("request_dissolution",   "申请解散",    S.FILED,          S.FILED,             APPLICANT, OPINION, ("no_dissolution_request_pending", "no_active_projects"), ("record_dissolution_request",)),
    Step("return_dissolution",    "退回解散申请", S.FILED,         S.FILED,             CITY,      OPINION, ("dissolution_requested",), ("return_dissolution_request",)),
    Step("dissolve",         "解散",          S.FILED,             S.DISSOLVED,         CITY,      OPINION, ("dissolution_requested", "no_active_projects"), ("record_dissolution",)),
    Step("assign_liaison",   "选派科技联络员", S.FILED,             S.FILED,             CITY,      False, ("liaison_eligible",),    ("assign_liaison",)),
]
del S, OPINION
STEP_BY_KEY = {(step.source, step.action): step for step in STEPS}
ACTION_LABELS = {step.action: step.label for step in STEPS}

# Sent after the transaction commits; notification code listens here.
status_changed = Signal()  # kwargs: consortium, change

_guards = {}
_effects = {}


def guard(name):
    """Register a guard by name: ``fn(consortium, actor, params) -> [reasons]`` (empty lets the step through)."""
    return _registrar(_guards, name)


def effect(name):
    """Register an effect by name: ``fn(consortium, change, actor, params)``; may set fields of ``consortium``."""
    return _registrar(_effects, name)


def _registrar(registry, name):
    def register(function):
        known = registry.get(name)
        if known is not None and known.__qualname__ != function.__qualname__:
            raise ImproperlyConfigured(f"workflow: “{name}” is registered twice ({known.__module__}, {function.__module__})")
        registry[name] = function
        return function

    return register


def registered_guards():
    return dict(_guards)


def registered_effects():
    return dict(_effects)


def _named(registry, name, kind):
    try:
        return registry[name]
    except KeyError:
        raise ImproperlyConfigured(f"workflow: the {kind} “{name}” named in STEPS is not registered") from None


class TransitionError(Exception):
    """The step is not possible now: the state changed, an opinion is missing, or a guard refused it."""

    def __init__(self, message, reasons=()):
        self.reasons = list(reasons)
        super().__init__(message + ("".join(f"\n{reason}" for reason in self.reasons)))
        self.message = message


def steps_from(status, role=None):
    """The steps that leave a status (those a role may take, if given), in table order."""
    return [s for s in STEPS if s.source == status and (role is None or role in s.roles)]


def in_scope(actor, consortium_id):
    """The one scope rule, Consortium.objects.visible_to, asked of one consortium."""
    return Consortium.objects.visible_to(actor).filter(pk=consortium_id).exists()


def available_steps(actor, consortium):
    """The steps this actor may take on this consortium now (for buttons and forms)."""
    steps = steps_from(consortium.status, actor.role)
    if steps and not in_scope(actor, consortium.pk):
        return []
    return steps


def refusal_reasons(step, consortium, actor, params=None):
    """What the step's guards say against it now, without taking it (for showing why a button is off)."""
    return [reason for name in step.guards for reason in _named(_guards, name, "guard")(consortium, actor, params or {})]


def transition(consortium_id, action, actor, *, opinion="", request=None, **params):
    """Take ``action`` on the consortium as ``actor``; return the changed consortium.

    Locks the row, checks the state, the actor's role and scope, the opinion and the step's
    guards; writes the status, the decision record, the step's effects and the audit event in
    one transaction. ``params`` are handed to the guards and effects (a name, a round, experts),
    with the request under "request".
    """
    opinion = (opinion or "").strip()
    params["request"] = request
    with transaction.atomic():
        consortium = Consortium.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=consortium_id)
        step = STEP_BY_KEY.get((consortium.status, action))
        if step is None:
            raise TransitionError(
                f"该申请当前状态为“{consortium.get_status_display()}”，无法执行“{ACTION_LABELS.get(action, action)}”，"
                "可能已被他人处理，请刷新页面查看最新状态。"
            )
        if actor.role not in step.roles or not in_scope(actor, consortium.pk):
            raise PermissionDenied("您无权对该申请执行此操作。")
        if step.opinion_required and not opinion:
            raise TransitionError(f"“{step.label}”须填写意见。")
        reasons = refusal_reasons(step, consortium, actor, params)
        if reasons:
            raise TransitionError(f"不能“{step.label}”：", reasons)
        consortium.status = step.target
        change = StatusChange.objects.create(
            consortium=consortium, action=action, from_status=step.source, to_status=step.target,
            actor=actor, actor_role=actor.role, opinion=opinion,
        )
        for name in step.effects:
            _named(_effects, name, "effect")(consortium, change, actor, params)
        if change.detail:  # what the effects decided (a grade, the members changed), for the timeline and notices
            change.save(update_fields=["detail"])
        consortium.save()
        audit.record(
            AuditEvent.Action.STATUS_CHANGE, request=request, actor=actor, target=f"创新联合体 {consortium.pk} {consortium.name}",
            detail=f"{step.label}：{Status(step.source).label}" + (f" → {Status(step.target).label}" if step.target != step.source else "")
            + (f"；{change.detail}" if change.detail else "") + (f"；意见：{opinion}" if opinion else ""),
        )
        transaction.on_commit(lambda: status_changed.send(sender=Consortium, consortium=consortium, change=change))
    return consortium
