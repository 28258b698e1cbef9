from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from applications.choices import Status
from applications.models import Consortium, Membership
from tests import factories
from tests.lifecycle import cast_at

pytestmark = pytest.mark.django_db


def test_a_lead_unit_cannot_lead_two_live_consortia_even_bypassing_forms():
    first = factories.consortium()
    with pytest.raises(IntegrityError), transaction.atomic():
        Consortium.objects.create(name="第二个", industry_field=first.industry_field, lead_unit=first.lead_unit)


def test_a_lead_unit_may_lead_again_after_its_consortium_was_rejected():
    first = cast_at(Status.REJECTED).consortium
    second = Consortium.objects.create(name="重新组建", industry_field=first.industry_field, lead_unit=first.lead_unit)
    assert second.status == Status.DRAFT


def test_credit_codes_are_unique():
    unit = factories.unit()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.unit(credit_code=unit.credit_code)


@pytest.mark.parametrize("field", ["sales_revenue", "rd_spend"])
def test_money_cannot_be_negative_in_the_database(field):
    consortium = factories.consortium()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.member(consortium, **{field: Decimal("-0.01")})


def test_a_unit_joins_a_consortium_once_while_it_is_a_member():
    consortium = factories.consortium()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(consortium=consortium, unit=consortium.lead_unit, role="member")


def test_a_filed_consortium_has_a_record_number():
    consortium = factories.consortium()
    consortium.status = Status.FILED
    with pytest.raises(IntegrityError), transaction.atomic():
        consortium.save()
