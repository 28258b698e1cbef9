import pytest


@pytest.fixture(autouse=True)
def _dossier_settings(settings):
    """Renders run inside the request in tests; the QR code points at a fixed address."""
    settings.DOSSIER_RUNNER = "sync"
    settings.DOSSIER_SITE_URL = "https://kjj.example.gov.cn"
