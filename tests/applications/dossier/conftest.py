import pytest

from accounts.roles import Role
from tests import factories

from . import helpers


@pytest.fixture(autouse=True)
def _dossier_settings(settings):
    """Renders run inside the request in tests; the QR code points at a fixed address."""
    settings.DOSSIER_RUNNER = "sync"
    settings.SITE_URL = "https://kjj.example.gov.cn"


@pytest.fixture
def applicant():
    return factories.user(Role.APPLICANT)


@pytest.fixture
def draft(applicant):
    return helpers.application(applicant=applicant)
