"""The printed annual report's cover holds on one unnumbered page whatever the names (the forms allow 128
characters): a long lead unit once pushed the cover's last lines onto a page numbered "— 1 —"."""

import pytest

from applications.models import Consortium, Unit
from evaluations import documents
from tests import factories
from tests.applications.dossier.helpers import page_texts
from tests.evaluations.helpers import filed, this_year
from tests.lifecycle import submit_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("lead", "name"), [
    ("江苏镇江高端装备智能制造与新一代信息技术新材料产业协同创新研究院有限公司", None),  # 40 characters
    (factories.longest_name(1), factories.longest_name(2, "（智能电气）创新联合体")),
], ids=["40-character lead", "128-character names"])
def test_the_cover_stays_one_unnumbered_page(lead, name):
    cast = filed()
    Unit.objects.filter(pk=cast.consortium.lead_unit_id).update(name=lead)
    if name:
        Consortium.objects.filter(pk=cast.consortium.pk).update(name=name)
    cast.consortium.refresh_from_db()
    report = submit_report(cast.consortium, cast.applicant, this_year())
    texts = ["".join(text.split()) for text in page_texts(documents.annual_report(report), "-raw")]
    cover, first = texts[0], texts[1]
    for printed in (lead, cast.consortium.name, "报送日期", "镇江市科学技术局", "验证码"):
        assert printed in cover
    assert "—1—" not in cover and "一、年度主要指标" not in cover
    assert first.startswith("一、年度主要指标") and "—1—" in first
