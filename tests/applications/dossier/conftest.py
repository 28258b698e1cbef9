import pytest

from . import helpers


@pytest.fixture(autouse=True)
def _dossier_settings(settings):
    """The QR code points at a fixed address (renders run where they are queued: TASKS_BACKEND=immediate)."""
    settings.SITE_URL = "https://kjj.example.gov.cn"


@pytest.fixture
def draft(applicant):
    return helpers.application(applicant=applicant)
