"""The benchmark's data builder still builds what `make bench-dossier` measures (a submitted, frozen 申请书)."""

import pytest

from applications.choices import Status
from benchmarks import dossier_data

pytestmark = pytest.mark.django_db


def test_the_benchmark_application_is_submitted_with_its_declared_members():
    application = dossier_data.build(units=6, platforms=1, projects=1, plan_characters=600, attachments=2, attachment_pages=1)
    assert application.consortium.status == Status.SUBMITTED
    content = application.versions.get().content
    assert len(content["members"]) == 6
    assert all(member["unit"]["name"] for member in content["members"])
    assert len(content["attachments"]) == 2
