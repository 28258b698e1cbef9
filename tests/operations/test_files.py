"""Protected downloads: the portal checks who asks, then streams the file or hands it to nginx."""

from urllib.parse import quote

import pytest
from django.http import Http404
from django.urls import reverse

from accounts.roles import Role
from applications.choices import AttachmentKind
from applications.models import DossierRender
from operations.files import protected_file_response
from tests import factories
from tests.applications.dossier import helpers as dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return factories.user(Role.APPLICANT)


@pytest.fixture
def draft(applicant):
    return dossier.application(applicant=applicant, with_attachments=False)


def printed(client, user, draft):
    client.force_login(user)
    response = client.post(reverse("dossier:request", kwargs={"pk": draft.consortium_id}), {"copies": "1"})
    render = DossierRender.objects.get()
    assert response.url == reverse("dossier:download", kwargs={"pk": draft.consortium_id, "render_id": render.pk})
    return render, response.url


def test_nginx_sends_the_dossier_to_its_owner_and_nobody_else(client, settings, applicant, draft):
    settings.PROTECTED_FILES_SERVED_BY = "nginx"
    render, url = printed(client, applicant, draft)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected/" + render.file.name
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(factories.user(Role.APPLICANT))
    refused = client.get(url)
    assert refused.status_code == 404
    assert not refused.has_header("X-Accel-Redirect")


def test_django_streams_the_file_itself_by_default(client, applicant, draft):
    render, url = printed(client, applicant, draft)
    response = client.get(url)
    assert response.status_code == 200 and not response.has_header("X-Accel-Redirect")
    assert b"".join(response.streaming_content) == render.file.open("rb").read()


def test_an_attachment_with_a_chinese_name_is_redirected_url_encoded(client, settings, applicant, draft):
    settings.PROTECTED_FILES_SERVED_BY = "nginx"
    attachment = dossier.attach(draft.consortium, applicant.unit, AttachmentKind.OTHER, dossier.text_pdf("A"),
                                name="营业执照 副本.pdf")
    dossier.submit(draft, applicant)
    reviewer = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
    client.force_login(reviewer)
    response = client.get(reverse("applications:attachment", args=[attachment.pk]))
    assert response["X-Accel-Redirect"] == "/protected/" + quote(attachment.file.name)
    assert response["X-Accel-Redirect"].endswith("/%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7_%E5%89%AF%E6%9C%AC.pdf")


def test_a_file_gone_from_the_disk_answers_404_with_a_reason(applicant, draft):
    attachment = dossier.attach(draft.consortium, applicant.unit, AttachmentKind.OTHER, dossier.text_pdf("A"))
    attachment.file.storage.delete(attachment.file.name)
    with pytest.raises(Http404, match="文件已不存在"):
        protected_file_response(attachment.file, filename="a.pdf", content_type="application/pdf")
