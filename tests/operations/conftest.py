import pytest


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Each test's uploads and dossiers in a folder of its own: backups walk, and workers write, all of it."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
