import pytest

from applications import workflow

from . import helpers


@pytest.fixture(autouse=True)
def _dossier_settings(settings):
    """The QR code points at a fixed address (renders run where they are queued: TASKS_BACKEND=immediate)."""
    settings.SITE_URL = "https://kjj.example.gov.cn"


@pytest.fixture(autouse=True)
def _print_small_applications(monkeypatch):
    """These tests print a deliberately small 申请书 as submitted; the readiness rules have their own tests."""
    monkeypatch.setitem(workflow._checks, "readiness", lambda consortium, actor, proposal, subject: consortium.application)


@pytest.fixture
def draft(applicant):
    return helpers.application(applicant=applicant)
