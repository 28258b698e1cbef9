"""Issue 18.4, §五: 重点项目 and 揭榜挂帅 are 市级; a 省级以上科技计划 is 省级 or 国家级. Every kind × level pair, each way:
the form offers exactly the valid pairs, the service refuses the others with the rule, the database refuses them too."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications import choices as application_choices
from applications.choices import ProjectLevel
from applications.forms import ProjectForm as ApplicationProjectForm
from evaluations import choices as evaluation_choices
from evaluations.choices import SUPPORT_PROJECT_LEVELS, ProjectKind
from evaluations.models import SupportProject
from evaluations.support import services as support_services
from tests.evaluations.helpers import filed

pytestmark = pytest.mark.django_db

VALID = {
    ("key_project", "municipal"), ("open_competition", "municipal"),
    ("provincial_plan", "provincial"), ("provincial_plan", "national"),
    ("other", "municipal"), ("other", "provincial"), ("other", "national"),
}
PAIRS = [(kind, level) for kind in ProjectKind.values for level in [each.value for each in SUPPORT_PROJECT_LEVELS]]
REFUSAL = {
    "key_project": "市科技计划“项目+课题”重点项目的级别只能是市级。",
    "open_competition": "揭榜挂帅的级别只能是市级。",
    "provincial_plan": "省级以上科技计划的级别只能是省级或国家级。",
}


def test_the_pairs_cover_every_kind_and_level():
    assert len(PAIRS) == 12 and VALID < set(PAIRS)


def data(kind, level):
    today = timezone.localdate()
    return {"name": "联合攻关项目", "kind": kind, "level": level, "amount": Decimal("80.00"), "starts_on": today,
            "ends_on": today, "status": "ongoing"}


@pytest.mark.parametrize("kind, level", PAIRS)
def test_the_service_takes_a_valid_pair_and_refuses_another_with_the_rule(kind, level):
    cast = filed()
    if (kind, level) in VALID:
        project = support_services.record_project(cast.consortium.pk, cast.city, data(kind, level))
        assert (project.kind, project.level) == (kind, level)
    else:
        with pytest.raises(ValidationError) as refused:
            support_services.record_project(cast.consortium.pk, cast.city, data(kind, level))
        assert refused.value.message_dict == {"kind_level": [REFUSAL[kind]]}
        assert not SupportProject.objects.exists()


@pytest.mark.parametrize("kind, level", PAIRS)
def test_the_database_holds_the_pair(kind, level):
    cast = filed()
    project = support_services.record_project(cast.consortium.pk, cast.city, data("other", "municipal"))
    if (kind, level) in VALID:
        SupportProject.objects.filter(pk=project.pk).update(kind=kind, level=level)
        project.refresh_from_db()
        assert (project.kind, project.level) == (kind, level)
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            SupportProject.objects.filter(pk=project.pk).update(kind=kind, level=level)
        project.refresh_from_db()
        assert (project.kind, project.level) == ("other", "municipal")


def test_the_form_offers_exactly_the_valid_pairs(client):
    cast = filed()
    client.force_login(cast.city)
    response = client.get(reverse("evaluations:project_new", args=[cast.consortium.pk]))
    offered = {tuple(value.split("/")) for value, _ in _options(response.context["form"].fields["kind_level"].choices)}
    assert offered == VALID
    page = response.content.decode()
    assert "揭榜挂帅（市级）" in page and "揭榜挂帅（省级）" not in page and "省级以上科技计划（市级）" not in page


def _options(choices):
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        elif value:
            yield value, label


@pytest.mark.parametrize("kind, level", sorted(set(PAIRS) - VALID))
def test_a_pair_the_form_does_not_offer_is_refused_beside_the_field_and_nothing_typed_is_lost(client, kind, level):
    cast = filed()
    client.force_login(cast.city)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("evaluations:project_new", args=[cast.consortium.pk]), {
        "name": "九百万项目", "kind_level": f"{kind}/{level}", "amount": "900.00", "starts_on": today, "ends_on": today,
        "status": "ongoing"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"kind_level": ["该类别与级别的组合不符合《工作方案》五的规定，请重新选择。"]}
    page = response.content.decode()
    assert 'value="九百万项目"' in page and 'value="900.00"' in page
    assert not SupportProject.objects.exists()


def test_a_national_project_of_the_provincial_plan_is_recorded_through_the_form(client):
    cast = filed()
    client.force_login(cast.city)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("evaluations:project_new", args=[cast.consortium.pk]), {
        "name": "国家重点研发计划课题", "kind_level": "provincial_plan/national", "amount": "900.00", "starts_on": today,
        "ends_on": today, "status": "ongoing"})
    assert response.status_code == 302
    project = SupportProject.objects.get()
    assert (project.kind, project.level, project.amount) == ("provincial_plan", ProjectLevel.NATIONAL, Decimal("900.00"))
    # and it opens again with its pair chosen
    page = client.get(reverse("evaluations:project_edit", args=[cast.consortium.pk, project.pk])).content.decode()
    assert '<option value="provincial_plan/national" selected>' in page


def test_one_project_level_serves_both_stages_and_the_application_keeps_its_two_levels():
    assert evaluation_choices.ProjectLevel is application_choices.ProjectLevel
    assert [value for value, _ in ApplicationProjectForm().fields["level"].choices] == ["", "national", "provincial"]
    form = ApplicationProjectForm({"name": "项目", "level": "municipal"})
    assert not form.is_valid() and "level" in form.errors
