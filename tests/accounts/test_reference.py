"""Reference data from fixtures/: installed by the migrations, editable afterwards, never overwritten."""

import pytest
from django.core.management import call_command

from accounts import reference as accounts_reference
from accounts.models import Bureau
from applications import reference as applications_reference
from applications.models import IndustryField
from evaluations.models import EvaluationCriterion
from reviews.models import Criterion
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_migrations_installed_every_fixture_row():
    assert list(Bureau.objects.values_list("name", "district")) == [
        ("镇江市科学技术局", ""), ("京口区科学技术局", "京口区"), ("润州区科学技术局", "润州区"), ("丹徒区科学技术局", "丹徒区"),
        ("丹阳市科学技术局", "丹阳市"), ("扬中市科学技术局", "扬中市"), ("句容市科学技术局", "句容市"),
        ("镇江经开区科信局", "镇江经开区"), ("镇江高新区科发局", "镇江高新区"),
    ]
    assert IndustryField.objects.count() == len(accounts_reference.fixture_rows("industry_fields")) == 9
    assert sum(Criterion.objects.filter(is_active=True).values_list("weight", flat=True)) == 100
    assert dict(Criterion.objects.exclude(evidence="").values_list("name", "evidence")) == {
        "组织协同能力": "organisation", "运行机制": "charter"}


def test_the_tests_after_a_transactional_one_find_the_reference_data_as_migrating_left_it():
    """A transactional test empties every table; tests.factories.reference_data installs again what the migrations
    installed, the criteria with the parts of the 申请书 experts see beside them included."""
    migrated = [list(Model.objects.order_by("sort_order", "name").values_list(*fields)) for Model, fields in REFERENCE]
    for Model in (Criterion, EvaluationCriterion, IndustryField, Bureau):
        Model.objects.all().delete()
    factories.reference_data()
    assert [list(Model.objects.order_by("sort_order", "name").values_list(*fields)) for Model, fields in REFERENCE] == migrated


REFERENCE = [
    (Bureau, ["name", "district", "kind", "sort_order", "is_active"]),
    (IndustryField, ["name", "cluster", "sort_order", "is_active"]),
    (Criterion, ["name", "description", "weight", "sort_order", "is_active", "evidence"]),
    (EvaluationCriterion, ["name", "description", "weight", "sort_order", "is_active"]),
]


def test_an_administrators_edit_survives_installing_again():
    field = IndustryField.objects.get(name="智能电气")
    field.cluster, field.is_active = "改过的产业集群", False
    field.save()
    applications_reference.install(IndustryField)
    field.refresh_from_db()
    assert (field.cluster, field.is_active) == ("改过的产业集群", False)
    assert IndustryField.objects.count() == 9


def test_the_fixtures_load_with_loaddata_too():
    IndustryField.objects.all().delete()
    call_command("loaddata", "industry_fields", verbosity=0)
    assert IndustryField.objects.count() == 9
