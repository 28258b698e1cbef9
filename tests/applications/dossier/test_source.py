import pytest

from accounts.roles import Role
from applications import workflow
from applications.choices import AttachmentKind
from applications.dossier import source
from applications.models import Attachment
from tests import factories

from . import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(applicant):
    """Submitted, then returned by the district for revision."""
    app = helpers.application(applicant=applicant, with_attachments=False)
    helpers.submit(app, applicant)
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
    workflow.transition(app.consortium_id, "district_return", reviewer, opinion="请补充分工")
    app.refresh_from_db()
    return app, reviewer


def test_a_draft_prints_the_live_content_without_a_code(applicant):
    app = helpers.application(applicant=applicant, with_attachments=False)
    resolved = source.resolve(app, applicant)
    assert (resolved.is_draft, resolved.code, resolved.version) == (True, "", None)


def test_a_returned_application_prints_its_version_until_the_applicant_changes_it(applicant, returned):
    app, reviewer = returned
    version = app.versions.get()
    assert source.resolve(app, applicant).version == version
    app.governance = "修改后的运行机制。"
    app.save()
    assert source.resolve(app, applicant).is_draft is True
    assert source.resolve(app, reviewer).version == version  # reviewers keep seeing what was submitted


def test_a_frozen_version_still_prints_an_attachment_whose_row_was_removed(applicant):
    app = helpers.application(applicant=applicant)
    helpers.submit(app, applicant)
    Attachment.objects.filter(kind=AttachmentKind.LICENSE).delete()  # the file stays, stored under its hash
    result = helpers.rendered(app)
    assert result.warnings == []
    assert "ATTACHMENT-1 PAGE-2" in "".join(helpers.page_texts(result.pdf))


def test_a_replaced_file_is_not_printed_as_the_submitted_one(applicant):
    app = helpers.application(applicant=applicant)
    helpers.submit(app, applicant)
    licence = Attachment.objects.get(kind=AttachmentKind.LICENSE, unit=applicant.unit)
    with licence.file.open("wb") as handle:
        handle.write(helpers.text_pdf("FORGED"))
    result = helpers.rendered(app)
    assert result.warnings == [
        f"附件1《营业执照》（{applicant.unit.name}）未能编入申请书：文件与提交时登记的摘要不一致，可能已被替换。"
    ]
    assert "FORGED" not in "".join(helpers.page_texts(result.pdf))
