"""The read side of the 绩效评价: grade histories in year order, revocations due and recommendations (the rules in SQL,
with a test that both agree), experts' tasks."""

from django.db.models import Exists, OuterRef, Prefetch, Subquery

from accounts.listing import PreparedRows
from accounts.scoped import Scoped
from applications.choices import Status
from applications.models import Consortium
from operations.prepared import Prepared, PreparedCount

from ..choices import Grade
from ..models import Evaluation, EvaluationCriterion, ExpertPanel, GradeCorrection, PanelAssignment, Recommendation


def graded_years(consortium):
    """[(year evaluated, grade)] of the consortium, in year order: what rules.revocation_due and rules.recommended read.
    Read through its relation, so that a page which read the evaluations with its consortium asks no more."""
    return sorted((evaluation.year, evaluation.grade) for evaluation in consortium.evaluations.all())


def grade_history(consortium):
    """Every evaluation in year order (the order §六（二） reads them in), with its corrections."""
    return list(Evaluation.objects.filter(consortium=consortium).select_related("decided_by")
                .prefetch_related(Prefetch("corrections", GradeCorrection.objects.select_related("decided_by")))
                .order_by("year", "pk"))


def _next_grade():
    """The grade of the next year evaluated after an evaluation's year (of the same consortium)."""
    return Subquery(Evaluation.objects.filter(consortium=OuterRef("consortium"), year__gt=OuterRef("year")).order_by("year").values("grade")[:1])


def revocation_proposals(user):
    """Filed consortia with two consecutive 不合格 (rules.consecutive_unqualified in SQL: an evaluation 不合格 whose next
    evaluated year is 不合格 too), so that the dashboard's count costs the same whatever the number of evaluations."""
    pairs = (Evaluation.objects.filter(consortium=OuterRef("pk"), grade=Grade.UNQUALIFIED)
             .annotate(next_grade=_next_grade()).filter(next_grade=Grade.UNQUALIFIED))
    return (
        Consortium.objects.visible_to(user).filter(status=Status.FILED).filter(Exists(pairs))
        .select_related("lead_unit__bureau", "industry_field").order_by("name", "pk")
    )


def _latest():
    return Evaluation.objects.filter(consortium=OuterRef("pk")).order_by("-year")


def recommended(user):
    """Filed consortia whose latest evaluated year is 优秀 (rules.recommended in SQL; §六（二）: recommended to provincial
    level), each with its grade history and the city's 推荐 decision on that year, if any."""
    return _recommended(user).prefetch_related(Prefetch("evaluations", Evaluation.objects.order_by("year", "pk"), to_attr="grade_history"))


def recommended_page(user):
    """recommended(user) for a paginator, without a queryset built and compiled for each page: the count and a page of
    rows by prepared queries (accounts.scoped), the grade histories of the page's rows by one more."""
    def page(rows):
        consortia = _RECOMMENDED_ROWS(user, rows)
        histories = {consortium.pk: [] for consortium in consortia}
        for evaluation in _grade_histories([consortium.pk for consortium in consortia]) if consortia else ():
            histories[evaluation.consortium_id].append(evaluation)
        for consortium in consortia:
            consortium.grade_history = histories[consortium.pk]
        return consortia

    return PreparedRows(lambda: _RECOMMENDED_COUNT(user), page)


def _recommended(user):
    decision = Recommendation.objects.filter(consortium=OuterRef("pk"), year=OuterRef("latest_year"))
    return (
        Consortium.objects.visible_to(user).filter(status=Status.FILED)
        .annotate(latest_grade=Subquery(_latest().values("grade")[:1]), latest_year=Subquery(_latest().values("year")[:1]))
        .filter(latest_grade=Grade.EXCELLENT)
        .annotate(recommendation_id=Subquery(decision.values("pk")[:1]))
        .select_related("lead_unit__bureau", "industry_field")
        .order_by("name", "pk")
    )


def _recommended_rows(user, rows: slice):
    """A page of recommended(user) with only what its rows show (the name, the 备案编号, the lead unit's and the industry
    field's names): each of 50 rows was four full objects, a third of the page's time."""
    return (_recommended(user).select_related(None).select_related("lead_unit", "industry_field")
            .only("name", "record_number", "lead_unit__name", "industry_field__name")[rows])


_RECOMMENDED_ROWS = Scoped(_recommended_rows)
_RECOMMENDED_COUNT = Scoped(_recommended, PreparedCount)


@Prepared
def _grade_histories(consortia: list):
    """The year and grade of each evaluation (not its frozen content, which the page does not show)."""
    return Evaluation.objects.filter(consortium_id__in=consortia).only("consortium_id", "year", "grade").order_by("year", "pk")


def latest_grade(consortium):
    """The evaluation of the latest year evaluated."""
    return Evaluation.objects.filter(consortium=consortium).order_by("-year").first()


@Prepared
def _recommendations(consortium):
    return Recommendation.objects.filter(consortium_id=consortium).select_related("decided_by").order_by("-year", "-pk")


def recommendations(consortium):
    return _recommendations(consortium.pk)


def expert_tasks(user):
    return (
        PanelAssignment.objects.visible_to(user)
        .select_related("panel__consortium__lead_unit", "panel__consortium__industry_field", "panel__report")
        .to_do_first()
    )


def panel(consortium, year):
    return (
        ExpertPanel.objects.filter(consortium=consortium, year=year)
        .prefetch_related(Prefetch("assignments", PanelAssignment.objects.select_related("expert").prefetch_related("scores__criterion")))
        .first()
    )


def expert_task(user, pk):
    return expert_tasks(user).filter(pk=pk).first()


def evaluation(user, consortium, pk):
    """A 绩效评价 of this consortium the user may see; None otherwise."""
    return Evaluation.objects.visible_to(user).filter(consortium=consortium, pk=pk).first()


def correction(user, consortium, pk):
    """A 复核 of one of this consortium's grades the user may see, with its evaluation; None otherwise."""
    return (GradeCorrection.objects.visible_to(user).filter(evaluation__consortium=consortium)
            .select_related("evaluation").filter(pk=pk).first())


def active_criteria():
    return list(EvaluationCriterion.objects.filter(is_active=True))
