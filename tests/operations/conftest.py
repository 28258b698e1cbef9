import shutil

import pytest

from .helpers import OwnRedis


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Each test's uploads and dossiers in a folder of its own: backups walk, and workers write, all of it."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def own_redis(tmp_path):
    """A Redis of the test's own (started), for the task queue of several servers and for its outages."""
    if shutil.which("redis-server") is None:
        pytest.skip("需要 redis-server（apt-get install redis-server）：多台服务器的任务队列和缓存")
    server = OwnRedis(tmp_path).start()
    yield server
    server.stop()
