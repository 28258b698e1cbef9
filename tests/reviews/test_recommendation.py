"""The district's 推荐意见 (DESIGN.md rule 12): frozen when the 初审 passes, printed on one A4 page in the notice layout
by a background task, filed with the application and shown to the city; its code verifies."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.roles import Role
from applications.choices import Status
from applications.dossier import verification
from candidates import services as candidate_services
from reviews.models import RecommendationOpinion
from tests import factories
from tests.lifecycle import cast_at

pytestmark = pytest.mark.django_db


def pass_initial_review(django_capture_on_commit_callbacks, *, listed=False):
    cast = cast_at(Status.SUBMITTED)
    if listed:
        lead = cast.consortium.lead_unit
        candidate_services.add_candidate(cast.district, {
            "name": lead.name, "credit_code": lead.credit_code, "bureau": lead.bureau, "industry_field": factories.industry_field(),
            "contact_name": "王经理", "contact_phone": "13800000001", "contact_email": "wang@example.com",
            "reason": "行业龙头，研发投入占比 6%。"})
    with django_capture_on_commit_callbacks(execute=True):
        cast.take("district_pass", opinion="材料齐全，同意推荐。")
    return cast


def test_passing_the_initial_review_files_a_printed_one_page_recommendation(django_capture_on_commit_callbacks):
    cast = pass_initial_review(django_capture_on_commit_callbacks, listed=True)
    opinion = RecommendationOpinion.objects.get(consortium=cast.consortium)
    assert opinion.state == RecommendationOpinion.State.DONE
    assert opinion.content["opinion"] == "材料齐全，同意推荐。"
    assert opinion.content["bureau"] == "京口区科学技术局"
    assert opinion.content["candidate"]["origin"] == "板块推荐"
    reader = PdfReader(io.BytesIO(opinion.file.read()))
    assert len(reader.pages) == 1
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4 in points
    text = reader.pages[0].extract_text()
    for printed in ("创新联合体备案推荐意见", "镇江市科学技术局：", "材料齐全，同意推荐。", "行业龙头，研发投入占比 6%。", "京口区科学技术局",
                    verification.code_for(opinion.sha256)):
        assert printed in text.replace("\n", "")


def test_the_city_and_the_district_download_it_the_applicant_and_another_district_cannot(client, django_capture_on_commit_callbacks):
    cast = pass_initial_review(django_capture_on_commit_callbacks)
    url = reverse("reviews:recommendation", args=[cast.consortium.pk])
    client.force_login(cast.city)
    page = client.get(reverse("reviews:review", args=[cast.consortium.pk])).content.decode()
    assert "京口区科学技术局推荐意见" in page and url in page
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    client.force_login(cast.district)
    assert client.get(url).status_code == 200
    client.force_login(cast.applicant)
    assert client.get(url).status_code == 403
    client.force_login(factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市")))
    assert client.get(url).status_code == 404


def test_its_code_verifies_and_names_the_recommending_district(django_capture_on_commit_callbacks):
    cast = pass_initial_review(django_capture_on_commit_callbacks)
    opinion = RecommendationOpinion.objects.get(consortium=cast.consortium)
    found = verification.find_document(verification.code_for(opinion.sha256))
    assert found.title == "创新联合体备案推荐意见"
    assert ("推荐单位", "京口区科学技术局") in found.facts


def test_a_failed_print_says_why_and_is_queued_again_when_asked(client, django_capture_on_commit_callbacks, settings):
    settings.NOTICE_BODY_FONT = "没有这种字体"
    cast = pass_initial_review(django_capture_on_commit_callbacks)
    opinion = RecommendationOpinion.objects.get(consortium=cast.consortium)
    assert opinion.state == RecommendationOpinion.State.FAILED
    assert "NOTICE_BODY_FONT" in opinion.error or "字体" in opinion.error
    settings.NOTICE_BODY_FONT = "仿宋_GB2312, FandolFang"
    client.force_login(cast.city)
    response = client.get(reverse("reviews:recommendation", args=[cast.consortium.pk]), follow=True)
    assert "已重新生成推荐意见，请稍后刷新页面下载。" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.state == RecommendationOpinion.State.DONE
