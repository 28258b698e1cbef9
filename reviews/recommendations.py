"""The district's 推荐意见 (seed §四（一）: 板块推荐; DESIGN.md rule 12): when a district passes the 初审, what it
recommends is frozen with the application (the workflow's effect ``recommendation_opinion``, in the step's own
transaction) and printed as a one-page A4 in the bureau's notice layout by a background task, never in a request.
The city reads it on the review page; its code verifies on the public verify page like the other notices."""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.roles import Role
from accounts.scoped import Scoped
from applications import workflow
from applications.dossier import verification
from applications.dossier.errors import DossierError
from applications.dossier.render import notice_pdf
from applications.models import Consortium
from candidates.services import candidate_of
from operations import clock
from operations.background import background_task, enqueue
from operations.text import chinese_date, digest

from .models import RecommendationOpinion

logger = logging.getLogger(__name__)
State = RecommendationOpinion.State


def recommendation_content(consortium, change):
    """What the 推荐意见 states, as plain JSON: the application as submitted, the district's opinion and, for a lead
    from the 培育库, how and why it was put there."""
    lead = consortium.lead_unit
    version = consortium.application.versions.order_by("-number").first()
    candidate = candidate_of(lead)
    return {
        "consortium": {"name": consortium.name, "lead_unit": lead.name, "credit_code": lead.credit_code,
                       "industry_field": consortium.industry_field.name},
        "version_number": version.number if version else None,
        "bureau": lead.bureau.name if lead.bureau_id else "",
        "opinion": change.opinion,
        "decided_on": clock.localdate(change.created_at).isoformat(),
        "candidate": None if candidate is None else {
            "origin": candidate.get_origin_display(), "listed_on": clock.localdate(candidate.created_at).isoformat(),
            "reason": candidate.reason,
        },
    }


@workflow.effect("recommendation_opinion")
def _freeze_recommendation(taken, decision):
    content = recommendation_content(taken.consortium, taken.change)
    opinion = RecommendationOpinion.objects.create(consortium=taken.consortium, change=taken.change, content=content,
                                                   sha256=digest(content))
    transaction.on_commit(lambda: enqueue(render_recommendation, opinion.pk), robust=True)
    return opinion


def pdf(opinion):
    content = opinion.content
    return notice_pdf("reviews/recommendation.html", {
        "content": content, "decided_on": chinese_date(content["decided_on"]),
        "listed_on": chinese_date((content.get("candidate") or {}).get("listed_on")),
    }, code=verification.code_for(opinion.sha256))


def _give_up(opinion_id):
    RecommendationOpinion.objects.filter(pk=opinion_id).exclude(state=State.DONE).update(
        state=State.FAILED, error="生成失败：系统内部错误，请稍后重新生成；如仍失败请联系系统管理员。")


@background_task(title=lambda opinion_id: f"生成推荐意见（推荐意见 {opinion_id}）", retries=1,
                 first_retry_after=timedelta(seconds=30), on_give_up=_give_up)
def render_recommendation(opinion_id):
    run(opinion_id)


def run(opinion_id):
    """Render the frozen 推荐意见 once and keep the file; a missing font fails it with its message."""
    opinion = RecommendationOpinion.objects.filter(pk=opinion_id).first()
    if opinion is None or opinion.state == State.DONE:
        return
    try:
        printed = pdf(opinion)
    except DossierError as error:
        RecommendationOpinion.objects.filter(pk=opinion.pk).update(state=State.FAILED, error=str(error))
        return
    name = f"recommendation-{opinion.consortium_id}-{opinion.pk}.pdf"
    opinion.file.save(name, ContentFile(printed), save=False)
    opinion.state, opinion.error, opinion.rendered_at = State.DONE, "", clock.now()
    opinion.save(update_fields=["file", "state", "error", "rendered_at"])


def render_again(opinion):
    """A failed render is queued again (the content stays as frozen)."""
    RecommendationOpinion.objects.filter(pk=opinion.pk, state=State.FAILED).update(state=State.PENDING, error="")
    enqueue(render_recommendation, opinion.pk)


_OF_CONSORTIUM = Scoped(lambda user, consortium: RecommendationOpinion.objects.filter(
    consortium__in=Consortium.objects.visible_to(user), consortium_id=consortium).order_by("pk")[:1])


def for_consortium(user, consortium_id):
    """The 推荐意见 of a consortium the user may see as a reviewer (its district, the city), or None: prepared."""
    if user.role not in (Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF):
        return None
    return next(iter(_OF_CONSORTIUM(user, consortium_id)), None)


@verification.document_finder
def verify(digits):
    opinion = RecommendationOpinion.objects.filter(sha256__startswith=digits).first()
    if opinion is None:
        return None
    content = opinion.content
    return verification.Document(verification.code_for(opinion.sha256), "创新联合体备案推荐意见", [
        ("创新联合体名称", content["consortium"]["name"]), ("牵头单位", content["consortium"]["lead_unit"]),
        ("推荐单位", content["bureau"]), ("申请书版本", f"第{content['version_number']}版"),
        ("日期", chinese_date(content["decided_on"])),
    ])
