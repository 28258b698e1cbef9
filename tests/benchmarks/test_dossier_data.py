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
    # The two scans asked for, and the one-page proofs 形式审查 asks for (it ran: the application is submitted).
    enterprises = {m["unit"]["name"] for m in content["members"] if m["unit"]["kind"] == "enterprise"}
    licensed = {a["unit_name"] for a in content["attachments"] if a["kind"] == "license"}
    assert licensed == enterprises
    assert len([a for a in content["attachments"] if a["original_name"].startswith("scan-")]) == 2
