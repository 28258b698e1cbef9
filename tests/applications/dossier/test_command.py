import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from accounts.roles import Role
from tests import factories

from . import helpers

pytestmark = pytest.mark.django_db


def test_render_dossier_writes_the_three_copy_file(tmp_path):
    app = helpers.application(applicant=factories.user(Role.APPLICANT), with_attachments=False)
    target = tmp_path / "dossier.pdf"
    out = io.StringIO()
    call_command("render_dossier", str(app.consortium_id), "-o", str(target), "--copies", "3", stdout=out)
    pages = len(PdfReader(target).pages)
    assert f"共 {pages} 页" in out.getvalue() and "草稿" in out.getvalue()
    texts = helpers.page_texts(target.read_bytes())
    assert [n for n in (1, 2, 3) if any(f"第{n}份" in text for text in texts)] == [1, 2, 3]


def test_render_dossier_reports_a_missing_font(settings, tmp_path):
    settings.DOSSIER_BODY_FONT = "Nonexistent Song SC"
    app = helpers.application(applicant=factories.user(Role.APPLICANT), with_attachments=False)
    with pytest.raises(CommandError, match="fonts-noto-cjk"):
        call_command("render_dossier", str(app.consortium_id), "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_render_dossier_names_an_unknown_consortium(tmp_path):
    with pytest.raises(CommandError, match="没有编号为 999999 的创新联合体"):
        call_command("render_dossier", "999999", "-o", str(tmp_path / "x.pdf"))
