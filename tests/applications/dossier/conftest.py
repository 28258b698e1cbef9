import pytest

from accounts.roles import Role
from tests import factories

from . import helpers


@pytest.fixture(autouse=True)
def _dossier_settings(settings):
    """The QR code points at a fixed address (renders run where they are queued: TASKS_BACKEND=immediate)."""
    settings.SITE_URL = "https://kjj.example.gov.cn"


@pytest.fixture
def applicant():
    return factories.user(Role.APPLICANT)


@pytest.fixture
def draft(applicant):
    return helpers.application(applicant=applicant)
