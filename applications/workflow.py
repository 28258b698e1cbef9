"""The lifecycle of DESIGN.md, as data, and the one engine that moves anything through a state table.

Read ``STEPS`` top to bottom and you have the consortium's whole process: from which state an action may be
taken, where it leads, who may take it, whether a written opinion is required, which guards must let it
through, which check finds what the step acts on, and which effects apply it. No other code writes
``Consortium.status``.

A request with a life of its own (a member change, a dissolution request) has its own small table, a
``Flow`` over its own model, declared by the app that owns it; it goes through the same engine, on a filed
consortium whose row it locks first (the rules it is judged by read the consortium).

Guards, checks and effects are registered by name by the app that owns them (in its AppConfig.ready()),
so that a later stage adds its own without this module importing it:

    @workflow.guard("no_banned_unit")       # a condition several steps share
    def no_banned_unit(consortium, actor, proposal): return [reasons]  # [] lets the step through

    @workflow.check("evaluation")            # what one step acts on, found once
    def evaluation(consortium, actor, proposal, subject): ... return GradeDecision(...)  # or raise Refused([reasons])

    @workflow.effect("record_evaluation")    # applies the decision, in the same transaction
    def record_evaluation(taken, decision): ... return the Evaluation

A step's decision is what its check returned, or, for a step without a check, the caller's proposal as it
was given. Effects take that decision and never look it up again; what each returns comes back to the
caller in ``Outcome.results``. An effect may set ``taken.change.detail`` (what the step decided besides its
opinion: a grade, the members added and removed); the timeline, the audit event and the notices show it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.dispatch import Signal

from accounts import audit
from accounts.roles import Role
from accounts.scoped import Scoped
from applications import audit_actions as applications_actions
from operations.prepared import Prepared

from .choices import Status
from .models import Consortium, StatusChange


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    source: str | None  # None: the step creates the flow's subject (a request)
    target: str
    roles: frozenset
    opinion_required: bool = False
    guards: tuple = ()
    check: str | None = None
    effects: tuple = ()


S = Status
APPLICANT, DISTRICT, CITY = frozenset({Role.APPLICANT}), frozenset({Role.DISTRICT_REVIEWER}), frozenset({Role.MUNICIPAL_STAFF})
OPINION = True
# "no_banned_unit": every step that moves a consortium toward 备案 (DESIGN.md rule 6; member changes judge the list
# after the change in their own check). "revocation_not_due": once two consecutive 不合格 make a revocation due, it is
# the consortium's next step (rule 5); nothing else may move it.
STEPS = [
    #     action             label           from                 to                   who        opinion  guards                  check                 effects
    Step("submit",           "提交申请",      S.DRAFT,             S.SUBMITTED,         APPLICANT, False, ("no_banned_unit",),     "readiness",          ("freeze_version", "candidate_applied")),
    Step("resubmit",         "修改后重新提交", S.RETURNED,          S.SUBMITTED,         APPLICANT, False, ("no_banned_unit",),     "readiness",          ("freeze_version",)),
    Step("resubmit",         "修改后重新提交", S.RETURNED_BY_CITY,  S.DISTRICT_PASSED,   APPLICANT, False, ("no_banned_unit",),     "readiness",          ("freeze_version",)),
    Step("district_pass",    "初审通过",      S.SUBMITTED,         S.DISTRICT_PASSED,   DISTRICT,  OPINION, ("no_banned_unit",),    None,                 ("recommendation_opinion",)),
    Step("district_return",  "退回修改",      S.SUBMITTED,         S.RETURNED,          DISTRICT,  OPINION),
    Step("district_reject",  "初审不予通过",   S.SUBMITTED,         S.REJECTED,          DISTRICT,  OPINION),
    Step("start_appraisal",  "启动综合论证",   S.DISTRICT_PASSED,   S.UNDER_APPRAISAL,   CITY,      False, ("no_banned_unit",),     None,                 ("open_appraisal",)),
    Step("file",             "予以备案",      S.UNDER_APPRAISAL,   S.FILED,             CITY,      OPINION, ("no_banned_unit",),   "appraisal_decided",  ("close_appraisal", "file_consortium", "candidate_filed")),
    Step("not_file",         "不予备案",      S.UNDER_APPRAISAL,   S.NOT_FILED,         CITY,      OPINION, (),                    "appraisal_decided",  ("close_appraisal",)),
    Step("city_return",      "退回修改",      S.UNDER_APPRAISAL,   S.RETURNED_BY_CITY,  CITY,      OPINION, (),                    "appraisal_running",  ("close_appraisal",)),
    # After 备案 (seed §六). A grade and its 复核 and the choice of the 科技联络员 leave a filed consortium filed: they are
    # decisions on the consortium itself (its standing, who follows it), with a record like every other step.
    Step("evaluate",         "绩效评价",      S.FILED,             S.FILED,             CITY,      OPINION, ("revocation_not_due",), "evaluation",       ("record_evaluation",)),
    Step("correct_grade",    "评价结果复核",   S.FILED,             S.FILED,             CITY,      OPINION, (),                    "grade_correction",   ("record_grade_correction",)),
    Step("revoke",           "取消资格",      S.FILED,             S.REVOKED,           CITY,      OPINION, (),                    "revocation",         ("ban_lead_unit",)),
    Step("dissolve",         "解散",          S.FILED,             S.DISSOLVED,         CITY,      OPINION, ("revocation_not_due", "no_active_projects"), "dissolution_requested", ("record_dissolution",)),
    Step("assign_liaison",   "选派科技联络员", S.FILED,             S.FILED,             CITY,      False, (),                      "liaison",            ("assign_liaison",)),
]
del S, OPINION


class TransitionError(Exception):
    """The step is not possible now: the state changed, an opinion is missing, or a guard or check refused it."""

    def __init__(self, message, reasons=()):
        self.reasons = list(reasons)
        super().__init__(message + ("".join(f"\n{reason}" for reason in self.reasons)))
        self.message = message


class Refused(Exception):
    """Raised by a check: the step cannot be taken, for these reasons."""

    def __init__(self, reasons):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("；".join(self.reasons))


@dataclass
class Taken:
    """A step being taken, as its effects see it: they write in the same transaction."""

    consortium: Consortium
    change: StatusChange
    actor: object
    request: object = None
    subject: object = None  # the flow's own row (a request), when the flow has one


@dataclass(frozen=True)
class Outcome:
    """What ``transition()`` returns: the consortium as it is now, the decision record, what the check decided,
    and what each effect returned (by effect name)."""

    consortium: Consortium
    change: StatusChange
    decision: object
    results: dict = field(default_factory=dict)
    subject: object = None


# Sent after the transaction commits; notification code listens here.
status_changed = Signal()  # kwargs: consortium, change

_guards, _checks, _effects = {}, {}, {}
_flows = []


def guard(name):
    """Register a guard by name: ``fn(consortium, actor, proposal) -> [reasons]`` (empty lets the step through)."""
    return _registrar(_guards, name)


def check(name):
    """Register a check by name: ``fn(consortium, actor, proposal, subject) -> decision``, raising ``Refused`` when the
    step cannot be taken (``subject``: the flow's own row, a request, or None)."""
    return _registrar(_checks, name)


def effect(name):
    """Register an effect by name: ``fn(taken, decision) -> result``; may set fields of ``taken.consortium``."""
    return _registrar(_effects, name)


def _registrar(registry, name):
    def register(function):
        known = registry.get(name)
        if known is not None and known.__qualname__ != function.__qualname__:
            raise ImproperlyConfigured(f"workflow: “{name}” is registered twice ({known.__module__}, {function.__module__})")
        registry[name] = function
        return function

    return register


def registered():
    """{"guard"|"check"|"effect": {name: function}}: what the apps registered (the tests compare it with the tables)."""
    return {"guard": dict(_guards), "check": dict(_checks), "effect": dict(_effects)}


def flows():
    """Every state table declared so far: the consortium's lifecycle first, then the requests' (apps declare theirs)."""
    return list(_flows)


def label(action):
    """What an action is called, whichever table it is in (for the timeline)."""
    for flow in _flows:
        if action in flow.labels:
            return flow.labels[action]
    return action


def _named(registry, name, kind):
    try:
        return registry[name]
    except KeyError:
        raise ImproperlyConfigured(f"workflow: the {kind} “{name}” named in a state table is not registered") from None


# Prepared for each kind of user (accounts.scoped): every step, save, upload and per-object check asks it (the ORM's
# exists() took 0.31 ms of CPU on SQLite and 0.44 ms on PostgreSQL, the prepared statement 0.02 and 0.07 ms).
_IN_SCOPE = Scoped(lambda user, consortium: Consortium.objects.visible_to(user).filter(pk=consortium).values_list("pk"))


# The consortium a step changes, its row locked until the step commits, with its lead unit (prepared, as above:
# 0.5–0.8 ms of CPU to compile and run with the ORM).
_LOCKED = Prepared(lambda consortium: Consortium.objects.select_for_update(of=("self",)).select_related("lead_unit").filter(pk=consortium))


def in_scope(actor, consortium_id):
    """The one scope rule, Consortium.objects.visible_to, asked of one consortium."""
    return actor.is_authenticated and bool(_IN_SCOPE(actor, consortium_id))


class Flow:
    """A state table and the one way through it.

    ``model`` is None for the consortium's own lifecycle (its ``status`` is the state); otherwise the flow's
    subject is a row of ``model`` with a ``consortium`` and a ``status``, one at most in a non-final state per
    consortium, and the consortium must be in ``consortium_status``.
    """

    def __init__(self, name, steps, *, model=None, consortium_status=None, busy=""):
        """``busy``: what a second request is told while one is open (a flow with a model)."""
        self.name, self.steps, self.model, self.consortium_status, self.busy = name, list(steps), model, consortium_status, busy
        self.by_key = {(step.source, step.action): step for step in self.steps}
        self.labels = {step.action: step.label for step in self.steps}
        _flows.append(self)

    def __repr__(self):
        return f"<Flow {self.name}>"

    # --- reading the table ---------------------------------------------------------------------------

    def state_of(self, consortium, subject=None):
        return consortium.status if self.model is None else (subject.status if subject is not None else None)

    def steps_from(self, state, role=None):
        """The steps that leave a state (those a role may take, if given), in table order."""
        return [s for s in self.steps if s.source == state and (role is None or role in s.roles)]

    def available_steps(self, actor, consortium, subject=None):
        """The steps this actor may take now, by state, role and scope (for buttons and forms; before the guards)."""
        steps = self.steps_in_scope(actor, consortium, subject)
        if steps and not in_scope(actor, consortium.pk):
            return []
        return steps

    def steps_in_scope(self, actor, consortium, subject=None):
        """available_steps for a consortium the caller read through Consortium.objects.visible_to(actor) (a page's
        own consortium): by state and role, without asking the scope again."""
        if self.model is not None and consortium.status != self.consortium_status:
            return []
        return self.steps_from(self.state_of(consortium, subject), actor.role)

    def refusal_reasons(self, step, consortium, actor, proposal=None, subject=None):
        """What the step's guards and check say against it now, without taking it (for showing why a button is off)."""
        return self._judge(step, consortium, actor, proposal, subject)[1]

    # --- taking a step ---------------------------------------------------------------------------------

    def transition(self, consortium_id, action, actor, *, opinion="", request=None, proposal=None, subject_id=None):
        """Take ``action`` as ``actor``; return the Outcome.

        Locks the consortium's row (and the subject's), checks the state, the actor's role and scope, the opinion,
        the step's guards and its check; writes the state, the decision record, the step's effects and the audit
        event in one transaction. ``subject_id`` pins the request a page showed (a stale page never decides
        another one).
        """
        opinion = (opinion or "").strip()
        with transaction.atomic():
            consortium = _LOCKED.get(consortium_id)
            subject = self._subject(consortium, action, subject_id)
            step = self.by_key.get((self.state_of(consortium, subject), action))
            if step is None or (self.model is not None and consortium.status != self.consortium_status):
                raise TransitionError(self._stale_message(consortium, subject, action))
            if actor.role not in step.roles or not in_scope(actor, consortium.pk):
                raise PermissionDenied("您无权对该申请执行此操作。")
            if step.opinion_required and not opinion:
                raise TransitionError(f"“{step.label}”须填写意见。")
            decision, reasons = self._judge(step, consortium, actor, proposal, subject)
            if reasons:
                raise TransitionError(f"不能“{step.label}”：", reasons)
            before = consortium.status
            if self.model is None:
                consortium.status = step.target
            change = StatusChange.objects.create(
                consortium=consortium, action=action, from_status=before, to_status=consortium.status,
                actor=actor, actor_role=actor.role, opinion=opinion,
            )
            taken = Taken(consortium, change, actor, request, subject)
            results = {name: _named(_effects, name, "effect")(taken, decision) for name in step.effects}
            if self.model is not None:
                if taken.subject is None:
                    raise ImproperlyConfigured(f"workflow: “{action}” of {self.name} neither found nor created its subject")
                taken.subject.status = step.target
                taken.subject.save(update_fields=["status"])
            if change.detail:  # what the effects decided (a grade, the members changed), for the timeline and notices
                change.save(update_fields=["detail"])
            consortium.save()
            audit.record(
                applications_actions.STATUS_CHANGE, request=request, actor=actor, target=f"创新联合体 {consortium.pk} {consortium.name}",
                detail=f"{step.label}：{Status(before).label}" + (f" → {Status(consortium.status).label}" if consortium.status != before else "")
                + (f"；{change.detail}" if change.detail else "") + (f"；意见：{opinion}" if opinion else ""),
            )
            transaction.on_commit(lambda: status_changed.send(sender=Consortium, consortium=consortium, change=change))
        return Outcome(consortium, change, decision, results, taken.subject)

    def _subject(self, consortium, action, subject_id):
        if self.model is None:
            return None
        open_states = {step.source for step in self.steps if step.source is not None}
        subjects = self.model.objects.select_for_update(of=("self",)).filter(consortium=consortium, status__in=open_states)
        if subject_id is not None:
            return self.model.objects.select_for_update(of=("self",)).filter(consortium=consortium, pk=subject_id).first()
        return subjects.order_by("-pk").first()

    def _judge(self, step, consortium, actor, proposal, subject):
        reasons = [reason for name in step.guards for reason in _named(_guards, name, "guard")(consortium, actor, proposal)]
        decision = proposal
        if step.check:
            try:
                decision = _named(_checks, step.check, "check")(consortium, actor, proposal, subject)
            except Refused as refused:
                reasons += refused.reasons
        return decision, list(dict.fromkeys(reasons))

    def _stale_message(self, consortium, subject, action):
        label = self.labels.get(action, action)
        if self.model is not None and consortium.status != self.consortium_status:
            return f"该创新联合体当前状态为“{consortium.get_status_display()}”，无法执行“{label}”。"
        if self.model is not None and subject is not None and (None, action) in self.by_key:
            return self.busy
        if self.model is not None:
            state = subject.get_status_display() if subject is not None else "无待办理事项"
            return f"该事项当前为“{state}”，无法执行“{label}”，可能已被他人处理，请刷新页面查看最新状态。"
        return (f"该申请当前状态为“{consortium.get_status_display()}”，无法执行“{label}”，"
                "可能已被他人处理，请刷新页面查看最新状态。")


LIFECYCLE = Flow("consortium", STEPS)
STEP_BY_KEY = LIFECYCLE.by_key
ACTION_LABELS = LIFECYCLE.labels
steps_from = LIFECYCLE.steps_from
available_steps = LIFECYCLE.available_steps
refusal_reasons = LIFECYCLE.refusal_reasons
transition = LIFECYCLE.transition
