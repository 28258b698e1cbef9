"""Two app servers over one database and one shared cache behave as one: a session, a login lock, the public
list, the statistics and the verification page are the same whichever server answers.

The two servers are separate gunicorn processes on the test database with CACHE_BACKEND=database (shared by
every process, as Redis is between machines); the test itself acts as a third process (the filing). The
record-number sequence and the scheduler's claim are tested with concurrent writers elsewhere
(tests/reviews/test_review.py, tests/operations/test_schedule.py).
"""

import re

import pytest
import requests
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from applications.choices import Status
from applications.dossier import verification
from applications.models import Consortium
from benchmarks.cluster.processes import kill_tree
from tests import factories
from tests.lifecycle import cast_at

from .helpers import serve

pytestmark = pytest.mark.django_db(transaction=True)

SHARED_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "zhenjiang_cache", "KEY_PREFIX": "zj"}
WRONG = "Wrong#pass2026"


@pytest.fixture(scope="module")
def two_servers(django_db_setup, tmp_path_factory):
    """The two gunicorn processes, started once for the module: a test changes nothing in them but the database and
    the shared cache, which every test gets afresh (servers, below). Their media folder is one of their own: no
    test here has them read or write a file."""
    folder = tmp_path_factory.mktemp("two-servers")
    processes, bases = [], []
    try:
        for name in ("a", "b"):
            process, base = serve(log=folder / f"{name}.log", CACHE_BACKEND="database", MEDIA_ROOT=str(folder / "media"))
            processes.append(process)
            bases.append(base)
        yield bases
    finally:
        for process in processes:
            kill_tree(process.pid)  # gunicorn's worker too: left alone, it holds its connection for up to 15 s more
            process.wait(10)


@pytest.fixture
def servers(settings, two_servers):
    """Two servers, A and B, as base URLs; the test process shares their cache, emptied for each test (the rows the
    test before wrote are gone: a transactional test empties every table)."""
    settings.CACHES = {"default": SHARED_CACHE}
    # The servers check passwords with Django's own hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    call_command("createcachetable", verbosity=0)
    cache.clear()
    return two_servers


def sign_in(session, base, username, password):
    login = base + reverse("accounts:login")
    session.get(login, timeout=30)
    return session.post(login, {"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                        allow_redirects=False, timeout=30)


def test_a_session_made_on_one_server_is_signed_in_on_the_other(servers):
    a, b = servers
    city = factories.user(Role.MUNICIPAL_STAFF, full_name="王处长")
    browser = requests.Session()
    assert sign_in(browser, a, city.username, factories.PASSWORD).status_code == 302
    page = browser.get(b + reverse("dashboards:municipal"), allow_redirects=False, timeout=30)
    assert page.status_code == 200 and "王处长" in page.text


def test_failures_on_both_servers_add_up_to_one_lock_that_both_enforce(servers):
    a, b = servers
    expert = factories.user(Role.EXPERT)
    stranger = requests.Session()
    statuses = [sign_in(stranger, server, expert.username, WRONG).status_code for server in (a, b, a, b, a)]
    assert statuses == [200, 200, 200, 200, 429]  # five failures, spread over two servers, lock as five on one
    for server in (a, b):
        refused = sign_in(requests.Session(), server, expert.username, factories.PASSWORD)
        assert refused.status_code == 429
        assert "该账户在当前网络地址 30 分钟内密码错误 5 次，已暂停登录" in refused.text


def test_a_filing_renews_the_public_list_on_every_server_at_once(servers):
    a, b = servers
    cast = cast_at(Status.UNDER_APPRAISAL)
    before = [requests.get(server + reverse("dashboards:public"), timeout=30).text for server in (a, b)]
    assert before[0] == before[1]
    cast.take("file")  # in this process: its renewal reaches the cache both servers read
    name = Consortium.objects.get(pk=cast.consortium.pk).name
    after = [requests.get(server + reverse("dashboards:public"), timeout=30).text for server in (a, b)]
    assert all(name in page for page in after)


def test_both_servers_show_the_statistics_counted_once(servers):
    a, b = servers
    city = factories.user(Role.MUNICIPAL_STAFF)
    browser = requests.Session()
    sign_in(browser, a, city.username, factories.PASSWORD)
    first = browser.get(a + reverse("dashboards:statistics"), timeout=30).text
    cast_at(Status.SUBMITTED)  # a new figure, counted at the next refresh (STATISTICS_CACHE_SECONDS)
    second = browser.get(b + reverse("dashboards:statistics"), timeout=30).text

    def counted_at(page):
        return re.search(r"统计时间 (\S+ \S+)（每分钟更新）", page).group(1)

    assert counted_at(second) == counted_at(first)  # B served A's figures: one count for all servers
    assert second.count("<td") == first.count("<td")


def test_the_verification_page_answers_the_same_on_every_server(servers):
    a, b = servers
    cast = cast_at(Status.SUBMITTED)
    code = verification.code_for(cast.application.versions.get().sha256)
    for server in (a, b):
        found = requests.get(server + reverse("dossier:verify", args=[code]), timeout=30)
        assert found.status_code == 200 and cast.consortium.name in found.text
        unknown = requests.get(server + reverse("dossier:verify", args=["0000-0000-0000-0000"]), timeout=30)
        assert unknown.status_code == 404
