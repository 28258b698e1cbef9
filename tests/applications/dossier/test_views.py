import time

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from applications import audit_actions as applications_actions
from applications.choices import AttachmentKind
from applications.dossier import jobs, verification
from applications.models import DossierRender
from tests import factories

from . import helpers

pytestmark = pytest.mark.django_db


def request_dossier(client, user, consortium, copies="1"):
    client.force_login(user)
    return client.post(reverse("dossier:request", kwargs={"pk": consortium.pk}), {"copies": copies})


def test_the_applicant_downloads_the_draft_of_their_own_application(client, applicant, draft):
    response = request_dossier(client, applicant, draft.consortium)
    job = DossierRender.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("dossier:download", kwargs={"pk": draft.consortium_id, "render_id": job.pk})
    download = client.get(response.url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "%E8%8D%89%E7%A8%BF.pdf" in download["Content-Disposition"]  # …-备案申请书-草稿.pdf
    assert (job.state, job.version, job.copies, job.pages > 10) == (DossierRender.State.DONE, None, 1, True)
    event = AuditEvent.objects.get(action=applications_actions.DOSSIER_DOWNLOAD)
    assert (event.actor, event.target) == (applicant, f"创新联合体 {draft.consortium_id} 申请书打印文件 {job.pk}")


def test_the_detail_page_offers_one_copy_and_three_copies(client, applicant, draft):
    client.force_login(applicant)
    page = client.get(reverse("applications:detail", kwargs={"pk": draft.consortium_id})).content.decode()
    assert reverse("dossier:request", kwargs={"pk": draft.consortium_id}) in page
    assert "下载申请书（1份）" in page and "下载打印文件（一式三份）" in page


def test_another_units_applicant_gets_404_everywhere(client, applicant, draft):
    request_dossier(client, applicant, draft.consortium)
    job = DossierRender.objects.get()
    stranger = factories.user(Role.APPLICANT)
    assert request_dossier(client, stranger, draft.consortium).status_code == 404
    kwargs = {"pk": draft.consortium_id, "render_id": job.pk}
    assert client.get(reverse("dossier:progress", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("dossier:download", kwargs=kwargs)).status_code == 404
    assert DossierRender.objects.count() == 1


@pytest.mark.parametrize("role", [Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF, Role.EXPERT, Role.SYSTEM_ADMIN])
def test_nobody_else_sees_a_draft(client, draft, role):
    assert request_dossier(client, factories.user(role), draft.consortium).status_code == 404


def test_reviewers_of_the_district_and_the_city_download_a_submitted_application(client, applicant, draft):
    version = helpers.submit(draft, applicant)
    for reviewer in (factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau), factories.user(Role.MUNICIPAL_STAFF)):
        response = request_dossier(client, reviewer, draft.consortium, copies="3")
        assert response.status_code == 302
        assert client.get(response.url).status_code == 200
    job = DossierRender.objects.get()  # the second request reused the finished render of the same version
    assert (job.version, job.copies) == (version, 3)
    other_district = factories.user(Role.DISTRICT_REVIEWER, bureau=factories.district("丹阳市"))
    assert request_dossier(client, other_district, draft.consortium).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, draft):
    response = client.post(reverse("dossier:request", kwargs={"pk": draft.consortium_id}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_verification_code_resolves_without_login(client, applicant, draft):
    version = helpers.submit(draft, applicant)
    code = verification.code_for(version.sha256)
    response = client.get(f"/verify/{code}")
    assert response.status_code == 200
    page = response.content.decode()
    consortium = draft.consortium
    assert consortium.name in page and consortium.lead_unit.name in page and "待初审" in page
    assert f"{version.submitted_at:%Y}年" in page
    assert "统一社会信用代码" not in page and consortium.lead_unit.credit_code not in page
    assert client.get(f"/verify/{code.lower().replace('-', '')}").status_code == 200


@pytest.mark.parametrize("code", ["0000-0000-0000-0000", "not-a-code", "ABCD"])
def test_an_unknown_verification_code_is_404(client, code):
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    assert "对应的申请书或通知、决定，请核对纸质材料上的验证码后重新输入" in response.content.decode()


def test_the_verify_form_sends_the_typed_code_to_its_page(client):
    assert client.get("/verify/").status_code == 200
    response = client.get("/verify/", {"code": "9f3a 1c2b 77d0 e4a5"})
    assert (response.status_code, response["Location"]) == (302, "/verify/9F3A-1C2B-77D0-E4A5")


@pytest.mark.parametrize("typed", ["a/b", "../../etc", "\x00", "X" * 500])
def test_a_typed_code_that_cannot_be_one_is_explained_not_a_server_error(client, typed):
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 404
    assert "未找到与验证码" in response.content.decode()


def test_a_missing_font_fails_the_render_with_the_message_on_the_progress_page(client, settings, applicant, draft):
    settings.DOSSIER_HEADING_FONT = "Nonexistent Hei SC"
    response = request_dossier(client, applicant, draft.consortium)
    job = DossierRender.objects.get()
    assert job.state == DossierRender.State.FAILED
    assert response.url == reverse("dossier:progress", kwargs={"pk": draft.consortium_id, "render_id": job.pk})
    page = client.get(response.url).content.decode()
    assert "fonts-noto-cjk" in page and "“Nonexistent Hei SC”" in page
    assert client.get(reverse("dossier:download", kwargs={"pk": draft.consortium_id, "render_id": job.pk})).status_code == 302


def test_warnings_are_shown_to_the_staff_who_print(client, applicant, draft):
    helpers.attach(draft.consortium, applicant.unit, AttachmentKind.OTHER, helpers.encrypted_pdf(), title="加密文件")
    helpers.submit(draft, applicant)
    staff = factories.user(Role.MUNICIPAL_STAFF)
    response = request_dossier(client, staff, draft.consortium)
    job = DossierRender.objects.get()
    assert response.url == reverse("dossier:progress", kwargs={"pk": draft.consortium_id, "render_id": job.pk})
    last = draft.consortium.attachments.count()  # “其他” is printed last
    warning = f"附件{last}《加密文件》（{applicant.unit.name}）未能编入申请书：文件已加密，需要密码才能打开。"
    assert job.warnings == [warning]
    assert warning in client.get(response.url).content.decode()
    assert warning in client.get(reverse("applications:detail", kwargs={"pk": draft.consortium_id})).content.decode()


def test_the_progress_page_polls_while_a_render_runs(client, applicant, draft):
    job = DossierRender.objects.create(application=draft, requested_by=applicant, state=DossierRender.State.RUNNING)
    client.force_login(applicant)
    page = client.get(reverse("dossier:progress", kwargs={"pk": draft.consortium_id, "render_id": job.pk})).content.decode()
    assert "生成中" in page and 'http-equiv="refresh"' in page


def _progress_url(consortium):
    job = DossierRender.objects.get(application__consortium=consortium)
    return reverse("dossier:progress", kwargs={"pk": consortium.pk, "render_id": job.pk})


def test_a_render_queued_behind_another_unfinished_one_is_not_waited_for(client, settings, monkeypatch, applicant, draft):
    """The task worker renders one after another: waiting DOSSIER_WAIT_SECONDS for a render behind another would only
    hold a web worker (make bench-rush: 20 dossiers asked at once held all four for 10 s). The progress page at once."""
    settings.DOSSIER_WAIT_SECONDS = 5
    monkeypatch.setattr(jobs, "enqueue", lambda *args: None)  # queued; the worker is busy with the other one
    DossierRender.objects.create(application=helpers.application(), state=DossierRender.State.RUNNING)
    started = time.monotonic()
    response = request_dossier(client, applicant, draft.consortium)
    assert time.monotonic() - started < 2
    assert (response.status_code, response.url) == (302, _progress_url(draft.consortium))


def test_a_render_with_nothing_ahead_of_it_is_waited_for(client, settings, monkeypatch, applicant, draft):
    settings.DOSSIER_WAIT_SECONDS = 0.5
    monkeypatch.setattr(jobs, "enqueue", lambda *args: None)
    started = time.monotonic()
    response = request_dossier(client, applicant, draft.consortium)
    assert time.monotonic() - started >= 0.5
    assert (response.status_code, response.url) == (302, _progress_url(draft.consortium))
