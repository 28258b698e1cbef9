"""The read side of the 绩效评价: grade histories, revocations due and recommendations (in SQL), experts' tasks."""

from django.db.models import OuterRef, Prefetch, Subquery

from applications.choices import Status
from applications.models import Consortium

from ..choices import Grade
from ..models import Evaluation, ExpertPanel, PanelAssignment


def grade_history(consortium):
    return list(Evaluation.objects.filter(consortium=consortium).select_related("decided_by").order_by("year", "pk"))


def revocation_proposals(user):
    """Filed consortia whose last two evaluations are 不合格: the portal proposes their revocation.

    rules.revocation_due in SQL (the last two grades, whatever years they fall in), so that the dashboard's count
    costs the same whatever the number of evaluations; the revoke step itself checks rules.revocation_due.
    """
    latest = Evaluation.objects.filter(consortium=OuterRef("pk")).order_by("-decided_at", "-pk").values("grade")
    ever_unqualified = Evaluation.objects.filter(grade=Grade.UNQUALIFIED).values("consortium_id")
    return (
        Consortium.objects.visible_to(user).filter(status=Status.FILED, pk__in=ever_unqualified)
        .annotate(last_grade=Subquery(latest[:1]), grade_before=Subquery(latest[1:2]))
        .filter(last_grade=Grade.UNQUALIFIED, grade_before=Grade.UNQUALIFIED)
        .select_related("lead_unit__bureau", "industry_field").order_by("name", "pk")
    )


def recommended(user):
    """Filed consortia whose latest grade is 优秀 (§六（二）: recommended to provincial level, more project support),
    each with its whole grade history."""
    latest = Evaluation.objects.filter(consortium=OuterRef("pk")).order_by("-decided_at", "-pk")
    return (
        Consortium.objects.visible_to(user).filter(status=Status.FILED)
        .annotate(latest_grade=Subquery(latest.values("grade")[:1])).filter(latest_grade=Grade.EXCELLENT)
        .select_related("lead_unit__bureau", "industry_field")
        .prefetch_related(Prefetch("evaluations", Evaluation.objects.order_by("year", "pk"), to_attr="grade_history"))
        .order_by("name", "pk")
    )


def latest_grade(consortium):
    return Evaluation.objects.filter(consortium=consortium).order_by("-decided_at", "-pk").first()


def expert_tasks(user):
    return (
        PanelAssignment.objects.visible_to(user)
        .select_related("panel__consortium__lead_unit", "panel__consortium__industry_field", "panel__report")
        .order_by("submitted_at", "-assigned_at")
    )


def panel(report):
    return (
        ExpertPanel.objects.filter(report=report)
        .prefetch_related(Prefetch("assignments", PanelAssignment.objects.select_related("expert").prefetch_related("scores__criterion")))
        .first()
    )


def expert_task(user, pk):
    return expert_tasks(user).filter(pk=pk).first()
